"""Writing articles: upsert by key, a new revision only when the clean content changed, authors and links.

Writes that two crawl processes may race on (authors, articles) insert with ON CONFLICT and then
re-select, which is safe on SQLite and PostgreSQL alike."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any, Literal

from sqlalchemy import delete, or_, select, update

from storage.models import (
    Article,
    ArticleAuthor,
    ArticleRevision,
    Author,
    RawPage,
    RelatedLink,
)
from storage.rows import aware_utc, dialect_insert
from storage.sites import site_id
from storage.timestamps import as_utc, offset_minutes

if TYPE_CHECKING:
    from sqlalchemy.orm import Session


SaveStatus = Literal["new", "changed", "unchanged"]


#: record keys copied onto the article row as they are; all but the content (title, body, authors)
_METADATA_FIELDS = ("description", "language", "section", "site_name", "lead_image")


@dataclass(frozen=True, slots=True)
class SaveOutcome:
    article_id: int
    status: SaveStatus
    version: int


def storage_key(record: Mapping[str, Any]) -> str:
    """The URL the record is stored under: its canonical_url, else its url.

    Which URL an article is known by is decided before storage, in pipelines.dedup.article_key (a declared
    canonical is checked against the site's domains and listing pages); the caller puts the result in the
    record's canonical_url. Storage only keys by it.
    """
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


def stored_under(session: Session, key: str) -> tuple[str, str] | None:
    """(the URL it was first fetched as, its body) of the article stored under key, if any."""
    row = session.execute(select(Article.url, Article.body).where(Article.canonical_url == key)).first()
    return None if row is None else (row.url, row.body or "")


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
    # Imported here: signatures need numpy, which the crawl process (it imports this module for
    # content_hash) would otherwise load for nothing, about 10 MB of its memory; only the store worker writes.
    from storage.copies import add_copies, update_copies

    key = storage_key(record)
    digest = content_hash(record)
    fetched_at = as_utc(fetched_at)
    article_site_id = site_id(session, site)
    session.flush()
    new_id = session.execute(
        dialect_insert(session, Article)
        .values(
            site_id=article_site_id,
            url=record.get("url") or key,
            canonical_url=key,
            body=record.get("body") or "",
            published=aware_utc(record.get("published")),
            modified=aware_utc(record.get("modified")),
            published_offset=offset_minutes(record.get("published")),
            modified_offset=offset_minutes(record.get("modified")),
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
        add_copies(session, new_id, record.get("body"), record.get("language"))
        outcome = SaveOutcome(new_id, "new", 1)
    else:
        outcome = _update_article(session, key, digest, record, fetched_at, extractor_version)
        if outcome.status == "changed":
            update_copies(session, outcome.article_id)
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
            setattr(article, name, aware_utc(record[name]))
            setattr(article, f"{name}_offset", offset_minutes(record[name]))
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
    if links != stored_links(session, article.id):
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
            published=aware_utc(record.get("published")),
            modified=aware_utc(record.get("modified")),
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
            dialect_insert(session, Author)
            .values(name=name, name_key=name.casefold())
            .on_conflict_do_nothing(index_elements=[Author.name])
        )
    if missing:
        ids = dict(session.execute(known).tuples().all())
    session.execute(
        dialect_insert(session, ArticleAuthor),
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


def stored_links(session: Session, article_id: int) -> list[dict[str, str]]:
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
        session.execute(dialect_insert(session, RelatedLink), rows)


def mark_removed(session: Session, url: str, when: datetime) -> bool:
    """Flag the article at url (or with that canonical URL) as removed; False when there is none."""
    result = session.execute(
        update(Article)
        .where(or_(Article.url == url, Article.canonical_url == url))
        .values(removed_at=as_utc(when))
    )
    return bool(result.rowcount)
