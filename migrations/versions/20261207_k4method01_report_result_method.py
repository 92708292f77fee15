"""a scored report keeps its scenario and when its shop began, for a release's method page

Revision ID: k4method01
Revises: k3queue01
Create Date: 2026-12-07 11:10:00

A release's method page counts the wave's approved reports by questionnaire version, scenario, channel and
service area, and by weekday and time of day. With the scenario and the start on ``report_result`` and the
index ``ix_report_result_method`` it counts them from that index, where it read every report's wide
``submission`` row.
"""

import sqlalchemy as sa
from alembic import op

from app.db_types import UTCDateTime

revision = "k4method01"
down_revision = "k3queue01"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("report_result") as batch:
        batch.add_column(sa.Column("scenario_id", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("started_at", UTCDateTime(), nullable=True))
    op.execute(
        "UPDATE report_result SET "
        "scenario_id = (SELECT assignment.scenario_id FROM submission JOIN assignment "
        "ON assignment.id = submission.assignment_id WHERE submission.id = report_result.submission_id), "
        "started_at = (SELECT submission.started_at FROM submission WHERE submission.id = report_result.submission_id)"
    )
    with op.batch_alter_table("report_result") as batch:
        batch.alter_column("scenario_id", existing_type=sa.Integer(), nullable=False)
        batch.alter_column("started_at", existing_type=UTCDateTime(), nullable=False)
        batch.create_foreign_key("fk_report_result_scenario_id_scenario", "scenario", ["scenario_id"], ["id"])
    op.create_index(
        "ix_report_result_method",
        "report_result",
        [
            "wave_id",
            "organisation_id",
            "channel",
            "service_area_id",
            "questionnaire_version_id",
            "scenario_id",
            "started_at",
        ],
    )


def downgrade():
    op.drop_index("ix_report_result_method", table_name="report_result")
    with op.batch_alter_table("report_result") as batch:
        batch.drop_constraint("fk_report_result_scenario_id_scenario", type_="foreignkey")
        batch.drop_column("started_at")
        batch.drop_column("scenario_id")
