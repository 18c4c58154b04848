"""The archive's tables: sites, articles with revisions, authors, links, raw pages, runs, failures, URL states.

The full-text index (an FTS5 table on SQLite, a tsvector column on PostgreSQL) is not mapped here: it is
created by the migration and read only by storage.search.
"""

from __future__ import annotations

import zlib
from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    CheckConstraint,
    ForeignKey,
    Index,
    LargeBinary,
    MetaData,
    Text,
    UniqueConstraint,
    false,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from storage.timestamps import UTCDateTime, utcnow

#: Deterministic constraint and index names, so migrations can name what they alter on both dialects.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

PAGE_TYPES = ("article", "listing", "other", "error")
RUN_KINDS = ("crawl", "refresh", "demo")
RUN_STATUSES = ("running", "ok", "failed", "interrupted")
URL_KINDS = ("article", "listing", "feed", "sitemap", "other")


def _one_of(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join(repr(value) for value in values)})"


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map = {
        datetime: UTCDateTime(),
        str: Text(),
        bytes: LargeBinary(),
        dict[str, Any]: JSON(),
        list[str]: JSON(),
    }


class Site(Base):
    __tablename__ = "sites"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(unique=True)
    home_url: Mapped[str | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Article(Base):
    """One article, deduplicated by canonical_url (the page's canonical URL, else its URL)."""

    __tablename__ = "articles"
    #: counts over time per site read this narrow index, not the rows (storage.counts)
    __table_args__ = (Index("ix_articles_site_id_published", "site_id", "published"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id"), index=True)
    url: Mapped[str]
    canonical_url: Mapped[str] = mapped_column(unique=True)
    title: Mapped[str | None]
    description: Mapped[str | None]
    body: Mapped[str] = mapped_column(default="")
    language: Mapped[str | None]
    section: Mapped[str | None]
    site_name: Mapped[str | None]
    lead_image: Mapped[str | None]
    published: Mapped[datetime | None] = mapped_column(index=True)
    modified: Mapped[datetime | None]
    #: the page's own UTC offset of published / modified, in minutes (None: not stated, or stored before)
    published_offset: Mapped[int | None]
    modified_offset: Mapped[int | None]
    content_hash: Mapped[str]
    first_seen: Mapped[datetime]
    last_seen: Mapped[datetime]
    last_changed: Mapped[datetime]
    version: Mapped[int] = mapped_column(default=1)
    extractor_version: Mapped[str]
    removed_at: Mapped[datetime | None]
    #: the syndicated-copy cluster (storage.copies): the smallest member id; None when the article has no copy
    copy_cluster_id: Mapped[int | None] = mapped_column(index=True)
    #: a member of a copy cluster published after another member (search --collapse-copies leaves it out)
    later_copy: Mapped[bool] = mapped_column(default=False, server_default=false())

    site: Mapped[Site] = relationship()
    author_links: Mapped[list[ArticleAuthor]] = relationship(
        order_by="ArticleAuthor.position", cascade="all, delete-orphan", passive_deletes=True
    )
    related_links: Mapped[list[RelatedLink]] = relationship(
        order_by="RelatedLink.position", cascade="all, delete-orphan", passive_deletes=True
    )
    revisions: Mapped[list[ArticleRevision]] = relationship(
        order_by="ArticleRevision.version", cascade="all, delete-orphan", passive_deletes=True
    )


class CopySignature(Base):
    """The MinHash signature of an article's body (word shingles), kept to compare new articles against."""

    __tablename__ = "copy_signatures"

    article_id: Mapped[int] = mapped_column(ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True)
    language: Mapped[str] = mapped_column(default="")
    #: the signature's hash values as little-endian uint32
    minhash: Mapped[bytes]


class CopyBand(Base):
    """One LSH band of a signature (hashed with the language): articles sharing a key are copy candidates."""

    __tablename__ = "copy_bands"

    key: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    article_id: Mapped[int] = mapped_column(
        ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True, index=True
    )


class ArticleRevision(Base):
    """The content of one version of an article; a new row only when the content hash changes."""

    __tablename__ = "article_revisions"
    __table_args__ = (UniqueConstraint("article_id", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    article_id: Mapped[int] = mapped_column(ForeignKey("articles.id", ondelete="CASCADE"))
    version: Mapped[int]
    content_hash: Mapped[str]
    title: Mapped[str | None]
    body: Mapped[str]
    authors: Mapped[list[str]]
    published: Mapped[datetime | None]
    modified: Mapped[datetime | None]
    fetched_at: Mapped[datetime]


class Author(Base):
    __tablename__ = "authors"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(unique=True)
    #: casefolded name, for exact case-insensitive lookups that SQLite's ASCII-only lower() cannot do
    name_key: Mapped[str] = mapped_column(index=True)


class ArticleAuthor(Base):
    __tablename__ = "article_authors"
    __table_args__ = (Index("ix_article_authors_author_id", "author_id"),)

    article_id: Mapped[int] = mapped_column(ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True)
    author_id: Mapped[int] = mapped_column(ForeignKey("authors.id"), primary_key=True)
    position: Mapped[int]

    author: Mapped[Author] = relationship(lazy="joined")


class RelatedLink(Base):
    __tablename__ = "related_links"
    __table_args__ = (UniqueConstraint("article_id", "position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    article_id: Mapped[int] = mapped_column(ForeignKey("articles.id", ondelete="CASCADE"))
    position: Mapped[int]
    url: Mapped[str]
    text: Mapped[str] = mapped_column(default="")


class RawPage(Base):
    """A fetched response as received, its body zlib-compressed."""

    __tablename__ = "raw_pages"
    __table_args__ = (CheckConstraint(_one_of("page_type", PAGE_TYPES), name="page_type"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    url: Mapped[str] = mapped_column(index=True)
    site_id: Mapped[int | None] = mapped_column(ForeignKey("sites.id"), index=True)
    status: Mapped[int]
    headers: Mapped[dict[str, Any]]
    body: Mapped[bytes]
    encoding: Mapped[str | None]
    fetched_at: Mapped[datetime]
    page_type: Mapped[str]
    run_id: Mapped[int | None] = mapped_column(ForeignKey("crawl_runs.id"), index=True)
    article_id: Mapped[int | None] = mapped_column(ForeignKey("articles.id", ondelete="SET NULL"), index=True)
    #: where a WARC file holds the response (then `body` is empty): the file, the record's offset and length
    warc_file: Mapped[str | None]
    warc_offset: Mapped[int | None] = mapped_column(BigInteger)
    warc_length: Mapped[int | None] = mapped_column(BigInteger)

    @property
    def content(self) -> bytes:
        """The body as fetched (decompressed); empty when a WARC file holds it (see pipelines.warc_read)."""
        return zlib.decompress(self.body)


class CrawlRun(Base):
    __tablename__ = "crawl_runs"
    __table_args__ = (
        CheckConstraint(_one_of("kind", RUN_KINDS), name="kind"),
        CheckConstraint(_one_of("status", RUN_STATUSES), name="status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str]
    started_at: Mapped[datetime]
    finished_at: Mapped[datetime | None]
    status: Mapped[str] = mapped_column(default="running")
    counts: Mapped[dict[str, Any]] = mapped_column(default=dict)
    #: site names, comma-separated
    sites: Mapped[str] = mapped_column(default="")


class FetchFailure(Base):
    __tablename__ = "fetch_failures"

    id: Mapped[int] = mapped_column(primary_key=True)
    run_id: Mapped[int | None] = mapped_column(ForeignKey("crawl_runs.id"), index=True)
    url: Mapped[str]
    site_id: Mapped[int | None] = mapped_column(ForeignKey("sites.id"), index=True)
    reason: Mapped[str]
    status: Mapped[int | None]
    failed_at: Mapped[datetime]


class UrlState(Base):
    """The crawl frontier: what we know about each URL, for conditional GETs in the daily refresh."""

    __tablename__ = "url_states"
    __table_args__ = (CheckConstraint(_one_of("kind", URL_KINDS), name="kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    url: Mapped[str] = mapped_column(unique=True)
    site_id: Mapped[int | None] = mapped_column(ForeignKey("sites.id"), index=True)
    kind: Mapped[str] = mapped_column(default="other")
    etag: Mapped[str | None]
    #: the Last-Modified header as received, to echo in If-Modified-Since
    last_modified: Mapped[str | None]
    sitemap_lastmod: Mapped[datetime | None]
    last_status: Mapped[int | None]
    last_fetched_at: Mapped[datetime | None]
    last_changed_at: Mapped[datetime | None]
    content_hash: Mapped[str | None]
    article_id: Mapped[int | None] = mapped_column(ForeignKey("articles.id", ondelete="SET NULL"), index=True)
    gone_at: Mapped[datetime | None]
    discovered_at: Mapped[datetime] = mapped_column(default=utcnow)


class SiteHealth(Base):
    """How well extraction did on one site in one run: the share of its articles with each field."""

    __tablename__ = "site_health"
    __table_args__ = (UniqueConstraint("run_id", "site_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("crawl_runs.id", ondelete="CASCADE"))
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id"), index=True)
    measured_at: Mapped[datetime]
    #: articles the run saw: extracted, or confirmed unchanged by a 304
    articles: Mapped[int]
    #: articles the run extracted; the shares are over these (null when none)
    extracted: Mapped[int]
    title_share: Mapped[float | None]
    authors_share: Mapped[float | None]
    published_share: Mapped[float | None]
    body_share: Mapped[float | None]
    median_body: Mapped[int | None]
