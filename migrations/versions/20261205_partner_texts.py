"""the free text of a report as the reviewer cleared it for partners

Revision ID: k2partnertext01
Revises: k1workspace01
Create Date: 2026-12-05 08:00:00

``submission.partner_texts``: at approval the reviewer reads the report's notes, commendation and text
answers as partners would (after the automatic guard) and removes what the guard missed, such as a member
of staff's name in the middle of a sentence. Reports approved before keep the guard's version (null).
"""

import sqlalchemy as sa
from alembic import op

revision = "k2partnertext01"
down_revision = "k1workspace01"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("submission") as batch:
        batch.add_column(sa.Column("partner_texts", sa.JSON(none_as_null=True), nullable=True))


def downgrade():
    with op.batch_alter_table("submission") as batch:
        batch.drop_column("partner_texts")
