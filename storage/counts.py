"""How often a query matches over time: per UTC day, ISO week or month of publication, with its share.

The database groups by UTC day (one small dialect expression); days are rolled up into ISO weeks or
months here, which keeps week numbering identical on both dialects. The share's denominator is every
article of the same sites in the period (the --site filter, else all sites; one site with per_site),
so a chart of shares is not skewed by how much a site published. Undated articles cannot be placed in
a period: undated_matches says how many were left out.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Literal

from sqlalchemy import func, select

from storage.dialects import index_scans, utc_day
from storage.matching import SearchFilters, filter_clauses, plan_query
from storage.models import Article, Site

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

Period = Literal["day", "week", "month"]
PERIODS: tuple[Period, ...] = ("day", "week", "month")


@dataclass(frozen=True, slots=True)
class CountRow:
    #: "2025-03-06" (day), "2025-W10" (ISO week), "2025-03" (month)
    period: str
    #: the site with per_site, else None
    site: str | None
    count: int
    #: every article of the same sites in that period
    total: int
    #: count / total, 0 when total is 0
    share: float


def period_of(day: str, by: Period) -> str:
    """The period label of a 'YYYY-MM-DD' day."""
    if by == "day":
        return day
    if by == "month":
        return day[:7]
    year, week, _ = date.fromisoformat(day).isocalendar()
    return f"{year}-W{week:02d}"


def _per_day(session: Session, select_from, per_site: bool) -> dict[tuple[str, str | None], int]:  # noqa: ANN001
    """Articles per UTC day (and site), grouped by the site's id: the query need not join the sites."""
    day = utc_day(session.get_bind().dialect.name)
    columns = [day.label("day"), Article.site_id] if per_site else [day.label("day")]
    query = select_from(*columns, func.count()).where(day.is_not(None)).group_by(*columns)
    names = dict(session.execute(select(Site.id, Site.name)).tuples().all()) if per_site else {}
    found: dict[tuple[str, str | None], int] = {}
    for row in session.execute(query):
        found[(str(row[0]), names[row[1]] if per_site else None)] = row[-1]
    return found


def _roll_up(days: dict[tuple[str, str | None], int], by: Period) -> dict[tuple[str, str | None], int]:
    periods: dict[tuple[str, str | None], int] = defaultdict(int)
    for (day, site), n in days.items():
        periods[(period_of(day, by), site)] += n
    return periods


def counts_over_time(
    session: Session, query: str, filters: SearchFilters, *, by: Period = "month", per_site: bool = False
) -> list[CountRow]:
    """Matching articles per period (and site), oldest first, for every period in which the sites published.

    Raises QuerySyntaxError for a malformed query, ValueError for an unknown period.
    """
    if by not in PERIODS:
        raise ValueError(f"unknown period {by!r}: use one of {', '.join(PERIODS)}")
    plan = plan_query(session.get_bind().dialect.name, query, filters, session)
    select_from = plan.select_scanning if plan.scan_pays(session) else plan.select
    with index_scans(session, plan.text is not None):
        matches = _roll_up(_per_day(session, select_from, per_site), by)
    # the denominator: same sites and dates (and one article per copy cluster when collapsing), no query
    base = SearchFilters(
        site=filters.site, since=filters.since, until=filters.until, collapse_copies=filters.collapse_copies
    )
    base_clauses = filter_clauses(base)

    def all_articles(*columns):  # noqa: ANN001, ANN202
        return select(*columns).select_from(Article).where(*base_clauses)

    totals = _roll_up(_per_day(session, all_articles, per_site), by)
    for key in matches:  # a match outside the base (impossible in practice) still gets a row
        totals.setdefault(key, matches[key])
    rows = []
    for period, site in sorted(totals, key=lambda key: (key[0], key[1] or "")):
        count = matches.get((period, site), 0)
        total = totals[(period, site)]
        rows.append(CountRow(period, site, count, total, count / total if total else 0.0))
    return rows


def undated_matches(session: Session, query: str, filters: SearchFilters) -> int:
    """How many matching articles have no publication date (left out of counts_over_time)."""
    plan = plan_query(session.get_bind().dialect.name, query, filters, session)
    return session.scalar(plan.select(func.count()).where(Article.published.is_(None))) or 0
