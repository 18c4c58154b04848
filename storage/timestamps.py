"""Timezone-aware UTC timestamps: normalised on the way in, aware UTC on the way out, on every dialect."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from typing import TYPE_CHECKING

from sqlalchemy import DateTime
from sqlalchemy.types import TypeDecorator

if TYPE_CHECKING:
    from sqlalchemy.engine import Dialect


def utcnow() -> datetime:
    return datetime.now(UTC)


def as_utc(value: datetime) -> datetime:
    """The same instant in UTC; a naive datetime is taken to be UTC already."""
    if value.tzinfo is None or value.tzinfo.utcoffset(value) is None:
        return value.replace(tzinfo=UTC)
    return value.astimezone(UTC)


def iso(value: datetime | None) -> str | None:
    """ISO 8601 with offset, for exports; None stays None."""
    return as_utc(value).isoformat() if value is not None else None


def parse_stated(value: datetime | str | None) -> datetime | None:
    """A date as a record states it: a datetime, or the ISO 8601 string of ArticleRecord.to_dict()."""
    if value is None or value == "":
        return None
    return datetime.fromisoformat(value) if isinstance(value, str) else value


def offset_minutes(value: datetime | str | None) -> int | None:
    """The UTC offset the date was stated in, in minutes; None for no date or no stated zone."""
    stated = parse_stated(value)
    offset = stated.utcoffset() if stated is not None else None
    return None if offset is None else int(offset.total_seconds() // 60)


def as_stated(value: datetime | None, minutes: int | None) -> datetime | None:
    """The stored instant shown in the offset the page stated (UTC when unknown)."""
    if value is None:
        return None
    if minutes is None:
        return as_utc(value)
    return as_utc(value).astimezone(timezone(timedelta(minutes=minutes)))


def iso_stated(value: datetime | None, minutes: int | None) -> str | None:
    """ISO 8601 in the page's own offset, for exports: the local day a reader of the page saw."""
    stated = as_stated(value, minutes)
    return stated.isoformat() if stated is not None else None


class UTCDateTime(TypeDecorator[datetime]):
    """TIMESTAMP WITH TIME ZONE that always returns aware UTC datetimes.

    SQLite has no time zone type and hands back naive datetimes, so values are stored as naive UTC
    there (a fixed format keeps string comparison and ordering correct) and made aware on the way out.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        value = as_utc(value)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        return as_utc(value) if value is not None else None
