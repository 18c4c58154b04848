"""Reads and writes of the archive, as plain functions over a Session; the caller owns the transaction.

Writes that two crawl processes may race on (sites, authors, articles, URL states) insert with
ON CONFLICT and then re-select, which is safe on SQLite and PostgreSQL alike.
"""

from __future__ import annotations

import hashlib
import json
import zlib
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any, Literal

from sqlalchemy import delete, event, func, or_, select, update
from sqlalchemy.orm import Session as OrmSession
from sqlalchemy.orm import SessionTransaction

from storage.dialects import upsert_insert
from storage.models import (
    RUN_KINDS,
    RUN_STATUSES,
    URL_KINDS,
    Article,
    ArticleAuthor,
    ArticleRevision,
    Author,
    CrawlRun,
    FetchFailure,
    RawPage,
    RelatedLink,
    Site,
    UrlState,
)
from storage.timestamps import as_utc, iso, utcnow

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

SaveStatus = Literal["new", "changed", "unchanged"]

#: record keys copied onto the article row as they are; all but the content (title, body, authors)
_METADATA_FIELDS = ("description", "language", "section", "site_name", "lead_image")
_URL_STATE_FIELDS = frozenset(
    column.key for column in UrlState.__table__.columns if column.key not in ("id", "url", "site_id")
)
ZLIB_LEVEL = 6


@dataclass(frozen=True, slots=True)
class SaveOutcome:
    article_id: int
    status: SaveStatus
    version: int


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


# --- sites, runs, failures, raw pages ---


def get_or_create_site(session: Session, name: str, home_url: str | None = None) -> Site:
    """The site row named name, created if new; a known site gains home_url if it had none."""
    query = select(Site).where(Site.name == name)
    site = session.scalars(query).one_or_none()
    if site is None:
        session.execute(
            _insert(session, Site)
            .values(name=name, home_url=home_url, created_at=utcnow())
            .on_conflict_do_nothing(index_elements=[Site.name])
        )
        site = session.scalars(query.execution_options(populate_existing=True)).one()
    if home_url and not site.home_url:
        site.home_url = home_url
    return site


_SITE_IDS = "newsarchive_site_ids"


def site_id(session: Session, name: str) -> int:
    """The id of the site named name, created if new; looked up once per transaction (storing one page
    names its site in several rows)."""
    known = session.info.setdefault(_SITE_IDS, {})
    if name not in known:
        known[name] = get_or_create_site(session, name).id
    return known[name]


@event.listens_for(OrmSession, "after_transaction_end")
def _forget_site_ids(session: Session, transaction: SessionTransaction) -> None:
    if transaction.parent is None:  # the outermost transaction: a rolled-back site no longer exists
        session.info.pop(_SITE_IDS, None)


def start_run(session: Session, kind: str, sites: Sequence[str]) -> int:
    _check_choice("run kind", kind, RUN_KINDS)
    run = CrawlRun(kind=kind, started_at=utcnow(), status="running", counts={}, sites=",".join(sites))
    session.add(run)
    session.flush()
    return run.id


def close_abandoned_runs(session: Session) -> int:
    """Mark runs still 'running' as interrupted: called under the run lock, so none of them is alive
    (the process was killed before it could close its run). Returns how many were closed."""
    result = session.execute(
        update(CrawlRun).where(CrawlRun.status == "running").values(status="interrupted", finished_at=utcnow())
    )
    return result.rowcount or 0


def finish_run(session: Session, run_id: int, status: str, counts: Mapping[str, int]) -> None:
    _check_choice("run status", status, RUN_STATUSES)
    session.execute(
        update(CrawlRun)
        .where(CrawlRun.id == run_id)
        .values(status=status, finished_at=utcnow(), counts=dict(counts))
    )


def record_failure(
    session: Session,
    *,
    url: str,
    reason: str,
    status: int | None = None,
    site: str | None = None,
    run_id: int | None = None,
    failed_at: datetime | None = None,
) -> None:
    session.add(
        FetchFailure(
            url=url,
            reason=reason,
            status=status,
            site_id=site_id(session, site) if site else None,
            run_id=run_id,
            failed_at=as_utc(failed_at) if failed_at else utcnow(),
        )
    )
    session.flush()


def save_raw_page(
    session: Session,
    *,
    url: str,
    status: int,
    headers: Mapping[str, str],
    body: bytes,
    fetched_at: datetime,
    page_type: str,
    site: str | None = None,
    run_id: int | None = None,
    encoding: str | None = None,
) -> int:
    """Store a response as received (body zlib-compressed); returns the raw page id."""
    page = RawPage(
        url=url,
        status=status,
        headers=dict(headers),
        body=zlib.compress(body, ZLIB_LEVEL),
        encoding=encoding,
        fetched_at=as_utc(fetched_at),
        page_type=page_type,
        site_id=site_id(session, site) if site else None,
        run_id=run_id,
    )
    session.add(page)
    session.flush()
    return page.id


def get_raw_page(session: Session, page_id: int) -> RawPage | None:
    """The raw page; its .content property gives the decompressed body."""
    return session.get(RawPage, page_id)


# --- articles ---


def article_key(record: Mapping[str, Any]) -> str:
    """The dedup key: the canonical URL when the page declares one, else the fetched URL."""
    key = record.get("canonical_url") or record.get("url")
    if not key:
        raise ValueError("an article record needs a url or a canonical_url")
    return key


def content_hash(record: Mapping[str, Any]) -> str:
    """SHA-256 over the clean content only (title, authors, body), so refetches alone never count as change."""
    content = {
        "title": (record.get("title") or "").strip(),
        "authors": [name.strip() for name in record.get("authors") or ()],
        "body": (record.get("body") or "").strip(),
    }
    return hashlib.sha256(json.dumps(content, ensure_ascii=False, sort_keys=True).encode()).hexdigest()


def save_article(
    session: Session,
    record: Mapping[str, Any],
    *,
    site: str,
    fetched_at: datetime,
    extractor_version: str,
    raw_page_id: int | None = None,
) -> SaveOutcome:
    """Insert or update the article for record; a new revision only when its content hash changed."""
    key = article_key(record)
    digest = content_hash(record)
    fetched_at = as_utc(fetched_at)
    article_site_id = site_id(session, site)
    session.flush()
    new_id = session.execute(
        _insert(session, Article)
        .values(
            site_id=article_site_id,
            url=record.get("url") or key,
            canonical_url=key,
            body=record.get("body") or "",
            published=_aware(record.get("published")),
            modified=_aware(record.get("modified")),
            content_hash=digest,
            first_seen=fetched_at,
            last_seen=fetched_at,
            last_changed=fetched_at,
            version=1,
            extractor_version=extractor_version,
            title=record.get("title"),
            **{name: record.get(name) for name in _METADATA_FIELDS},
        )
        .on_conflict_do_nothing(index_elements=[Article.canonical_url])
        .returning(Article.id)
    ).scalar_one_or_none()
    if new_id is not None:
        _add_revision(session, new_id, 1, digest, record, fetched_at)
        _replace_authors(session, new_id, record.get("authors") or [])
        _replace_links(session, new_id, record.get("related_links") or [])
        outcome = SaveOutcome(new_id, "new", 1)
    else:
        outcome = _update_article(session, key, digest, record, fetched_at, extractor_version)
    if raw_page_id is not None:
        session.execute(
            update(RawPage).where(RawPage.id == raw_page_id).values(article_id=outcome.article_id)
        )
    return outcome


def _update_article(
    session: Session,
    key: str,
    digest: str,
    record: Mapping[str, Any],
    fetched_at: datetime,
    extractor_version: str,
) -> SaveOutcome:
    article = session.scalars(
        select(Article)
        .where(Article.canonical_url == key)
        .with_for_update()
        .execution_options(populate_existing=True)
    ).one()
    article.last_seen = max(article.last_seen, fetched_at)
    article.removed_at = None
    article.extractor_version = extractor_version
    for name in _METADATA_FIELDS:
        if record.get(name) is not None:
            setattr(article, name, record[name])
    for name in ("published", "modified"):
        if record.get(name) is not None:
            setattr(article, name, _aware(record[name]))
    status: SaveStatus = "unchanged"
    if digest != article.content_hash:
        status = "changed"
        article.version += 1
        article.content_hash = digest
        article.title = record.get("title")
        article.body = record.get("body") or ""
        article.last_changed = fetched_at
        session.flush()
        _add_revision(session, article.id, article.version, digest, record, fetched_at)
        _replace_authors(session, article.id, record.get("authors") or [])
    session.flush()
    links = _link_dicts(record.get("related_links") or [])
    if links != _stored_links(session, article.id):
        _replace_links(session, article.id, links)
    return SaveOutcome(article.id, status, article.version)


def _add_revision(
    session: Session,
    article_id: int,
    version: int,
    digest: str,
    record: Mapping[str, Any],
    fetched_at: datetime,
) -> None:
    session.add(
        ArticleRevision(
            article_id=article_id,
            version=version,
            content_hash=digest,
            title=record.get("title"),
            body=record.get("body") or "",
            authors=list(record.get("authors") or []),
            published=_aware(record.get("published")),
            modified=_aware(record.get("modified")),
            fetched_at=fetched_at,
        )
    )
    session.flush()


def _replace_authors(session: Session, article_id: int, names: Sequence[str]) -> None:
    unique_names = list(dict.fromkeys(name.strip() for name in names if name and name.strip()))
    session.execute(delete(ArticleAuthor).where(ArticleAuthor.article_id == article_id))
    if not unique_names:
        return
    known = select(Author.name, Author.id).where(Author.name.in_(unique_names))
    ids = dict(session.execute(known).tuples().all())
    missing = [name for name in unique_names if name not in ids]
    for name in missing:
        session.execute(
            _insert(session, Author)
            .values(name=name, name_key=name.casefold())
            .on_conflict_do_nothing(index_elements=[Author.name])
        )
    if missing:
        ids = dict(session.execute(known).tuples().all())
    session.execute(
        _insert(session, ArticleAuthor),
        [
            {"article_id": article_id, "author_id": ids[name], "position": position}
            for position, name in enumerate(unique_names)
        ],
    )


def _link_dicts(links: Sequence[Any]) -> list[dict[str, str]]:
    """Related links as {"url", "text"} dicts, accepting dicts or objects with url/text attributes."""
    result = []
    for link in links:
        url = link.get("url") if isinstance(link, Mapping) else getattr(link, "url", None)
        text = link.get("text") if isinstance(link, Mapping) else getattr(link, "text", None)
        if url:
            result.append({"url": url, "text": text or ""})
    return result


def _stored_links(session: Session, article_id: int) -> list[dict[str, str]]:
    rows = session.execute(
        select(RelatedLink.url, RelatedLink.text)
        .where(RelatedLink.article_id == article_id)
        .order_by(RelatedLink.position)
    )
    return [{"url": url, "text": text} for url, text in rows]


def _replace_links(session: Session, article_id: int, links: Sequence[Any]) -> None:
    session.execute(delete(RelatedLink).where(RelatedLink.article_id == article_id))
    rows = [
        {"article_id": article_id, "position": position, **link}
        for position, link in enumerate(_link_dicts(links))
    ]
    if rows:
        session.execute(_insert(session, RelatedLink), rows)


def mark_removed(session: Session, url: str, when: datetime) -> bool:
    """Flag the article at url (or with that canonical URL) as removed; False when there is none."""
    result = session.execute(
        update(Article)
        .where(or_(Article.url == url, Article.canonical_url == url))
        .values(removed_at=as_utc(when))
    )
    return bool(result.rowcount)


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
        published=article.published,
        modified=article.modified,
        content_hash=article.content_hash,
        first_seen=article.first_seen,
        last_seen=article.last_seen,
        last_changed=article.last_changed,
        version=article.version,
        extractor_version=article.extractor_version,
        removed_at=article.removed_at,
        authors=authors_of(session, [article.id]).get(article.id, []),
        related_links=_stored_links(session, article.id),
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


# --- export and reports ---


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
        ids = [row.id for row in rows]
        authors = authors_of(session, ids)
        links = _links_of(session, ids)
        for row in rows:
            yield _export_dict(row, authors.get(row.id, []), links.get(row.id, []))
        last_id = ids[-1]


def _links_of(session: Session, article_ids: Sequence[int]) -> dict[int, list[dict[str, str]]]:
    rows = session.execute(
        select(RelatedLink.article_id, RelatedLink.url, RelatedLink.text)
        .where(RelatedLink.article_id.in_(article_ids))
        .order_by(RelatedLink.article_id, RelatedLink.position)
    )
    found: dict[int, list[dict[str, str]]] = {}
    for article_id, url, text in rows:
        found.setdefault(article_id, []).append({"url": url, "text": text})
    return found


def _export_dict(row: Any, authors: list[str], links: list[dict[str, str]]) -> dict[str, Any]:
    return {
        "id": row.id,
        "url": row.url,
        "canonical_url": row.canonical_url,
        "title": row.title,
        "authors": authors,
        "published": iso(row.published),
        "modified": iso(row.modified),
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


# --- URL states: the refresh crawl's frontier ---


def get_url_state(session: Session, url: str) -> UrlState | None:
    return session.scalars(
        select(UrlState).where(UrlState.url == url).execution_options(populate_existing=True)
    ).one_or_none()


def upsert_url_state(session: Session, url: str, **fields: Any) -> UrlState:
    """Create or update what we know about url. Fields are UrlState columns, plus site (a site name)."""
    site = fields.pop("site", None)
    unknown = set(fields) - _URL_STATE_FIELDS
    if unknown:
        raise TypeError(f"unknown url_states fields: {', '.join(sorted(unknown))}")
    if "kind" in fields:
        _check_choice("url kind", fields["kind"], URL_KINDS)
    values = {name: as_utc(value) if isinstance(value, datetime) else value for name, value in fields.items()}
    if site is not None:
        values["site_id"] = site_id(session, site)
    session.flush()
    insert_values = {"kind": "other", "discovered_at": utcnow(), **values, "url": url}
    statement = _insert(session, UrlState).values(**insert_values)
    if values:
        statement = statement.on_conflict_do_update(index_elements=[UrlState.url], set_=values)
    else:
        statement = statement.on_conflict_do_nothing(index_elements=[UrlState.url])
    session.execute(statement)
    state = get_url_state(session, url)
    assert state is not None
    return state


def urls_to_recheck(session: Session, site: str, *, since: datetime, limit: int) -> list[UrlState]:
    """Article URLs of site published (or, undated, discovered) since `since`, not gone; stalest first."""
    recent = func.coalesce(Article.published, UrlState.discovered_at)
    query = (
        select(UrlState)
        .join(Site, UrlState.site_id == Site.id)
        .outerjoin(Article, UrlState.article_id == Article.id)
        .where(
            Site.name == site,
            UrlState.kind == "article",
            UrlState.gone_at.is_(None),
            recent >= as_utc(since),
        )
        .order_by(UrlState.last_fetched_at.asc().nulls_first(), UrlState.id)
        .limit(limit)
    )
    return list(session.scalars(query))


# --- helpers ---


def _insert(session: Session, entity: type[Any]) -> Any:
    """The dialect's INSERT, which has on_conflict_do_nothing / on_conflict_do_update on both."""
    return upsert_insert(session.get_bind().dialect.name, entity)


def _aware(value: datetime | str | None) -> datetime | None:
    """Aware UTC datetime; also takes the ISO 8601 strings of ArticleRecord.to_dict()."""
    if value is None or value == "":
        return None
    return as_utc(datetime.fromisoformat(value) if isinstance(value, str) else value)


def _check_choice(what: str, value: str, allowed: tuple[str, ...]) -> None:
    if value not in allowed:
        raise ValueError(f"unknown {what} {value!r}: expected one of {', '.join(allowed)}")
