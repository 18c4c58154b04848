"""Initial schema: every table, its indexes, and the full-text index of each dialect.

Revision ID: 0001_initial
Revises:
Create Date: 2026-11-27
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001_initial"
down_revision = None
branch_labels = None
depends_on = None

TS = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "sites",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("home_url", sa.Text(), nullable=True),
        sa.Column("created_at", TS, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_sites"),
        sa.UniqueConstraint("name", name="uq_sites_name"),
    )
    op.create_table(
        "crawl_runs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.Text(), nullable=False),
        sa.Column("started_at", TS, nullable=False),
        sa.Column("finished_at", TS, nullable=True),
        sa.Column("status", sa.Text(), nullable=False),
        sa.Column("counts", sa.JSON(), nullable=False),
        sa.Column("sites", sa.Text(), nullable=False),
        sa.CheckConstraint("kind IN ('crawl', 'refresh', 'demo')", name="ck_crawl_runs_kind"),
        sa.CheckConstraint(
            "status IN ('running', 'ok', 'failed', 'interrupted')", name="ck_crawl_runs_status"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_crawl_runs"),
    )
    op.create_table(
        "authors",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("name_key", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_authors"),
        sa.UniqueConstraint("name", name="uq_authors_name"),
    )
    op.create_index("ix_authors_name_key", "authors", ["name_key"])
    op.create_table(
        "articles",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("site_id", sa.Integer(), nullable=False),
        sa.Column("url", sa.Text(), nullable=False),
        sa.Column("canonical_url", sa.Text(), nullable=False),
        sa.Column("title", sa.Text(), nullable=True),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("language", sa.Text(), nullable=True),
        sa.Column("section", sa.Text(), nullable=True),
        sa.Column("site_name", sa.Text(), nullable=True),
        sa.Column("lead_image", sa.Text(), nullable=True),
        sa.Column("published", TS, nullable=True),
        sa.Column("modified", TS, nullable=True),
        sa.Column("content_hash", sa.Text(), nullable=False),
        sa.Column("first_seen", TS, nullable=False),
        sa.Column("last_seen", TS, nullable=False),
        sa.Column("last_changed", TS, nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("extractor_version", sa.Text(), nullable=False),
        sa.Column("removed_at", TS, nullable=True),
        sa.ForeignKeyConstraint(["site_id"], ["sites.id"], name="fk_articles_site_id_sites"),
        sa.PrimaryKeyConstraint("id", name="pk_articles"),
        sa.UniqueConstraint("canonical_url", name="uq_articles_canonical_url"),
    )
    op.create_index("ix_articles_site_id", "articles", ["site_id"])
    op.create_index("ix_articles_published", "articles", ["published"])
    op.create_table(
        "article_revisions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("article_id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("content_hash", sa.Text(), nullable=False),
        sa.Column("title", sa.Text(), nullable=True),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("authors", sa.JSON(), nullable=False),
        sa.Column("published", TS, nullable=True),
        sa.Column("modified", TS, nullable=True),
        sa.Column("fetched_at", TS, nullable=False),
        sa.ForeignKeyConstraint(
            ["article_id"], ["articles.id"], name="fk_article_revisions_article_id_articles", ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_article_revisions"),
        sa.UniqueConstraint("article_id", "version", name="uq_article_revisions_article_id"),
    )
    op.create_table(
        "article_authors",
        sa.Column("article_id", sa.Integer(), nullable=False),
        sa.Column("author_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["article_id"], ["articles.id"], name="fk_article_authors_article_id_articles", ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(["author_id"], ["authors.id"], name="fk_article_authors_author_id_authors"),
        sa.PrimaryKeyConstraint("article_id", "author_id", name="pk_article_authors"),
    )
    op.create_index("ix_article_authors_author_id", "article_authors", ["author_id"])
    op.create_table(
        "related_links",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("article_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("url", sa.Text(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["article_id"], ["articles.id"], name="fk_related_links_article_id_articles", ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_related_links"),
        sa.UniqueConstraint("article_id", "position", name="uq_related_links_article_id"),
    )
    op.create_table(
        "raw_pages",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("url", sa.Text(), nullable=False),
        sa.Column("site_id", sa.Integer(), nullable=True),
        sa.Column("status", sa.Integer(), nullable=False),
        sa.Column("headers", sa.JSON(), nullable=False),
        sa.Column("body", sa.LargeBinary(), nullable=False),
        sa.Column("encoding", sa.Text(), nullable=True),
        sa.Column("fetched_at", TS, nullable=False),
        sa.Column("page_type", sa.Text(), nullable=False),
        sa.Column("run_id", sa.Integer(), nullable=True),
        sa.Column("article_id", sa.Integer(), nullable=True),
        sa.CheckConstraint(
            "page_type IN ('article', 'listing', 'other', 'error')", name="ck_raw_pages_page_type"
        ),
        sa.ForeignKeyConstraint(
            ["article_id"], ["articles.id"], name="fk_raw_pages_article_id_articles", ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(["run_id"], ["crawl_runs.id"], name="fk_raw_pages_run_id_crawl_runs"),
        sa.ForeignKeyConstraint(["site_id"], ["sites.id"], name="fk_raw_pages_site_id_sites"),
        sa.PrimaryKeyConstraint("id", name="pk_raw_pages"),
    )
    op.create_index("ix_raw_pages_url", "raw_pages", ["url"])
    op.create_index("ix_raw_pages_site_id", "raw_pages", ["site_id"])
    op.create_index("ix_raw_pages_run_id", "raw_pages", ["run_id"])
    op.create_index("ix_raw_pages_article_id", "raw_pages", ["article_id"])
    op.create_table(
        "fetch_failures",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("run_id", sa.Integer(), nullable=True),
        sa.Column("url", sa.Text(), nullable=False),
        sa.Column("site_id", sa.Integer(), nullable=True),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("status", sa.Integer(), nullable=True),
        sa.Column("failed_at", TS, nullable=False),
        sa.ForeignKeyConstraint(["run_id"], ["crawl_runs.id"], name="fk_fetch_failures_run_id_crawl_runs"),
        sa.ForeignKeyConstraint(["site_id"], ["sites.id"], name="fk_fetch_failures_site_id_sites"),
        sa.PrimaryKeyConstraint("id", name="pk_fetch_failures"),
    )
    op.create_index("ix_fetch_failures_run_id", "fetch_failures", ["run_id"])
    op.create_index("ix_fetch_failures_site_id", "fetch_failures", ["site_id"])
    op.create_table(
        "url_states",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("url", sa.Text(), nullable=False),
        sa.Column("site_id", sa.Integer(), nullable=True),
        sa.Column("kind", sa.Text(), nullable=False),
        sa.Column("etag", sa.Text(), nullable=True),
        sa.Column("last_modified", sa.Text(), nullable=True),
        sa.Column("sitemap_lastmod", TS, nullable=True),
        sa.Column("last_status", sa.Integer(), nullable=True),
        sa.Column("last_fetched_at", TS, nullable=True),
        sa.Column("last_changed_at", TS, nullable=True),
        sa.Column("content_hash", sa.Text(), nullable=True),
        sa.Column("article_id", sa.Integer(), nullable=True),
        sa.Column("gone_at", TS, nullable=True),
        sa.Column("discovered_at", TS, nullable=False),
        sa.CheckConstraint(
            "kind IN ('article', 'listing', 'feed', 'sitemap', 'other')", name="ck_url_states_kind"
        ),
        sa.ForeignKeyConstraint(
            ["article_id"], ["articles.id"], name="fk_url_states_article_id_articles", ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(["site_id"], ["sites.id"], name="fk_url_states_site_id_sites"),
        sa.PrimaryKeyConstraint("id", name="pk_url_states"),
        sa.UniqueConstraint("url", name="uq_url_states_url"),
    )
    op.create_index("ix_url_states_site_id", "url_states", ["site_id"])
    op.create_index("ix_url_states_article_id", "url_states", ["article_id"])

    dialect = op.get_context().dialect.name
    if dialect == "sqlite":
        _create_sqlite_search_index()
    elif dialect == "postgresql":
        _create_postgresql_search_index()


def downgrade() -> None:
    dialect = op.get_context().dialect.name
    if dialect == "sqlite":
        for trigger in ("articles_fts_insert", "articles_fts_delete", "articles_fts_update"):
            op.execute(f"DROP TRIGGER IF EXISTS {trigger}")
        op.execute("DROP TABLE IF EXISTS articles_fts")
    for table in (
        "url_states",
        "fetch_failures",
        "raw_pages",
        "related_links",
        "article_authors",
        "article_revisions",
        "articles",
        "authors",
        "crawl_runs",
        "sites",
    ):
        op.drop_table(table)


# --- SQLite only: an FTS5 external-content table over articles(title, body), kept in step by triggers ---

SQLITE_SEARCH_DDL = (
    """
    CREATE VIRTUAL TABLE articles_fts USING fts5(
        title, body, content='articles', content_rowid='id', tokenize='unicode61 remove_diacritics 2'
    )
    """,
    """
    CREATE TRIGGER articles_fts_insert AFTER INSERT ON articles BEGIN
        INSERT INTO articles_fts(rowid, title, body) VALUES (new.id, new.title, new.body);
    END
    """,
    """
    CREATE TRIGGER articles_fts_delete AFTER DELETE ON articles BEGIN
        INSERT INTO articles_fts(articles_fts, rowid, title, body) VALUES ('delete', old.id, old.title, old.body);
    END
    """,
    """
    CREATE TRIGGER articles_fts_update AFTER UPDATE OF title, body ON articles BEGIN
        INSERT INTO articles_fts(articles_fts, rowid, title, body) VALUES ('delete', old.id, old.title, old.body);
        INSERT INTO articles_fts(rowid, title, body) VALUES (new.id, new.title, new.body);
    END
    """,
)


def _create_sqlite_search_index() -> None:
    for statement in SQLITE_SEARCH_DDL:
        op.execute(statement)


# --- PostgreSQL only: a generated tsvector column (title weighted A, body B) with a GIN index ---

POSTGRESQL_SEARCH_DDL = (
    """
    ALTER TABLE articles ADD COLUMN search_vector tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('simple'::regconfig, coalesce(title, '')), 'A')
        || setweight(to_tsvector('simple'::regconfig, coalesce(body, '')), 'B')
    ) STORED
    """,
    "CREATE INDEX ix_articles_search_vector ON articles USING gin (search_vector)",
)


def _create_postgresql_search_index() -> None:
    for statement in POSTGRESQL_SEARCH_DDL:
        op.execute(statement)
