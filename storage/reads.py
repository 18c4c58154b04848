"""Read queries with their result types: one article with its revisions, exports, per-site stats, runs."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import func, or_, select

from storage.articles import stored_links
from storage.models import (
    Article,
    ArticleAuthor,
    ArticleRevision,
    Author,
    CrawlRun,
    FetchFailure,
    RawPage,
    RelatedLink,
    Site,
)
from storage.timestamps import as_stated, as_utc, iso, iso_stated

if TYPE_CHECKING:
    from sqlalchemy.orm import Session


@dataclass(frozen=True, slots=True)
class RevisionInfo:
    version: int
    fetched_at: datetime
    content_hash: str
    title: str | None
    body: str


@dataclass(slots=True)
class ArticleDetail:
    id: int
    site: str
    url: str
    canonical_url: str
    title: str | None
    description: str | None
    body: str
    language: str | None
    section: str | None
    site_name: str | None
    lead_image: str | None
    published: datetime | None
    modified: datetime | None
    content_hash: str
    first_seen: datetime
    last_seen: datetime
    last_changed: datetime
    version: int
    extractor_version: str
    removed_at: datetime | None
    authors: list[str] = field(default_factory=list)
    related_links: list[dict[str, str]] = field(default_factory=list)
    revisions: list[RevisionInfo] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class RawPageInfo:
    """A stored fetch of an article, without its body (read that with storage.runs.get_raw_page)."""

    id: int
    url: str
    status: int
    fetched_at: datetime
    page_type: str
    encoding: str | None


@dataclass(frozen=True, slots=True)
class SiteStats:
    site: str
    articles: int
    removed: int
    revisions: int
    failures: int
    last_seen: datetime | None


@dataclass(frozen=True, slots=True)
class RunSummary:
    id: int
    kind: str
    status: str
    started_at: datetime
    finished_at: datetime | None
    counts: dict[str, int]
    sites: list[str]


def get_article(session: Session, key: int | str) -> ArticleDetail | None:
    """The article by id (an int or a string of digits), URL or canonical URL, with its history."""
    query = select(Article, Site.name).join(Site, Article.site_id == Site.id)
    if isinstance(key, int) or key.isdigit():
        query = query.where(Article.id == int(key))
    else:
        query = query.where(or_(Article.canonical_url == key, Article.url == key)).order_by(
            (Article.canonical_url == key).desc(), Article.id
        )
    row = session.execute(query.limit(1).execution_options(populate_existing=True)).first()
    if row is None:
        return None
    article, site_name = row
    revisions = session.scalars(
        select(ArticleRevision)
        .where(ArticleRevision.article_id == article.id)
        .order_by(ArticleRevision.version)
    )
    return ArticleDetail(
        id=article.id,
        site=site_name,
        url=article.url,
        canonical_url=article.canonical_url,
        title=article.title,
        description=article.description,
        body=article.body,
        language=article.language,
        section=article.section,
        site_name=article.site_name,
        lead_image=article.lead_image,
        published=as_stated(article.published, article.published_offset),
        modified=as_stated(article.modified, article.modified_offset),
        content_hash=article.content_hash,
        first_seen=article.first_seen,
        last_seen=article.last_seen,
        last_changed=article.last_changed,
        version=article.version,
        extractor_version=article.extractor_version,
        removed_at=article.removed_at,
        authors=authors_of(session, [article.id]).get(article.id, []),
        related_links=stored_links(session, article.id),
        revisions=[
            RevisionInfo(rev.version, rev.fetched_at, rev.content_hash, rev.title, rev.body)
            for rev in revisions
        ],
    )


def authors_of(session: Session, article_ids: Sequence[int]) -> dict[int, list[str]]:
    """Author names of each article, in byline order."""
    rows = session.execute(
        select(ArticleAuthor.article_id, Author.name)
        .join(Author, ArticleAuthor.author_id == Author.id)
        .where(ArticleAuthor.article_id.in_(article_ids))
        .order_by(ArticleAuthor.article_id, ArticleAuthor.position)
    )
    found: dict[int, list[str]] = {}
    for article_id, name in rows:
        found.setdefault(article_id, []).append(name)
    return found


def raw_pages_of(session: Session, article_id: int) -> list[RawPageInfo]:
    """The raw pages stored for the article, newest fetch first."""
    rows = session.execute(
        select(
            RawPage.id, RawPage.url, RawPage.status, RawPage.fetched_at, RawPage.page_type, RawPage.encoding
        )
        .where(RawPage.article_id == article_id)
        .order_by(RawPage.fetched_at.desc(), RawPage.id.desc())
    )
    return [RawPageInfo(*row) for row in rows]


def articles_by_author(session: Session, name: str) -> list[int]:
    """Ids of the articles credited to the author (exact name, case-insensitive), oldest first."""
    return list(
        session.scalars(
            select(ArticleAuthor.article_id)
            .join(Author, ArticleAuthor.author_id == Author.id)
            .where(Author.name_key == name.strip().casefold())
            .order_by(ArticleAuthor.article_id)
        )
    )


def iter_export(
    session: Session, *, since: datetime | None = None, site: str | None = None, batch: int = 500
) -> Iterator[dict[str, Any]]:
    """Every article as an export dict, in id order, read in keyset-paginated batches (constant memory).

    since keeps articles whose content last changed at or after it (new ones included); site filters by name.
    """
    columns = [column for column in Article.__table__.columns]
    query = select(*columns, Site.name.label("site_key")).join(Site, Article.site_id == Site.id)
    if since is not None:
        query = query.where(Article.last_changed >= as_utc(since))
    if site is not None:
        query = query.where(Site.name == site)
    last_id = 0
    while True:
        rows = session.execute(query.where(Article.id > last_id).order_by(Article.id).limit(batch)).all()
        if not rows:
            return
        yield from export_rows(session, rows)
        last_id = rows[-1].id


def export_rows(session: Session, rows: Sequence[Any]) -> Iterator[dict[str, Any]]:
    """Export dicts of a batch of article rows (all article columns and `site_key`), authors and links
    fetched once for the batch."""
    ids = [row.id for row in rows]
    authors = authors_of(session, ids)
    links = links_of(session, ids)
    for row in rows:
        yield export_row(row, authors.get(row.id, []), links.get(row.id, []))


def links_of(session: Session, article_ids: Sequence[int]) -> dict[int, list[dict[str, str]]]:
    rows = session.execute(
        select(RelatedLink.article_id, RelatedLink.url, RelatedLink.text)
        .where(RelatedLink.article_id.in_(article_ids))
        .order_by(RelatedLink.article_id, RelatedLink.position)
    )
    found: dict[int, list[dict[str, str]]] = {}
    for article_id, url, text in rows:
        found.setdefault(article_id, []).append({"url": url, "text": text})
    return found


def export_row(row: Any, authors: list[str], links: list[dict[str, str]]) -> dict[str, Any]:
    return {
        "id": row.id,
        "url": row.url,
        "canonical_url": row.canonical_url,
        "title": row.title,
        "authors": authors,
        "published": iso_stated(row.published, row.published_offset),
        "modified": iso_stated(row.modified, row.modified_offset),
        "language": row.language,
        "section": row.section,
        "site_name": row.site_name,
        "lead_image": row.lead_image,
        "description": row.description,
        "body": row.body,
        "related_links": links,
        "site": row.site_key,
        "first_seen": iso(row.first_seen),
        "last_changed": iso(row.last_changed),
        "version": row.version,
        "removed": iso(row.removed_at),
    }


def site_stats(session: Session) -> list[SiteStats]:
    """Per-site counts for `newsarchive stats`, one row per known site, by name."""
    articles = (
        select(
            Article.site_id,
            func.count().label("articles"),
            func.count(Article.removed_at).label("removed"),
            func.max(Article.last_seen).label("last_seen"),
        )
        .group_by(Article.site_id)
        .subquery()
    )
    revisions = (
        select(Article.site_id, func.count().label("revisions"))
        .join(ArticleRevision, ArticleRevision.article_id == Article.id)
        .group_by(Article.site_id)
        .subquery()
    )
    failures = (
        select(FetchFailure.site_id, func.count().label("failures")).group_by(FetchFailure.site_id).subquery()
    )
    query = (
        select(
            Site.name,
            func.coalesce(articles.c.articles, 0),
            func.coalesce(articles.c.removed, 0),
            func.coalesce(revisions.c.revisions, 0),
            func.coalesce(failures.c.failures, 0),
            articles.c.last_seen,
        )
        .outerjoin(articles, articles.c.site_id == Site.id)
        .outerjoin(revisions, revisions.c.site_id == Site.id)
        .outerjoin(failures, failures.c.site_id == Site.id)
        .order_by(Site.name)
    )
    return [SiteStats(*row) for row in session.execute(query)]


def recent_runs(session: Session, limit: int = 5) -> list[RunSummary]:
    runs = session.scalars(select(CrawlRun).order_by(CrawlRun.id.desc()).limit(limit))
    return [
        RunSummary(
            id=run.id,
            kind=run.kind,
            status=run.status,
            started_at=run.started_at,
            finished_at=run.finished_at,
            counts=dict(run.counts or {}),
            sites=[name for name in run.sites.split(",") if name],
        )
        for run in runs
    ]
