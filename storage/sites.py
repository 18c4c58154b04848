"""Site rows: looked up by name, created on first use, cached once per transaction."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import event, select
from sqlalchemy.orm import Session as OrmSession
from sqlalchemy.orm import SessionTransaction

from storage.models import (
    Site,
)
from storage.rows import dialect_insert
from storage.timestamps import utcnow

if TYPE_CHECKING:
    from sqlalchemy.orm import Session


def get_or_create_site(session: Session, name: str, home_url: str | None = None) -> Site:
    """The site row named name, created if new; a known site gains home_url if it had none."""
    query = select(Site).where(Site.name == name)
    site = session.scalars(query).one_or_none()
    if site is None:
        session.execute(
            dialect_insert(session, Site)
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
