"""Keep the page's own UTC offset of an article's dates beside the instant.

The instant (UTC) orders and filters; the offset in minutes gives the date back as the page stated it, so
an evening article in UTC-8 keeps its local day. Unknown (null) for rows stored before, and for dates the
page gave without a zone.

Revision ID: 0002_date_offsets
Revises: 0001_initial
Create Date: 2026-11-28
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002_date_offsets"
down_revision = "0001_initial"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("articles") as batch:
        batch.add_column(sa.Column("published_offset", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("modified_offset", sa.Integer(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("articles") as batch:
        batch.drop_column("modified_offset")
        batch.drop_column("published_offset")
