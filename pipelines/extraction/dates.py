"""Published and modified dates: gather every candidate the page states, then choose.

Candidates (pipelines/extraction/date_candidates.py) come from structured data, microdata and <time>, visible
datelines, the URL and, when nothing else speaks, htmldate. Each has a score from its source and its place on
the page; the highest wins, and candidates that agree on the day lift each other. Nothing is taken from the
clock: a candidate later than the fetch time is rejected, and a page that states no date has none.

The value keeps the page's own UTC offset: a naive time takes the offset the page states elsewhere, and a UTC
timestamp is shown in the page's local offset when the page also prints the same moment as local time.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone, tzinfo
from typing import TYPE_CHECKING, Any

from lxml import etree

from pipelines.extraction import language
from pipelines.extraction.date_candidates import (
    Candidate,
    structured_candidates,
    url_candidates,
    visible_candidates,
)
from pipelines.extraction.date_parse import COMPACT, ISO_LIKE, find_dates, parse_iso, parse_structured

if TYPE_CHECKING:
    from collections.abc import Mapping

    from pipelines.extraction.document import Document

__all__ = ["explain", "modified", "parse_iso", "parse_structured", "published"]

#: Earliest publication year believed (older values are placeholders such as 1970-01-01).
MIN_YEAR = 1990
#: Below this best score htmldate is asked too (its own heuristics read text we do not).
HTMLDATE_BELOW = 50
HTMLDATE_SCORE = 40
#: Places where a year is written that are read to confirm htmldate's day (bounds the work on huge pages).
MAX_YEAR_PLACES = 2000
#: English-language regions that write the day first (03/04/2024 = 3 April).
DAY_FIRST_REGIONS = frozenset({"gb", "uk", "au", "nz", "ie", "in", "za", "sg"})


def _month_first(doc: Document) -> bool:
    if language.language(doc) != "en":
        return False
    tag = (doc.tree.get("lang") or doc.meta_first("og:locale") or "").lower().replace("_", "-")
    return tag.split("-")[-1] not in DAY_FIRST_REGIONS


def _aware(value: datetime, zone: tzinfo | None) -> datetime:
    return value if value.tzinfo is not None else value.replace(tzinfo=zone or UTC)


def _page_zone(candidates: list[Candidate]) -> tzinfo | None:
    """The UTC offset the page states: a non-UTC one first (UTC is often a server's, not the page's)."""
    stated = [c.value.tzinfo for c in sorted(candidates, key=lambda c: -c.score) if c.value.tzinfo]
    local = [zone for zone in stated if zone.utcoffset(None) != timedelta(0)]
    return (local or stated or [None])[0]


def _reject(candidate: Candidate, fetched_at: datetime, zone: tzinfo | None) -> None:
    value = candidate.value
    if value.year < MIN_YEAR:
        candidate.rejected = f"before {MIN_YEAR}"
        return
    if value.tzinfo is None and zone is None:
        # No offset anywhere on the page: the local day may be up to 14 hours ahead of UTC.
        late = value.replace(tzinfo=UTC) - timedelta(hours=14) > fetched_at
    else:
        late = _aware(value, zone) > fetched_at
    if late:
        candidate.rejected = "later than the fetch time"


def _htmldate(doc: Document, fetched_at: datetime) -> Candidate | None:
    """htmldate's guess on the already-parsed tree (it copies the tree before pruning it): its fast markup
    search first, its slower free-text search only when that finds nothing."""
    from htmldate import find_date

    markup: str | None = None
    for extensive in (False, True):
        try:
            found = find_date(
                doc.tree,
                extensive_search=extensive,
                original_date=True,
                url=doc.url,
                max_date=fetched_at.date().isoformat(),
            )
        except Exception:  # noqa: BLE001 - a third-party heuristic's failure must cost a date, never the page
            found = None
        value = parse_iso(found)
        if value is None:
            continue
        if markup is None:
            markup = etree.tostring(doc.tree, encoding="unicode")
        # A month or a year alone ("May 2024", "(c) 2023") is no publication day: the page must state it.
        if _states_day(markup, value.date()):
            return Candidate(value, "htmldate", "page text", HTMLDATE_SCORE)
    return None


def _states_day(markup: str, day: date) -> bool:
    """Whether the page's markup states this full date anywhere (text, attributes, scripts, links); read
    only around the places its year is written. Every such place is tried with the cheap ISO-like patterns
    before any is read for printed dates (16 languages), the costly part: the answer does not depend on
    the order, and on most pages a datetime attribute settles it."""
    windows = _year_windows(markup, day.year)
    for window in windows:
        for pattern in (ISO_LIKE, COMPACT):
            for match in pattern.finditer(window):
                if _day(match.group("y"), match.group("m"), match.group("d")) == day:
                    return True
    return any(found.value.date() == day for window in windows for found in find_dates(window))


def _year_windows(markup: str, year: int) -> list[str]:
    """The distinct stretches of markup around each place the year is written (2024, or .24 as in 5.3.24),
    at most MAX_YEAR_PLACES places per spelling."""
    windows: dict[str, None] = {}
    for spelling in (str(year), f".{year % 100:02d}"):
        start, looked = markup.find(spelling), 0
        while start != -1 and looked < MAX_YEAR_PLACES:
            looked += 1
            windows[markup[max(0, start - 40) : start + 40]] = None
            start = markup.find(spelling, start + len(spelling))
    return list(windows)


def _day(year: str, month: str, day: str) -> date | None:
    try:
        return date(int(year), int(month), int(day))
    except ValueError:
        return None


def candidates(doc: Document, fetched_at: datetime | None = None) -> list[Candidate]:
    """Every date candidate on the page, scored, rejected ones marked (memoised per page)."""
    if "date_candidates" in doc.cache:
        return doc.cache["date_candidates"]
    fetched_at = fetched_at or datetime.now(UTC)
    if fetched_at.tzinfo is None:
        fetched_at = fetched_at.replace(tzinfo=UTC)
    found = structured_candidates(doc) + visible_candidates(doc, _month_first(doc)) + url_candidates(doc)
    zone = _page_zone(found)
    for candidate in found:
        _reject(candidate, fetched_at, zone)
    best = _best(found, "published")
    if best is None or best.score < HTMLDATE_BELOW:
        extra = _htmldate(doc, fetched_at)
        if extra is not None:
            _reject(extra, fetched_at, zone)
            found.append(extra)
    doc.cache["date_candidates"] = found
    doc.cache["date_zone"] = zone
    return found


def _best(found: list[Candidate], kind: str) -> Candidate | None:
    live = [c for c in found if not c.rejected and c.kind == kind]
    return max(live, key=lambda c: (c.score, -c.order), default=None)


def _local(value: datetime, found: list[Candidate]) -> datetime:
    """A UTC value shown in the page's own offset, when the page states the same moment as local time."""
    if value.utcoffset() != timedelta(0):
        return value
    for candidate in found:
        other = candidate.value
        if other.tzinfo is not None:
            if other.utcoffset() != timedelta(0) and other == value:
                return value.astimezone(other.tzinfo)
            continue
        if (other.hour, other.minute) == (0, 0) or other.second != value.second or candidate.kind != "published":
            continue
        shift = other - value.replace(tzinfo=None)
        # Whole hours, or half hours when the seconds match too (a coincidence otherwise).
        step = timedelta(hours=1) if value.second == 0 else timedelta(minutes=30)
        if shift and abs(shift) <= timedelta(hours=14) and shift % step == timedelta(0):
            return value.astimezone(timezone(shift))
    return value


def _chosen(doc: Document, kind: str, fetched_at: datetime | None) -> datetime | None:
    found = candidates(doc, fetched_at)
    best = _best(found, kind)
    if best is None:
        return None
    doc.cache[f"date_chosen_{kind}"] = best
    value = _local(_aware(best.value, doc.cache["date_zone"]), found)
    doc.cache[f"date_result_{kind}"] = value
    return value


def _from_selector(doc: Document, selector: str) -> datetime | None:
    for element in doc.select(selector):
        stated = element.get("datetime") or element.get("content")
        value = parse_iso(stated) if stated else None
        if value is None:
            printed = find_dates(" ".join(element.text_content().split()), _month_first(doc))
            value = printed[0].value if printed else None
        if value is not None:
            return value
    return None


def published(
    doc: Document,
    sources: dict[str, str],
    overrides: Mapping[str, str] | None = None,
    fetched_at: datetime | None = None,
) -> datetime | None:
    """When the article was first published (timezone-aware, in the page's own offset), or None."""
    selector = (overrides or {}).get("published")
    if selector:
        found = _from_selector(doc, selector)
        if found is not None:
            sources["published"] = "override"
            return _aware(found, _page_zone(candidates(doc, fetched_at)))
    value = _chosen(doc, "published", fetched_at)
    if value is not None:
        sources["published"] = doc.cache["date_chosen_published"].source
    return value


def modified(doc: Document, sources: dict[str, str], fetched_at: datetime | None = None) -> datetime | None:
    """When the article was last updated, where the page states it."""
    value = _chosen(doc, "modified", fetched_at)
    if value is not None:
        sources["modified"] = doc.cache["date_chosen_modified"].source
    return value


def explain(doc: Document) -> list[dict[str, Any]]:
    """The date candidates, best first, the chosen ones marked: for `extract --explain`."""
    found = sorted(doc.cache.get("date_candidates", ()), key=lambda c: (c.kind != "published", -c.score))
    listed = []
    for candidate in found:
        entry = candidate.to_dict()
        if doc.cache.get(f"date_chosen_{candidate.kind}") is candidate:
            # The value as recorded: with the page's offset attached or applied.
            entry.update(chosen=True, recorded=doc.cache[f"date_result_{candidate.kind}"].isoformat())
        listed.append(entry)
    return listed
