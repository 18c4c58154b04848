"""Extraction health: per run and site, how many of the articles the run saw have each field.

A site that changes its templates rarely makes extraction fail; it makes fields quietly go empty. Each
run records, per site, the share of its articles with a title, authors, a date and a body of a minimum
length, and the median body length; `flags` compares a run with the trailing median of the runs before
it and names what dropped, so the daily refresh can fail loudly.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from sqlalchemy import exists, func, select

from storage.models import Article, ArticleAuthor, CrawlRun, Site, SiteHealth, UrlState
from storage.sites import site_id as site_id_of
from storage.timestamps import utcnow

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

#: The shares a run records, by the name `health` shows.
SHARES = ("title", "authors", "published", "body")
DEFAULT_MARGIN = 0.2
DEFAULT_WINDOW = 7
DEFAULT_MIN_BODY = 200


@dataclass(frozen=True, slots=True)
class Measure:
    """One site in one run."""

    run_id: int
    articles: int
    shares: dict[str, float]
    median_body: int


@dataclass(slots=True)
class SiteReport:
    """A site's last run against the trailing median of the runs before it; `flags` names what dropped."""

    site: str
    last: Measure
    trailing: dict[str, float]
    trailing_articles: float | None
    runs: int
    flags: list[str] = field(default_factory=list)


def _measure_site(session: Session, run: CrawlRun, site: str, min_body: int) -> Measure:
    """Over the site's articles this run fetched or re-checked (a 304 counts: the article is still there)."""
    has_authors = exists().where(ArticleAuthor.article_id == Article.id)
    seen = (
        select(UrlState.article_id)
        .where(UrlState.article_id.is_not(None), UrlState.last_fetched_at >= run.started_at)
        .distinct()
    )
    rows = session.execute(
        select(Article.title, has_authors, Article.published, func.length(Article.body))
        .join(Site, Article.site_id == Site.id)
        .where(Site.name == site, Article.id.in_(seen))
    ).all()
    count = len(rows)

    def share(values: list[bool]) -> float:
        return sum(values) / count if count else 0.0

    lengths = [length or 0 for *_, length in rows]
    return Measure(
        run.id,
        count,
        {
            "title": share([bool(title and title.strip()) for title, *_ in rows]),
            "authors": share([bool(authors) for _, authors, *_ in rows]),
            "published": share([published is not None for _, _, published, _ in rows]),
            "body": share([length >= min_body for length in lengths]),
        },
        int(statistics.median(lengths)) if lengths else 0,
    )


def record_health(session: Session, run_id: int, min_body: int = DEFAULT_MIN_BODY) -> list[str]:
    """Measure and store each site of the run; returns the sites measured."""
    run = session.get(CrawlRun, run_id)
    if run is None:
        return []
    sites = [name for name in run.sites.split(",") if name]
    for site in sites:
        measure = _measure_site(session, run, site, min_body)
        session.add(
            SiteHealth(
                run_id=run_id,
                site_id=site_id_of(session, site),
                measured_at=utcnow(),
                articles=measure.articles,
                title_share=measure.shares["title"],
                authors_share=measure.shares["authors"],
                published_share=measure.shares["published"],
                body_share=measure.shares["body"],
                median_body=measure.median_body,
            )
        )
    session.flush()
    return sites


def _measure(row: SiteHealth) -> Measure:
    shares = {name: getattr(row, f"{name}_share") for name in SHARES}
    return Measure(row.run_id, row.articles, shares, row.median_body)


def site_reports(
    session: Session,
    *,
    window: int = DEFAULT_WINDOW,
    margin: float = DEFAULT_MARGIN,
    sites: list[str] | None = None,
    run_id: int | None = None,
) -> list[SiteReport]:
    """Each site's last measured run (or its measure in `run_id`) against the `window` runs before it."""
    query = select(SiteHealth, Site.name).join(Site, SiteHealth.site_id == Site.id)
    if sites is not None:
        query = query.where(Site.name.in_(sites))
    if run_id is not None:
        query = query.where(SiteHealth.run_id <= run_id)
    history: dict[str, list[Measure]] = {}
    for row, name in session.execute(query.order_by(Site.name, SiteHealth.run_id.desc())):
        history.setdefault(name, []).append(_measure(row))
    reports = []
    for name, measures in history.items():
        last, before = measures[0], measures[1 : window + 1]
        if run_id is not None and last.run_id != run_id:
            continue
        trailing = {s: statistics.median(m.shares[s] for m in before) for s in SHARES} if before else {}
        trailing_articles = statistics.median(m.articles for m in before) if before else None
        report = SiteReport(name, last, trailing, trailing_articles, len(measures))
        if trailing_articles and last.articles == 0:
            report.flags.append("articles: none this run")
        elif last.articles:
            for share in SHARES:
                if share in trailing and trailing[share] - last.shares[share] > margin:
                    report.flags.append(
                        f"{share}: {last.shares[share]:.0%} of articles, trailing median {trailing[share]:.0%}"
                    )
        reports.append(report)
    return reports
