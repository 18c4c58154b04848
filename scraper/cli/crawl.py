"""`newsarchive crawl`, `refresh` and `demo`: the commands that run the Scrapy engine."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import Any

from scraper.cli.common import (
    EXIT_FAILURES,
    EXIT_HEALTH,
    EXIT_OK,
    UsageError,
    UserError,
    add_command,
    add_db_option,
    positive_int,
    web_url,
)

#: The port the demo site prefers, so that running the demo again finds the same article URLs.
DEMO_PORT = 8765


def _finish(result: Any) -> int:
    from scraper.runner import summary_lines

    for line in summary_lines(result):
        print(line)
    if result.finish_reason != "finished" or result.problems:
        return EXIT_FAILURES
    return EXIT_OK


def _crawl_settings(args: argparse.Namespace) -> dict[str, Any]:
    settings: dict[str, Any] = {"NEWSARCHIVE_PROGRESS": sys.stderr.isatty() and not args.verbose}
    settings["LOG_LEVEL"] = "DEBUG" if args.verbose else "WARNING" if sys.stderr.isatty() else "INFO"
    if args.max_pages:
        settings["NEWSARCHIVE_MAX_PAGES_PER_SITE"] = args.max_pages
    if getattr(args, "local", False):
        from scraper.runner import LOCAL_SITE_SETTINGS

        settings.update(LOCAL_SITE_SETTINGS)
    if getattr(args, "warc", None):
        settings["NEWSARCHIVE_WARC_DIR"] = str(Path(args.warc).resolve())
    for pair in args.set or []:
        key, sep, value = pair.partition("=")
        if not sep:
            raise UsageError(f"--set takes NAME=VALUE, got {pair!r}")
        settings[key] = value
    return settings


def _run(args: argparse.Namespace, mode: str) -> int:
    from scraper.runner import default_jobdir, run_crawl, run_key
    from scraper.sites import load_sites
    from storage.db import resolve_db_url

    sites = load_sites(args.sites) if args.sites else None
    urls = [web_url(url) for url in getattr(args, "urls", None) or []]
    if not sites and not urls:
        raise UsageError("nothing to crawl: give URLs or --sites FILE")
    if args.site and not any(site.name == args.site for site in sites or []):
        known = ", ".join(site.name for site in sites or []) or "none: --site needs --sites FILE"
        raise UsageError(f"no site named {args.site!r} in the sites file (sites: {known})")
    names = [site.name for site in sites or []] + urls
    settings = _crawl_settings(args)
    redis_url = args.redis or os.environ.get("NEWSARCHIVE_REDIS_URL")
    if redis_url:
        from scraper import settings as crawl_defaults
        from scraper.redis_frontier import redis_settings

        delay = float(settings.get("DOWNLOAD_DELAY", crawl_defaults.DOWNLOAD_DELAY))
        settings.update(redis_settings(redis_url, run_key(resolve_db_url(args.db), mode, names, args.site), delay))
    jobdir = Path(args.jobdir) if args.jobdir else default_jobdir(resolve_db_url(args.db), mode, names, args.site)
    unused_jobdir = jobdir if args.no_resume and not redis_url else None
    if args.no_resume or redis_url:
        jobdir = None
    result = run_crawl(
        args.db,
        start_urls=urls,
        site_name=getattr(args, "name", None),
        sites=sites,
        only=args.site,
        mode=mode,
        settings=settings,
        jobdir=jobdir,
        exclusive=not redis_url,
        unused_jobdir=unused_jobdir,
    )
    code = _finish(result)
    flags = result.stats.get("newsarchive/health/flags") or []
    if mode == "refresh" and code == EXIT_OK and flags:
        print(f"newsarchive: extraction health dropped: {'; '.join(flags)} (see newsarchive health)", file=sys.stderr)
        return EXIT_HEALTH
    return code


def cmd_crawl(args: argparse.Namespace) -> int:
    return _run(args, "crawl")


def cmd_refresh(args: argparse.Namespace) -> int:
    return _run(args, "refresh")


def cmd_demo(args: argparse.Namespace) -> int:
    from scraper.demo_site.server import DemoSite
    from scraper.runner import LOCAL_SITE_SETTINGS, run_crawl
    from storage.db import open_archive, resolve_db_url
    from storage.search import search

    db_url = resolve_db_url(args.db or "newsarchive.db")
    demo_site = DemoSite(port=args.port)
    try:
        demo_site.start()
    except OSError:
        if args.port != DEMO_PORT:
            raise UserError(f"port {args.port} is in use; choose another with --port") from None
        demo_site = DemoSite(port=0)
        demo_site.start()
        print(
            f"note: port {DEMO_PORT} is in use, serving on another one; the demo articles get new URLs "
            "and are stored again beside the earlier ones",
            file=sys.stderr,
        )
    with demo_site as site:
        print(f"demo site serving at {site.base_url}; crawling it into {db_url}")
        settings = {
            **LOCAL_SITE_SETTINGS,
            "LOG_LEVEL": "WARNING",
            "NEWSARCHIVE_PROGRESS": sys.stderr.isatty(),
        }
        result = run_crawl(
            db_url, start_urls=[site.base_url], site_name="demo", run_kind="demo", settings=settings
        )
    code = _finish(result)
    with open_archive(db_url) as archive, archive.sessions() as session:
        hits = search(session, args.query, limit=3)
    print(f"\nsample search {args.query!r}: {len(hits)} best hits")
    for hit in hits:
        print(f"  [{hit.article_id}] {hit.title}  ({hit.published.date() if hit.published else 'undated'})")
        print(f"      {hit.snippet}")
    print(f"\ntry: newsarchive search --db {args.db or 'newsarchive.db'} 'your words'")
    return code


# --- query -------------------------------------------------------------------------------------------


def _add_crawl_options(parser: argparse.ArgumentParser) -> None:
    add_db_option(parser)
    parser.add_argument("--sites", metavar="FILE", help="sites file (sites.toml)")
    parser.add_argument("--site", metavar="NAME", help="only this site of the sites file")
    parser.add_argument("--max-pages", type=positive_int, metavar="N", help="pages per site per run at most")
    parser.add_argument(
        "--local", action="store_true", help="no politeness delays (for servers on this machine)"
    )
    parser.add_argument("--set", action="append", metavar="NAME=VALUE", help="override a Scrapy setting")
    parser.add_argument(
        "--jobdir",
        metavar="DIR",
        help="where an interrupted run keeps its pending requests (default: beside the SQLite file, "
        "else ~/.local/state/newsarchive)",
    )
    parser.add_argument("--no-resume", action="store_true", help="do not keep or resume pending requests")
    parser.add_argument(
        "--redis",
        metavar="URL",
        help="share the crawl frontier through Redis so several workers crawl together "
        "(default: $NEWSARCHIVE_REDIS_URL; needs the 'redis' extra)",
    )
    parser.add_argument(
        "--warc",
        metavar="DIR",
        help="also write every response to WARC files in DIR, with a CDXJ index (setting NEWSARCHIVE_WARC_DIR)",
    )
    parser.add_argument("-v", "--verbose", action="store_true", help="debug logging")


def register(sub: Any) -> None:
    demo = add_command(
        sub,
        "demo",
        cmd_demo,
        "Serve the bundled demo news site on loopback and crawl it into an archive.",
        "newsarchive demo --db demo.db",
    )
    add_db_option(demo)
    demo.add_argument(
        "--port",
        type=int,
        default=DEMO_PORT,
        help=f"port for the demo site (default: {DEMO_PORT}, else a free one)",
    )
    demo.add_argument("--query", default="intelligence", help="the sample search to run at the end")

    crawl = add_command(
        sub,
        "crawl",
        cmd_crawl,
        "Full discovery crawl of sites (home and section pages, feeds, sitemaps).",
        "newsarchive crawl --sites sites.toml --db archive.db   |   newsarchive crawl https://news.example/",
    )
    crawl.add_argument("urls", nargs="*", metavar="URL", help="start URLs (instead of, or besides, --sites)")
    crawl.add_argument("--name", help="site name for the start URLs (default: their host)")
    _add_crawl_options(crawl)

    refresh = add_command(
        sub,
        "refresh",
        cmd_refresh,
        "Incremental daily run: new URLs from feeds, sitemaps and front pages; re-check recent articles.",
        "newsarchive refresh --sites sites.toml --db archive.db",
    )
    _add_crawl_options(refresh)
