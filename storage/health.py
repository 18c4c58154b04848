"""Extraction health: per run and site, how many of the articles the run extracted have each field.

A site that changes its templates rarely makes extraction fail; it makes fields quietly go empty. Each
run records, per site, the articles it saw (extracted, or confirmed unchanged by a 304), and over the
articles it extracted the share with a title, authors, a date and a body of a minimum length, and the
median body length. `site_reports` compares a run with the trailing median of the runs before it and
names what dropped, so the daily refresh can fail loudly.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from sqlalchemy import delete, exists, func, select

from storage.models import Article, ArticleAuthor, CrawlRun, RawPage, Site, SiteHealth, UrlState
from storage.sites import site_id as site_id_of
from storage.timestamps import utcnow

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

#: The shares a run records, by the name `health` shows.
SHARES = ("title", "authors", "published", "body")
DEFAULT_MARGIN = 0.2
DEFAULT_WINDOW = 7
DEFAULT_MIN_BODY = 200
#: Fewer extracted articles than this make a run's shares too noisy to flag (a refresh of a quiet day).
DEFAULT_MIN_SAMPLE = 5


@dataclass(frozen=True, slots=True)
class Measure:
    """One site in one run; `shares` is empty when the run extracted none of its articles."""

    run_id: int
    articles: int
    extracted: int
    shares: dict[str, float]
    median_body: int | None


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
    seen = session.scalar(
        select(func.count(func.distinct(UrlState.article_id)))
        .join(Article, UrlState.article_id == Article.id)
        .join(Site, Article.site_id == Site.id)
        .where(Site.name == site, UrlState.last_fetched_at >= run.started_at)
    )
    extracted = select(RawPage.article_id).where(RawPage.run_id == run.id, RawPage.article_id.is_not(None))
    has_authors = exists().where(ArticleAuthor.article_id == Article.id)
    rows = session.execute(
        select(Article.title, has_authors, Article.published, func.length(Article.body))
        .join(Site, Article.site_id == Site.id)
        .where(Site.name == site, Article.id.in_(extracted))
    ).all()
    if not rows:
        return Measure(run.id, seen or 0, 0, {}, None)
    count = len(rows)
    lengths = [length or 0 for *_, length in rows]
    shares = {
        "title": sum(bool(title and title.strip()) for title, *_ in rows) / count,
        "authors": sum(bool(authors) for _, authors, *_ in rows) / count,
        "published": sum(published is not None for _, _, published, _ in rows) / count,
        "body": sum(length >= min_body for length in lengths) / count,
    }
    return Measure(run.id, max(seen or 0, count), count, shares, int(statistics.median(lengths)))


def record_health(session: Session, run_id: int, min_body: int = DEFAULT_MIN_BODY) -> list[str]:
    """Measure and store each site of the run; returns the sites measured. Measuring a run again replaces its
    rows (workers sharing one run each measure it as they stop; the last one sees all of it)."""
    run = session.get(CrawlRun, run_id)
    if run is None:
        return []
    session.execute(delete(SiteHealth).where(SiteHealth.run_id == run_id))
    sites = [name for name in run.sites.split(",") if name]
    for site in sites:
        measure = _measure_site(session, run, site, min_body)
        session.add(
            SiteHealth(
                run_id=run_id,
                site_id=site_id_of(session, site),
                measured_at=utcnow(),
                articles=measure.articles,
                extracted=measure.extracted,
                median_body=measure.median_body,
                **{f"{name}_share": measure.shares.get(name) for name in SHARES},
            )
        )
    session.flush()
    return sites


def _measure(row: SiteHealth) -> Measure:
    shares = {name: getattr(row, f"{name}_share") for name in SHARES if row.extracted}
    return Measure(row.run_id, row.articles, row.extracted, shares, row.median_body)


def _flags(last: Measure, before: list[Measure], trailing: dict[str, float], margin: float, min_sample: int) -> list[str]:
    if before and last.articles == 0 and statistics.median(m.articles for m in before) > 0:
        return ["articles: none this run"]
    if last.extracted < min_sample or not trailing:
        return []
    return [
        f"{share}: {last.shares[share]:.0%} of articles, trailing median {trailing[share]:.0%}"
        for share in SHARES
        if trailing[share] - last.shares[share] > margin
    ]


def site_reports(
    session: Session,
    *,
    window: int = DEFAULT_WINDOW,
    margin: float = DEFAULT_MARGIN,
    min_sample: int = DEFAULT_MIN_SAMPLE,
    sites: list[str] | None = None,
    run_id: int | None = None,
) -> list[SiteReport]:
    """Each site's last measured run (or its measure in `run_id`) against the `window` runs before it; the
    trailing shares are the medians over those of them that extracted at least `min_sample` articles."""
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
        sampled = [m for m in before if m.extracted >= min_sample]
        trailing = {s: statistics.median(m.shares[s] for m in sampled) for s in SHARES} if sampled else {}
        trailing_articles = statistics.median(m.articles for m in before) if before else None
        report = SiteReport(name, last, trailing, trailing_articles, len(measures))
        report.flags = _flags(last, before, trailing, margin, min_sample)
        reports.append(report)
    return reports
