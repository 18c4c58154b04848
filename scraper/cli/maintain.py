"""`newsarchive reextract` and `health`: keep the archive's extraction current, and watch it per site."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from scraper.cli.common import (
    EXIT_FAILURES,
    EXIT_HEALTH,
    EXIT_OK,
    UsageError,
    add_command,
    add_db_option,
    iso_datetime,
    open_existing,
    positive_int,
    print_json,
)


def _known_site(archive: Any, name: str | None) -> None:
    from sqlalchemy import select

    from storage.models import Site

    if name is None:
        return
    with archive.sessions() as session:
        if session.scalar(select(Site.id).where(Site.name == name)) is None:
            raise UsageError(f"no site named {name!r} in the archive")


def cmd_reextract(args: argparse.Namespace) -> int:
    from pipelines.reextract import FIELDS, reextract
    from scraper.lock import run_lock

    overrides = None
    if args.sites:
        from scraper.sites import load_sites

        by_name = {site.name: dict(site.extraction) for site in load_sites(args.sites)}
        overrides = lambda name: by_name.get(name, {})  # noqa: E731
    with open_existing(args.db) as archive:
        _known_site(archive, args.site)
        with run_lock(archive):
            report = reextract(
                archive, site=args.site, since=args.since, dry_run=args.dry_run, overrides_of=overrides
            )
    verb = "would change" if args.dry_run else "changed"
    print(
        f"{report.articles} articles re-extracted with extractor {report.extractor_version}: {report.changed_articles} "
        f"{verb}, {report.new_revisions} new revisions, {len(report.failures)} failures"
        + (" (dry run: nothing written)" if args.dry_run else "")
    )
    for name in FIELDS:
        print(f"  {name:<14} {report.fields[name]:>6}")
    for failure in report.failures[:20]:
        print(f"failed: {failure}", file=sys.stderr)
    return EXIT_FAILURES if report.failures else EXIT_OK


def _cell(report: Any, share: str) -> str:
    last = f"{report.last.shares[share]:.0%}" if share in report.last.shares else "-"
    trailing = f"(~{report.trailing[share]:.0%})" if share in report.trailing else ""
    return f"{last} {trailing}".strip()


def cmd_health(args: argparse.Namespace) -> int:
    from storage.health import SHARES, site_reports

    with open_existing(args.db) as archive, archive.sessions() as session:
        reports = site_reports(session, window=args.window, margin=args.margin, min_sample=args.min_sample)
    if args.site:
        reports = [report for report in reports if report.site == args.site]
    if args.json:
        for report in reports:
            print_json(
                {
                    "site": report.site,
                    "run_id": report.last.run_id,
                    "articles": report.last.articles,
                    "extracted": report.last.extracted,
                    "shares": report.last.shares,
                    "median_body": report.last.median_body,
                    "trailing": report.trailing,
                    "trailing_articles": report.trailing_articles,
                    "flags": report.flags,
                }
            )
    else:
        if not reports:
            print("no health recorded yet: each finished crawl or refresh records it")
        width = max([4, *(len(report.site) for report in reports)])
        print(
            f"{'site':<{width}}  {'run':>5}  {'articles':>8}  {'extracted':>9}  "
            + "  ".join(f"{s:>12}" for s in SHARES)
            + "  median body"
        )
        for report in reports:
            last = report.last
            print(
                f"{report.site:<{width}}  {last.run_id:>5}  {last.articles:>8}  {last.extracted:>9}  "
                + "  ".join(f"{_cell(report, s):>12}" for s in SHARES)
                + f"  {last.median_body if last.median_body is not None else '-':>11}"
            )
        print(f"(~ trailing median of up to {args.window} runs before the last)")
        for report in reports:
            for flag in report.flags:
                print(f"FLAGGED {report.site}: {flag}")
    return EXIT_HEALTH if any(report.flags for report in reports) else EXIT_OK


def _margin(value: str) -> float:
    try:
        number = float(value)
    except ValueError:
        number = -1.0
    if not 0 <= number <= 1:
        raise argparse.ArgumentTypeError(f"not a share between 0 and 1: {value!r}")
    return number


def register(sub: Any) -> None:
    from storage.health import DEFAULT_MARGIN, DEFAULT_MIN_SAMPLE, DEFAULT_WINDOW

    reextract = add_command(
        sub,
        "reextract",
        cmd_reextract,
        "Re-run the current extractor over stored raw pages; a new revision only where the content changed.",
        "newsarchive reextract --db archive.db --site dispatch --dry-run",
    )
    add_db_option(reextract)
    reextract.add_argument("--site", metavar="NAME", help="only this site's articles")
    reextract.add_argument("--since", type=iso_datetime, metavar="DATE", help="only pages fetched on or after DATE")
    reextract.add_argument("--dry-run", action="store_true", help="count what would change; write nothing")
    reextract.add_argument("--sites", metavar="FILE", help="sites file, for its per-site extraction selectors")

    health = add_command(
        sub,
        "health",
        cmd_health,
        "Extraction health per site: the last run's field shares against the trailing median; drops flagged.",
        "newsarchive health --db archive.db",
    )
    add_db_option(health)
    health.add_argument("--site", metavar="NAME", help="only this site")
    health.add_argument(
        "--window", type=positive_int, default=DEFAULT_WINDOW, metavar="N", help=f"runs in the trailing median (default {DEFAULT_WINDOW})"
    )
    health.add_argument(
        "--margin", type=_margin, default=DEFAULT_MARGIN, metavar="SHARE", help=f"flag a drop larger than this (default {DEFAULT_MARGIN})"
    )
    health.add_argument(
        "--min-sample",
        type=positive_int,
        default=DEFAULT_MIN_SAMPLE,
        metavar="N",
        help=f"compare shares only of runs that extracted at least N articles (default {DEFAULT_MIN_SAMPLE})",
    )
    health.add_argument("--json", action="store_true", help="one JSON object per site")
