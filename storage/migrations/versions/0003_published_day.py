"""SQLite: each article's UTC day of publication as a virtual column, indexed, for counts over time.

Counting matches per day grouped `substr(published, 1, 10)` of every match, which SQLite sorts in a
temporary b-tree; an index on the day itself hands the rows over already grouped, from the index alone.
The column is virtual (computed when read, stored only in the index), so existing rows need no rewrite.
PostgreSQL groups a date cast of an index-only scan and needs nothing here.

Revision ID: 0003_published_day
Revises: 0002_warc
Create Date: 2026-11-29
"""

from __future__ import annotations

from alembic import op

revision = "0003_published_day"
down_revision = "0002_warc"
branch_labels = None
depends_on = None


def upgrade() -> None:
    if op.get_context().dialect.name != "sqlite":
        return
    op.execute(
        "ALTER TABLE articles ADD COLUMN published_day TEXT GENERATED ALWAYS AS (substr(published, 1, 10)) VIRTUAL"
    )
    op.execute("CREATE INDEX ix_articles_published_day ON articles (published_day)")
    op.execute("CREATE INDEX ix_articles_site_id_published_day ON articles (site_id, published_day)")


def downgrade() -> None:
    if op.get_context().dialect.name != "sqlite":
        return
    op.execute("DROP INDEX ix_articles_site_id_published_day")
    op.execute("DROP INDEX ix_articles_published_day")
    op.execute("ALTER TABLE articles DROP COLUMN published_day")
