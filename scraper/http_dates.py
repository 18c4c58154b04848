"""HTTP dates and conditional requests (RFC 9110), shared by the crawler and the servers we crawl in tests."""

from __future__ import annotations

from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Mapping
    from email.message import Message


def parse_http_date(value: str | None) -> datetime | None:
    """An HTTP-date (or any RFC 2822 date) as an aware datetime; None when absent or unreadable."""
    if not value:
        return None
    try:
        parsed = parsedate_to_datetime(value.strip())
    except (TypeError, ValueError):
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def _opaque(tag: str) -> str:
    """An entity tag without its weak marker: If-None-Match compares weakly (RFC 9110 13.1.2)."""
    tag = tag.strip()
    return tag[2:] if tag.startswith("W/") else tag


def not_modified(
    headers: Mapping[str, str] | Message, etag: str | None, last_modified: datetime | None
) -> bool:
    """Whether a GET with these request headers may be answered 304: If-None-Match if sent, else If-Modified-Since."""
    if_none_match = headers.get("If-None-Match")
    if if_none_match is not None:
        tags = [_opaque(t) for t in if_none_match.split(",")]
        return "*" in tags or (etag is not None and _opaque(etag) in tags)
    since = parse_http_date(headers.get("If-Modified-Since"))
    return since is not None and last_modified is not None and last_modified.replace(microsecond=0) <= since
