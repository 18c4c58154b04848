"""Crawl runs, fetch failures and raw pages: the bookkeeping of what each run fetched and what went wrong."""

from __future__ import annotations

import zlib
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import func, select, update

from storage.models import (
    RUN_KINDS,
    RUN_STATUSES,
    CrawlRun,
    FetchFailure,
    RawPage,
    Site,
)
from storage.rows import check_choice
from storage.sites import site_id
from storage.timestamps import as_utc, utcnow

if TYPE_CHECKING:
    from sqlalchemy.orm import Session


ZLIB_LEVEL = 6


def start_run(session: Session, kind: str, sites: Sequence[str]) -> int:
    check_choice("run kind", kind, RUN_KINDS)
    run = CrawlRun(kind=kind, started_at=utcnow(), status="running", counts={}, sites=",".join(sites))
    session.add(run)
    session.flush()
    return run.id


def close_abandoned_runs(session: Session) -> list[int]:
    """Mark runs still 'running' as interrupted: called under the run lock, so none of them is alive
    (the process was killed before it could close its run). Returns the ids of the runs closed."""
    ids = list(session.scalars(select(CrawlRun.id).where(CrawlRun.status == "running")))
    if ids:
        session.execute(
            update(CrawlRun).where(CrawlRun.id.in_(ids)).values(status="interrupted", finished_at=utcnow())
        )
    return ids


def interrupted_runs_started(session: Session, run_ids: Sequence[int]) -> dict[int, datetime]:
    """Run id -> start time of those of the given runs that ended without finishing (killed, stopped or
    failed): the runs whose journals a resumed run may replay."""
    rows = session.execute(
        select(CrawlRun.id, CrawlRun.started_at).where(
            CrawlRun.id.in_(run_ids), CrawlRun.status.in_(("interrupted", "failed"))
        )
    )
    return {run_id: as_utc(started) for run_id, started in rows.tuples()}


def pages_of_runs(session: Session, run_ids: Sequence[int]) -> dict[str, int]:
    """URL -> raw page id of the HTML pages (status 200) that the given runs fetched and stored."""
    rows = session.execute(
        select(RawPage.url, RawPage.id).where(RawPage.run_id.in_(run_ids), RawPage.status == 200).order_by(RawPage.id)
    )
    return dict(rows.tuples().all())


def finish_run(session: Session, run_id: int, status: str, counts: Mapping[str, int]) -> None:
    check_choice("run status", status, RUN_STATUSES)
    session.execute(
        update(CrawlRun)
        .where(CrawlRun.id == run_id)
        .values(status=status, finished_at=utcnow(), counts=dict(counts))
    )


def add_run_counts(
    session: Session, run_id: int, counts: Mapping[str, int], status: str | None = None
) -> None:
    """Add one worker's counts to a run that several workers share; the last one also sets the status."""
    run = session.scalars(
        select(CrawlRun).where(CrawlRun.id == run_id).with_for_update().execution_options(populate_existing=True)
    ).one()
    merged = dict(run.counts or {})
    for key, value in counts.items():
        merged[key] = int(merged.get(key, 0)) + int(value)
    run.counts = merged
    if status is not None:
        check_choice("run status", status, RUN_STATUSES)
        run.status = status
        run.finished_at = utcnow()
    session.flush()


def record_failure(
    session: Session,
    *,
    url: str,
    reason: str,
    status: int | None = None,
    site: str | None = None,
    run_id: int | None = None,
    failed_at: datetime | None = None,
) -> None:
    session.add(
        FetchFailure(
            url=url,
            reason=reason,
            status=status,
            site_id=site_id(session, site) if site else None,
            run_id=run_id,
            failed_at=as_utc(failed_at) if failed_at else utcnow(),
        )
    )
    session.flush()


def save_raw_page(
    session: Session,
    *,
    url: str,
    status: int,
    headers: Mapping[str, str],
    body: bytes,
    fetched_at: datetime,
    page_type: str,
    site: str | None = None,
    run_id: int | None = None,
    encoding: str | None = None,
    warc: Mapping[str, Any] | None = None,
) -> int:
    """Store a response as received (body zlib-compressed); returns the raw page id.

    When a WARC file holds the response (`warc`: its `file`, `offset` and `length`), the row points to the
    record instead of keeping the body a second time."""
    page = RawPage(
        url=url,
        status=status,
        headers=dict(headers),
        body=zlib.compress(b"" if warc else body, ZLIB_LEVEL),
        warc_file=warc["file"] if warc else None,
        warc_offset=warc["offset"] if warc else None,
        warc_length=warc["length"] if warc else None,
        encoding=encoding,
        fetched_at=as_utc(fetched_at),
        page_type=page_type,
        site_id=site_id(session, site) if site else None,
        run_id=run_id,
    )
    session.add(page)
    session.flush()
    return page.id


def get_raw_page(session: Session, page_id: int) -> RawPage | None:
    """The raw page; its .content property gives the decompressed body."""
    return session.get(RawPage, page_id)


def latest_article_pages(
    session: Session, *, site: str | None = None, since: datetime | None = None
) -> list[tuple[int, int]]:
    """(article id, raw page id) of the latest raw page of each article, optionally of one site and
    fetched since a time: what re-extraction reads."""
    ranked = select(
        RawPage.id.label("page_id"),
        RawPage.article_id.label("article_id"),
        func.row_number()
        .over(partition_by=RawPage.article_id, order_by=(RawPage.fetched_at.desc(), RawPage.id.desc()))
        .label("rank"),
    ).where(RawPage.article_id.is_not(None))
    if site is not None:
        ranked = ranked.join(Site, RawPage.site_id == Site.id).where(Site.name == site)
    if since is not None:
        ranked = ranked.where(RawPage.fetched_at >= as_utc(since))
    latest = ranked.subquery()
    rows = session.execute(
        select(latest.c.article_id, latest.c.page_id).where(latest.c.rank == 1).order_by(latest.c.article_id)
    )
    return [(article_id, page_id) for article_id, page_id in rows]
