"""WARC pointers on raw pages, and per-run extraction health per site.

A raw page whose response a WARC file holds names the file, the record's offset and its length (the
compressed record as written), so its body need not be kept twice. `site_health` holds, for each run and
site, the articles the run saw (fetched or confirmed by a 304), how many it extracted, the share of those
with each field and their median body length (null when it extracted none).

Revision ID: 0002_warc
Revises: 0002_copies
Create Date: 2026-11-28
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002_warc"
down_revision = "0002_copies"
branch_labels = None
depends_on = None

TS = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.add_column("raw_pages", sa.Column("warc_file", sa.Text(), nullable=True))
    op.add_column("raw_pages", sa.Column("warc_offset", sa.BigInteger(), nullable=True))
    op.add_column("raw_pages", sa.Column("warc_length", sa.BigInteger(), nullable=True))
    op.create_table(
        "site_health",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("run_id", sa.Integer(), nullable=False),
        sa.Column("site_id", sa.Integer(), nullable=False),
        sa.Column("measured_at", TS, nullable=False),
        sa.Column("articles", sa.Integer(), nullable=False),
        sa.Column("extracted", sa.Integer(), nullable=False),
        sa.Column("title_share", sa.Double(), nullable=True),
        sa.Column("authors_share", sa.Double(), nullable=True),
        sa.Column("published_share", sa.Double(), nullable=True),
        sa.Column("body_share", sa.Double(), nullable=True),
        sa.Column("median_body", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["run_id"], ["crawl_runs.id"], name="fk_site_health_run_id_crawl_runs", ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(["site_id"], ["sites.id"], name="fk_site_health_site_id_sites"),
        sa.PrimaryKeyConstraint("id", name="pk_site_health"),
        sa.UniqueConstraint("run_id", "site_id", name="uq_site_health_run_id"),
    )
    op.create_index("ix_site_health_site_id", "site_health", ["site_id"])


def downgrade() -> None:
    op.drop_index("ix_site_health_site_id", table_name="site_health")
    op.drop_table("site_health")
    with op.batch_alter_table("raw_pages") as batch:
        batch.drop_column("warc_length")
        batch.drop_column("warc_offset")
        batch.drop_column("warc_file")
