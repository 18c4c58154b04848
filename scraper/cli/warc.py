"""`newsarchive import-warc`: build or extend an archive from WARC files (ours, wget's, Common Crawl's)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from scraper.cli.common import (
    EXIT_FAILURES,
    EXIT_OK,
    UsageError,
    UserError,
    add_command,
    add_db_option,
    iso_datetime,
    positive_int,
)

if TYPE_CHECKING:
    from collections.abc import Callable

    from pipelines.warc_import import ImportProgress, SiteRule

#: Outcomes of an import, in the order its summary shows them.
SHOWN = ("new", "changed", "unchanged", "non_article", "failed", "not_html", "not_ok", "other_site", "out_of_dates")


def _site_of(args: argparse.Namespace) -> Callable[[str], SiteRule | None]:
    """URL -> site: by the sites file's domains, else by host (named by --name, else the host)."""
    from pipelines.warc_import import SiteRule
    from scraper.sites import load_sites
    from scraper.urls import host_of, in_domains

    if args.sites:
        sites = load_sites(args.sites)
        if args.site:
            sites = [site for site in sites if site.name == args.site]
            if not sites:
                raise UsageError(f"no site named {args.site!r} in {args.sites}")
        rules = [(site.domains, SiteRule(site.name, dict(site.extraction))) for site in sites]
        return lambda url: next((rule for domains, rule in rules if in_domains(url, domains)), None)
    if args.site:
        raise UsageError("--site names a site of the sites file: give --sites FILE too (or filter with --host)")
    hosts = [host.lower().removeprefix("www.") for host in args.host or []]

    def by_host(url: str) -> SiteRule | None:
        host = host_of(url)
        if not host or (hosts and not in_domains(url, hosts)):
            return None
        return SiteRule(args.name or host)

    return by_host


def _reporter(every: int) -> Callable[[str, ImportProgress], None]:
    """A progress line on stderr: rewritten in place on a terminal, else one line every `every` records."""
    tty = sys.stderr.isatty()

    def report(path: str, progress: ImportProgress) -> None:
        counts = progress.outcomes
        stored = counts["new"] + counts["changed"] + counts["unchanged"]
        line = (
            f"{Path(path).name}: {progress.records} records read, {stored} articles stored, "
            f"{counts['non_article']} other pages, {counts['failed']} failures"
        )
        sys.stderr.write(f"\r{line}\x1b[K" if tty else line + "\n")
        sys.stderr.flush()

    return report


def cmd_import_warc(args: argparse.Namespace) -> int:
    from pipelines.warc_import import ImportFilter, import_warcs
    from scraper.lock import run_lock
    from storage.db import open_archive

    missing = [path for path in args.files if not Path(path).is_file()]
    if missing:
        raise UserError(f"no such WARC file: {missing[0]}")
    if args.since and args.until and args.since >= args.until:
        raise UsageError("--since must be before --until")
    wanted = ImportFilter(_site_of(args), args.since, args.until)
    with open_archive(args.db) as archive, run_lock(archive):
        progress = import_warcs(
            archive,
            args.files,
            wanted,
            store_listings=not args.articles_only,
            report=_reporter(args.every),
            every=args.every,
        )
    if sys.stderr.isatty():
        sys.stderr.write("\n")
    counts = progress.outcomes
    stored = counts["new"] + counts["changed"] + counts["unchanged"]
    print(f"{progress.records} response records read from {len(args.files)} file(s), {stored} articles stored")
    print("  ".join(f"{name}: {counts[name]}" for name in SHOWN))
    return EXIT_FAILURES if progress.problems else EXIT_OK


def register(sub: Any) -> None:
    parser = add_command(
        sub,
        "import-warc",
        cmd_import_warc,
        "Import the HTML responses of WARC files (this project's, wget's, Common Crawl's) into the archive.",
        "newsarchive import-warc --db archive.db --sites sites.toml crawl-00001.warc.gz",
    )
    parser.add_argument("files", nargs="+", metavar="FILE", help="WARC files (.warc or .warc.gz)")
    add_db_option(parser)
    parser.add_argument("--sites", metavar="FILE", help="sites file: records are sorted to its sites by domain")
    parser.add_argument("--site", metavar="NAME", help="only this site of the sites file")
    parser.add_argument("--host", action="append", metavar="HOST", help="only records of this host (repeatable)")
    parser.add_argument("--name", metavar="NAME", help="site name for the records (default: their host)")
    parser.add_argument("--since", type=iso_datetime, metavar="DATE", help="only records fetched on or after DATE")
    parser.add_argument("--until", type=iso_datetime, metavar="DATE", help="only records fetched before DATE")
    parser.add_argument(
        "--every", type=positive_int, default=1000, metavar="N", help="a progress line every N records (default 1000)"
    )
    parser.add_argument(
        "--articles-only", action="store_true", help="keep raw pages of articles only, not of listings"
    )
