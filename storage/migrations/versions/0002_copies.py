"""Syndicated copies: MinHash signatures, their LSH band keys, and each article's copy cluster;
an index on (site_id, published) for counts over time.

Revision ID: 0002_copies
Revises: 0002_date_offsets
Create Date: 2026-11-28
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002_copies"
down_revision = "0002_date_offsets"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("articles", sa.Column("copy_cluster_id", sa.Integer(), nullable=True))
    op.add_column(
        "articles", sa.Column("later_copy", sa.Boolean(), nullable=False, server_default=sa.false())
    )
    op.create_index("ix_articles_copy_cluster_id", "articles", ["copy_cluster_id"])
    # counts per site and date read this narrow index instead of the article rows
    op.create_index("ix_articles_site_id_published", "articles", ["site_id", "published"])
    op.create_table(
        "copy_signatures",
        sa.Column("article_id", sa.Integer(), nullable=False),
        sa.Column("language", sa.Text(), nullable=False),
        sa.Column("minhash", sa.LargeBinary(), nullable=False),
        sa.ForeignKeyConstraint(
            ["article_id"], ["articles.id"], name="fk_copy_signatures_article_id_articles", ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("article_id", name="pk_copy_signatures"),
    )
    op.create_table(
        "copy_bands",
        sa.Column("key", sa.BigInteger(), nullable=False),
        sa.Column("article_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["article_id"], ["articles.id"], name="fk_copy_bands_article_id_articles", ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("key", "article_id", name="pk_copy_bands"),
    )
    op.create_index("ix_copy_bands_article_id", "copy_bands", ["article_id"])
    if op.get_context().dialect.name == "postgresql":
        # Keep article rows narrow: bodies (and the tsvector) go to the TOAST table, so scans that count or
        # group matches by date or site read a small heap instead of every body (applies to rows written
        # from now on; `VACUUM FULL articles` rewrites the old ones).
        op.execute("ALTER TABLE articles SET (toast_tuple_target = 256)")


def downgrade() -> None:
    if op.get_context().dialect.name == "postgresql":
        op.execute("ALTER TABLE articles RESET (toast_tuple_target)")
    op.drop_index("ix_copy_bands_article_id", table_name="copy_bands")
    op.drop_table("copy_bands")
    op.drop_table("copy_signatures")
    op.drop_index("ix_articles_copy_cluster_id", table_name="articles")
    op.drop_index("ix_articles_site_id_published", table_name="articles")
    # plain ALTER TABLE ... DROP COLUMN (SQLite 3.35+): a batch rebuild would drop the full-text triggers
    for name in ("later_copy", "copy_cluster_id"):
        op.execute(f"ALTER TABLE articles DROP COLUMN {name}")
