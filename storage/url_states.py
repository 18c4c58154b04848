"""The crawl frontier's memory: what we know of each URL for conditional requests and the daily refresh."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import func, select

from storage.models import (
    URL_KINDS,
    Article,
    Site,
    UrlState,
)
from storage.rows import check_choice, dialect_insert
from storage.sites import site_id
from storage.timestamps import as_utc, utcnow

if TYPE_CHECKING:
    from sqlalchemy.orm import Session


_URL_STATE_FIELDS = frozenset(
    column.key for column in UrlState.__table__.columns if column.key not in ("id", "url", "site_id")
)


def get_url_state(session: Session, url: str) -> UrlState | None:
    return session.scalars(
        select(UrlState).where(UrlState.url == url).execution_options(populate_existing=True)
    ).one_or_none()


def url_kind(session: Session, url: str) -> str | None:
    """The kind recorded for url (article, listing, other), None when unknown: one column, no ORM object."""
    return session.scalar(select(UrlState.kind).where(UrlState.url == url))


def upsert_url_state(session: Session, url: str, **fields: Any) -> UrlState:
    """Create or update what we know about url, and return it. Fields as for put_url_state."""
    put_url_state(session, url, **fields)
    state = get_url_state(session, url)
    assert state is not None
    return state


def put_url_state(session: Session, url: str, **fields: Any) -> None:
    """Create or update what we know about url. Fields are UrlState columns, plus site (a site name).
    Nothing is read back: the store path writes several states per page and uses none of them."""
    site = fields.pop("site", None)
    unknown = set(fields) - _URL_STATE_FIELDS
    if unknown:
        raise TypeError(f"unknown url_states fields: {', '.join(sorted(unknown))}")
    if "kind" in fields:
        check_choice("url kind", fields["kind"], URL_KINDS)
    values = {name: as_utc(value) if isinstance(value, datetime) else value for name, value in fields.items()}
    if site is not None:
        values["site_id"] = site_id(session, site)
    session.flush()
    insert_values = {"kind": "other", "discovered_at": utcnow(), **values, "url": url}
    statement = dialect_insert(session, UrlState).values(**insert_values)
    if values:
        statement = statement.on_conflict_do_update(index_elements=[UrlState.url], set_=values)
    else:
        statement = statement.on_conflict_do_nothing(index_elements=[UrlState.url])
    session.execute(statement)


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


def url_states_of_sites(session: Session, names: Sequence[str]) -> Iterator[tuple[UrlState, str]]:
    """Every URL state of the named sites, with its site's name (a crawl loads them once at its start)."""
    query = select(UrlState, Site.name).join(Site, UrlState.site_id == Site.id).where(Site.name.in_(names))
    for row in session.execute(query):
        yield row.tuple()
