"""Query-string parameters shared by the pages and the API, read into the query layer's types.

Every problem is a ParamError whose message is one line naming the parameter: the pages show it above
the form, the API answers it as `{"error": message}` with status 400.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any
from urllib.parse import urlencode

from storage.search import SearchFilters

#: longest text accepted in one parameter; a longer one is a mistake or an attack, not a search
MAX_TEXT = 1000
PERIODS = ("day", "week", "month")
MEASURES = ("count", "share")
#: results per page on the pages and the API's largest page (the export has no cap)
PAGE_SIZE = 20
MAX_LIMIT = 100
MAX_PAGE = 10_000
#: the filter parameters, in the order forms and links carry them
FILTER_PARAMS = ("site", "author", "section", "lang", "since", "until")


class ParamError(ValueError):
    """A bad query-string parameter; str() is one line for the user."""


def text(name: str, value: str | None) -> str | None:
    """The parameter stripped, None when empty; NUL characters and overlong values are refused."""
    if value is None:
        return None
    if "\x00" in value:
        raise ParamError(f"{name}: contains a NUL character")
    if len(value) > MAX_TEXT:
        raise ParamError(f"{name}: longer than {MAX_TEXT} characters")
    return value.strip() or None


def query(value: str | None, name: str = "q") -> str:
    """The search query; empty means every article."""
    return text(name, value) or ""


def when(name: str, value: str | None, *, end: bool = False) -> datetime | None:
    """An ISO date or datetime (UTC when no offset is given).

    For `until` (end=True) a bare date means the end of that day, so since=until=D is the day D.
    """
    value = text(name, value)
    if value is None:
        return None
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        raise ParamError(f"{name}: not an ISO date or datetime: {value!r} (e.g. 2025-03-06)") from None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    if end and _is_bare_date(value):
        try:
            parsed += timedelta(days=1)
        except OverflowError:
            return None
    return parsed


def _is_bare_date(value: str) -> bool:
    try:
        date.fromisoformat(value)
    except ValueError:
        return False
    return True


def flag(name: str, value: str | None) -> bool:
    """A checkbox or 0/1 flag: absent, empty, 0, false, off and no are false."""
    value = text(name, value)
    if value is None:
        return False
    lowered = value.lower()
    if lowered in ("1", "true", "on", "yes"):
        return True
    if lowered in ("0", "false", "off", "no"):
        return False
    raise ParamError(f"{name}: expected 1 or 0, not {value!r}")


def choice(name: str, value: str | None, allowed: tuple[str, ...]) -> str:
    """One of allowed; empty gives the first."""
    value = text(name, value)
    if value is None:
        return allowed[0]
    if value not in allowed:
        raise ParamError(f"{name}: expected one of {', '.join(allowed)}, not {value!r}")
    return value


def number(name: str, value: str | None, *, default: int, maximum: int) -> int:
    """A whole number from 1 to maximum; empty gives default."""
    value = text(name, value)
    if value is None:
        return default
    if not (value.isascii() and value.isdigit()) or not 1 <= int(value) <= maximum:
        raise ParamError(f"{name}: expected a whole number from 1 to {maximum}, not {value!r}")
    return int(value)


def filters(params: Any) -> SearchFilters:
    """SearchFilters from a mapping of query parameters (site, author, section, lang, since, until)."""
    since = when("since", params.get("since"))
    until = when("until", params.get("until"), end=True)
    if since is not None and until is not None and since >= until:
        raise ParamError("since: must be before until")
    return SearchFilters(
        site=text("site", params.get("site")),
        author=text("author", params.get("author")),
        section=text("section", params.get("section")),
        language=text("lang", params.get("lang")),
        since=since,
        until=until,
        collapse_copies=flag("collapse_copies", params.get("collapse_copies")),
    )


@dataclass(frozen=True)
class Echo:
    """The parameters as the user gave them, to refill forms and build links that keep them."""

    values: dict[str, str]

    @classmethod
    def of(cls, params: Any, names: tuple[str, ...]) -> Echo:
        kept = {}
        for name in names:
            value = params.get(name)
            if value and "\x00" not in value and len(value) <= MAX_TEXT:
                kept[name] = value
        return cls(kept)

    def get(self, name: str) -> str:
        return self.values.get(name, "")

    def link(self, path: str = "", **changes: Any) -> str:
        """path with these parameters, changed (None removes one); for href attributes."""
        merged = dict(self.values)
        for name, value in changes.items():
            if value is None or value == "":
                merged.pop(name, None)
            else:
                merged[name] = str(value)
        return f"{path}?{urlencode(merged)}" if merged else (path or "?")
