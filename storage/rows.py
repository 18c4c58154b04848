"""Small helpers every storage module shares: the dialect's upsert INSERT, aware timestamps, checked choices."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from storage.dialects import upsert_insert
from storage.timestamps import as_utc

if TYPE_CHECKING:
    from sqlalchemy.orm import Session


def dialect_insert(session: Session, entity: type[Any]) -> Any:
    """The dialect's INSERT, which has on_conflict_do_nothing / on_conflict_do_update on both."""
    return upsert_insert(session.get_bind().dialect.name, entity)


def aware_utc(value: datetime | str | None) -> datetime | None:
    """Aware UTC datetime; also takes the ISO 8601 strings of ArticleRecord.to_dict()."""
    if value is None or value == "":
        return None
    return as_utc(datetime.fromisoformat(value) if isinstance(value, str) else value)


def check_choice(what: str, value: str, allowed: tuple[str, ...]) -> None:
    if value not in allowed:
        raise ValueError(f"unknown {what} {value!r}: expected one of {', '.join(allowed)}")
