"""each report's programme, and indexes that let the review queue, a release and the coverage grid count
from an index alone

Revision ID: k3queue01
Revises: k2partnertext01
Create Date: 2026-12-07 08:20:00

``submission.programme_id`` is its assignment's wave's programme, which never changes. With it the queue's
filter is ``(programme_id, state)`` on the index ``(programme_id, state, received_at, id, assignment_id)``:
counting what waits and reading a page of it no longer joins every report to its assignment and wave.
It replaces the index on ``(state, received_at, id, assignment_id)``; ``(assignment_id, state)`` replaces the
one on ``assignment_id``, so a wave's reports waiting for review are counted from its assignments and that index.

``report_result (wave_id, organisation_id, submission_id)``: the reports a release of the wave to an
organisation holds, and each organisation's count, read from the index alone. And the wave's coverage grid
(the home page's and the planning page's) counts its assignments from ``ix_assignment_wave_state``, which now
holds their contact point, scenario and channel too.
"""

import sqlalchemy as sa
from alembic import op

revision = "k3queue01"
down_revision = "k2partnertext01"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("submission") as batch:
        batch.add_column(sa.Column("programme_id", sa.Integer(), nullable=True))
    op.execute(
        "UPDATE submission SET programme_id = (SELECT wave.programme_id FROM assignment "
        "JOIN wave ON wave.id = assignment.wave_id WHERE assignment.id = submission.assignment_id)"
    )
    with op.batch_alter_table("submission") as batch:
        batch.alter_column("programme_id", existing_type=sa.Integer(), nullable=False)
        batch.create_foreign_key(
            "fk_submission_programme_id_programme", "programme", ["programme_id"], ["id"]
        )
        batch.drop_index("ix_submission_state_received")
        batch.drop_index("ix_submission_assignment_id")
        batch.create_index("ix_submission_assignment_state", ["assignment_id", "state"], unique=False)
        batch.create_index(
            "ix_submission_queue",
            ["programme_id", "state", "received_at", "id", "assignment_id"],
            unique=False,
        )
    op.create_index(
        "ix_report_result_release", "report_result", ["wave_id", "organisation_id", "submission_id"]
    )
    op.drop_index("ix_assignment_wave_state", table_name="assignment")
    op.create_index(
        "ix_assignment_wave_state",
        "assignment",
        ["wave_id", "state", "contact_point_id", "scenario_id", "channel"],
    )


def downgrade():
    op.drop_index("ix_assignment_wave_state", table_name="assignment")
    op.create_index("ix_assignment_wave_state", "assignment", ["wave_id", "state"])
    op.drop_index("ix_report_result_release", table_name="report_result")
    with op.batch_alter_table("submission") as batch:
        batch.drop_index("ix_submission_queue")
        batch.drop_index("ix_submission_assignment_state")
        batch.create_index("ix_submission_assignment_id", ["assignment_id"], unique=False)
        batch.create_index(
            "ix_submission_state_received", ["state", "received_at", "id", "assignment_id"], unique=False
        )
        batch.drop_constraint("fk_submission_programme_id_programme", type_="foreignkey")
        batch.drop_column("programme_id")
