"""The `newsarchive` command: thin subcommands over library functions.

Exit codes: 0 ok; 1 finished with failures (pages fetched but not processed, an interrupted run, or
`extract` files that failed); 2 usage error (a bad argument or query); 3 could not run (database, sites
file); 4 another run holds the archive's lock; 5 `show` found no such article.
"""

from __future__ import annotations

import argparse
import csv
import gzip
import json
import os
import sys
from dataclasses import asdict
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn
from urllib.parse import urlsplit

from pipelines.extraction.record import RECORD_FIELDS

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable

EXIT_OK, EXIT_FAILURES, EXIT_USAGE, EXIT_CANNOT_RUN, EXIT_LOCKED, EXIT_NOT_FOUND = 0, 1, 2, 3, 4, 5
#: The port the demo site prefers, so that running the demo again finds the same article URLs.
DEMO_PORT = 8765


class UserError(Exception):
    """An expected problem the user can fix; printed as one line, exit EXIT_CANNOT_RUN."""


class UsageError(UserError):
    """A bad argument or query; exit EXIT_USAGE."""


class NotFound(UserError):
    """The archive holds no such record; exit EXIT_NOT_FOUND."""


class Parser(argparse.ArgumentParser):
    """argparse, but a usage error is one line and exit code 2, never a traceback."""

    def error(self, message: str) -> NoReturn:
        self.exit(EXIT_USAGE, f"{self.prog}: error: {message} (see '{self.prog} --help')\n")


def _datetime(value: str) -> datetime:
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"not an ISO date or datetime: {value!r} (e.g. 2025-03-06)"
        ) from None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def _positive_int(value: str) -> int:
    try:
        number = int(value)
    except ValueError:
        number = 0
    if number < 1:
        raise argparse.ArgumentTypeError(f"not a whole number of at least 1: {value!r}")
    return number


def _web_url(value: str) -> str:
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise UsageError(f"not a web address: {value!r} (start URLs look like https://news.example/)")
    return value


def _add_db(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--db",
        metavar="URL",
        help="database URL or SQLite path (default: $NEWSARCHIVE_DB, else ./newsarchive.db)",
    )


def _print_json(obj: Any) -> None:
    sys.stdout.write(json.dumps(obj, ensure_ascii=False, default=str) + "\n")


def _open_existing(db: str | None) -> Any:
    """Open an archive to read; a SQLite path that does not exist is a user error, not a new empty archive."""
    from sqlalchemy.engine import make_url

    from storage.db import open_archive, resolve_db_url

    url = resolve_db_url(db)
    parsed = make_url(url)
    database = parsed.database if parsed.get_backend_name() == "sqlite" else None
    if database and database != ":memory:" and not Path(database).exists():
        raise UserError(f"no archive at {parsed.database} (give --db, or crawl first: newsarchive demo)")
    return open_archive(url)


# --- extract -----------------------------------------------------------------------------------------


def _page_id(path: Path) -> str:
    name = path.name
    for suffix in (".html.gz", ".htm.gz", ".html", ".htm", ".gz"):
        if name.endswith(suffix):
            return name[: -len(suffix)]
    return name


def _read_page(path: Path) -> bytes:
    data = path.read_bytes()
    return gzip.decompress(data) if path.suffix == ".gz" or data[:2] == b"\x1f\x8b" else data


def cmd_extract(args: argparse.Namespace) -> int:
    from pipelines.extraction.extract import ExtractionError, extract_page

    failed = 0
    for name in args.paths:
        path = Path(name)
        line: dict[str, Any] = {"id": _page_id(path)}
        try:
            extraction = extract_page(_read_page(path), args.url)
        except (OSError, EOFError, ExtractionError) as error:
            failed += 1
            line["error"] = f"{path}: {getattr(error, 'strerror', None) or error}"
            _print_json(line)
            continue
        record = extraction.record.to_dict()
        if record["url"] is None:
            record["url"] = record["canonical_url"]
        line.update(record)
        if args.explain:
            line["explain"] = {**extraction.sources, "page_type": extraction.page_type_reason}
            line["explain"]["date_candidates"] = extraction.date_candidates
        _print_json(line)
    return EXIT_FAILURES if failed else EXIT_OK


# --- crawl, refresh, demo ------------------------------------------------------------------------------


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
    for pair in args.set or []:
        key, sep, value = pair.partition("=")
        if not sep:
            raise UsageError(f"--set takes NAME=VALUE, got {pair!r}")
        settings[key] = value
    return settings


def _run(args: argparse.Namespace, mode: str) -> int:
    from scraper.runner import default_jobdir, run_crawl
    from scraper.sites import load_sites
    from storage.db import resolve_db_url

    sites = load_sites(args.sites) if args.sites else None
    urls = [_web_url(url) for url in getattr(args, "urls", None) or []]
    if not sites and not urls:
        raise UsageError("nothing to crawl: give URLs or --sites FILE")
    if args.site and not any(site.name == args.site for site in sites or []):
        known = ", ".join(site.name for site in sites or []) or "none: --site needs --sites FILE"
        raise UsageError(f"no site named {args.site!r} in the sites file (sites: {known})")
    names = [site.name for site in sites or []] + urls
    settings = _crawl_settings(args)
    redis_url = args.redis or os.environ.get("NEWSARCHIVE_REDIS_URL")
    if redis_url:
        from scraper.redis_frontier import redis_settings

        settings.update(
            redis_settings(redis_url, f"{resolve_db_url(args.db)}|{mode}|{','.join(sorted(names))}")
        )
    if args.no_resume or redis_url:
        jobdir = None
    else:
        jobdir = Path(args.jobdir) if args.jobdir else default_jobdir(resolve_db_url(args.db), mode, names)
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
    )
    return _finish(result)


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


def cmd_search(args: argparse.Namespace) -> int:
    from storage.search import search

    with _open_existing(args.db) as archive, archive.sessions() as session:
        try:
            hits = search(
                session,
                args.query,
                site=args.site,
                author=args.author,
                since=args.since,
                until=args.until,
                limit=args.limit,
            )
        except ValueError as error:
            raise UsageError(str(error)) from None
    for hit in hits:
        if args.json:
            _print_json(
                {
                    "id": hit.article_id,
                    "url": hit.url,
                    "title": hit.title,
                    "site": hit.site,
                    "published": hit.published.isoformat() if hit.published else None,
                    "authors": hit.authors,
                    "snippet": hit.snippet,
                    "score": hit.score,
                }
            )
        else:
            published = hit.published.date().isoformat() if hit.published else "undated"
            print(
                f"[{hit.article_id}] {hit.title}\n    {hit.site} | {published} | {', '.join(hit.authors)}\n"
                f"    {hit.url}\n    {hit.snippet}\n"
            )
    if not hits and not args.json:
        print("no matches")
    return EXIT_OK


def _url_forms(url: str) -> list[str]:
    """The URL as given, normalised (tracking parameters, fragment), and with and without a trailing slash."""
    from scraper.urls import normalize_url

    normal = normalize_url(url)
    other = normal[:-1] if normal.endswith("/") else normal + "/"
    return list(dict.fromkeys([url, normal, other]))


def cmd_show(args: argparse.Namespace) -> int:
    from storage.repository import get_article

    keys: list[int | str] = [int(args.key)] if args.key.isdigit() else _url_forms(args.key)
    with _open_existing(args.db) as archive, archive.sessions() as session:
        article = next((found for key in keys if (found := get_article(session, key))), None)
        if article is None:
            raise NotFound(f"no article with id or URL {args.key!r}")
        detail = asdict(article)
    if args.json:
        for revision in detail["revisions"]:
            revision.pop("body", None)
        _print_json(detail)
        return EXIT_OK
    for name, value in detail.items():
        if name in ("body", "revisions", "related_links"):
            continue
        print(f"{name:>14}: {value}")
    print(f"{'related_links':>14}:")
    for link in detail.get("related_links") or []:
        print(f"    {link['text']} <{link['url']}>")
    print(f"\n{detail.get('body', '')}\n")
    print("revisions:")
    for revision in detail.get("revisions") or []:
        print(
            f"  v{revision['version']}  fetched {revision['fetched_at']}  hash {revision['content_hash'][:12]}"
        )
    return EXIT_OK


#: CSV columns: the archive's id and site, the record fields, then the archive's bookkeeping.
EXPORT_CSV_FIELDS = ("id", "site", *RECORD_FIELDS, "first_seen", "last_changed", "version", "removed")


def _write_export(rows: Iterable[dict[str, Any]], fmt: str, out: Any) -> int:
    count = 0
    if fmt == "csv":
        writer = csv.DictWriter(out, fieldnames=EXPORT_CSV_FIELDS, extrasaction="ignore")
        writer.writeheader()
        for row in rows:
            flat = dict(row)
            flat["authors"] = "; ".join(row.get("authors") or [])
            flat["related_links"] = json.dumps(row.get("related_links") or [], ensure_ascii=False)
            writer.writerow(flat)
            count += 1
    else:
        for row in rows:
            out.write(json.dumps(row, ensure_ascii=False, default=str) + "\n")
            count += 1
    return count


def cmd_export(args: argparse.Namespace) -> int:
    from storage.repository import iter_export

    with _open_existing(args.db) as archive, archive.sessions() as session:
        rows = iter_export(session, since=args.since, site=args.site)
        if args.output:
            try:
                with open(args.output, "w", encoding="utf-8", newline="") as out:
                    count = _write_export(rows, args.format, out)
            except OSError as error:
                raise UserError(f"cannot write {args.output}: {error.strerror}") from None
            print(f"exported {count} articles to {args.output}", file=sys.stderr)
        else:
            _write_export(rows, args.format, sys.stdout)
    return EXIT_OK


def cmd_stats(args: argparse.Namespace) -> int:
    from storage.repository import recent_runs, site_stats

    with _open_existing(args.db) as archive, archive.sessions() as session:
        sites = site_stats(session)
        runs = recent_runs(session, limit=args.runs)
    print(f"{'site':<20} {'articles':>9} {'removed':>8} {'revisions':>10} {'failures':>9}  last seen")
    for s in sites:
        print(
            f"{s.site:<20} {s.articles:>9} {s.removed:>8} {s.revisions:>10} {s.failures:>9}  {s.last_seen or '-'}"
        )
    print("\nlast runs:")
    for run in runs:
        counts = ", ".join(f"{k} {v}" for k, v in sorted((run.counts or {}).items()) if "/" not in k)
        print(f"  #{run.id} {run.kind:<8} {run.status:<11} {run.started_at:%Y-%m-%d %H:%M} {counts}")
    return EXIT_OK


def cmd_db_upgrade(args: argparse.Namespace) -> int:
    from storage.db import resolve_db_url, upgrade_archive

    revision = upgrade_archive(args.db)
    print(f"{resolve_db_url(args.db)} is at migration {revision}")
    return EXIT_OK


# --- parser ------------------------------------------------------------------------------------------


def _command(
    sub: Any, name: str, handler: Callable[[argparse.Namespace], int], summary: str, example: str
) -> Parser:
    parser = sub.add_parser(
        name,
        help=summary,
        description=f"{summary}\n\nexample:\n  {example}",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.set_defaults(handler=handler)
    return parser


def _add_crawl_options(parser: argparse.ArgumentParser) -> None:
    _add_db(parser)
    parser.add_argument("--sites", metavar="FILE", help="sites file (sites.toml)")
    parser.add_argument("--site", metavar="NAME", help="only this site of the sites file")
    parser.add_argument("--max-pages", type=_positive_int, metavar="N", help="pages per site per run at most")
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
    parser.add_argument("-v", "--verbose", action="store_true", help="debug logging")


def build_parser() -> Parser:
    parser = Parser(
        prog="newsarchive", description="Crawl news sites, extract clean articles, archive and search them."
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=Parser, required=True)

    demo = _command(
        sub,
        "demo",
        cmd_demo,
        "Serve the bundled demo news site on loopback and crawl it into an archive.",
        "newsarchive demo --db demo.db",
    )
    _add_db(demo)
    demo.add_argument(
        "--port", type=int, default=DEMO_PORT, help=f"port for the demo site (default: {DEMO_PORT}, else a free one)"
    )
    demo.add_argument("--query", default="intelligence", help="the sample search to run at the end")

    crawl = _command(
        sub,
        "crawl",
        cmd_crawl,
        "Full discovery crawl of sites (home and section pages, feeds, sitemaps).",
        "newsarchive crawl --sites sites.toml --db archive.db   |   newsarchive crawl https://news.example/",
    )
    crawl.add_argument("urls", nargs="*", metavar="URL", help="start URLs (instead of, or besides, --sites)")
    crawl.add_argument("--name", help="site name for the start URLs (default: their host)")
    _add_crawl_options(crawl)

    refresh = _command(
        sub,
        "refresh",
        cmd_refresh,
        "Incremental daily run: new URLs from feeds, sitemaps and front pages; re-check recent articles.",
        "newsarchive refresh --sites sites.toml --db archive.db",
    )
    _add_crawl_options(refresh)

    extract = _command(
        sub,
        "extract",
        cmd_extract,
        "Extract article records from saved pages (.html or .html.gz) as JSON lines.",
        "newsarchive extract --url https://news.example/a/ page.html",
    )
    extract.add_argument("paths", nargs="+", metavar="PATH")
    extract.add_argument("--url", help="the URL the page was fetched from (resolves relative links)")
    extract.add_argument("--explain", action="store_true", help="add where each field came from")

    search = _command(
        sub,
        "search",
        cmd_search,
        "Full-text search of the archive, best matches first.",
        "newsarchive search 'intelligence sharing' --site demo --since 2025-01-01",
    )
    search.add_argument("query")
    _add_db(search)
    search.add_argument("--site")
    search.add_argument("--author")
    search.add_argument("--since", type=_datetime, metavar="DATE")
    search.add_argument("--until", type=_datetime, metavar="DATE")
    search.add_argument("--limit", type=_positive_int, default=20)
    search.add_argument("--json", action="store_true", help="one JSON object per hit")

    show = _command(sub, "show", cmd_show, "Print one article with its revisions.", "newsarchive show 12")
    show.add_argument("key", metavar="ID|URL")
    _add_db(show)
    show.add_argument("--json", action="store_true")

    export = _command(
        sub,
        "export",
        cmd_export,
        "Stream the archive as JSON lines or CSV (constant memory).",
        "newsarchive export --format jsonl --since 2025-03-01 --site demo > articles.jsonl",
    )
    _add_db(export)
    export.add_argument("--format", choices=("jsonl", "csv"), default="jsonl")
    export.add_argument("--since", type=_datetime, metavar="DATE", help="articles changed since")
    export.add_argument("--site")
    export.add_argument("--output", "-o", metavar="FILE", help="write here instead of standard output")

    stats = _command(
        sub, "stats", cmd_stats, "Per-site counts and the last runs.", "newsarchive stats --db archive.db"
    )
    _add_db(stats)
    stats.add_argument("--runs", type=_positive_int, default=5, help="how many recent runs to list")

    db = _command(
        sub, "db", lambda _args: EXIT_OK, "Database maintenance.", "newsarchive db upgrade --db archive.db"
    )
    db_sub = db.add_subparsers(dest="db_command", metavar="ACTION", parser_class=Parser, required=True)
    upgrade = _command(
        db_sub,
        "upgrade",
        cmd_db_upgrade,
        "Apply database migrations up to the latest.",
        "newsarchive db upgrade --db postgresql://user@host/news",
    )
    _add_db(upgrade)
    return parser


def main(argv: list[str] | None = None) -> int:
    from scraper.lock import RunLocked
    from scraper.sites import SitesFileError
    from storage.db import ArchiveError

    args = build_parser().parse_args(argv)
    try:
        return args.handler(args)
    except RunLocked as error:
        print(f"newsarchive: {error}; not starting", file=sys.stderr)
        return EXIT_LOCKED
    except (UsageError, NotFound) as error:
        print(f"newsarchive: error: {error}", file=sys.stderr)
        return EXIT_USAGE if isinstance(error, UsageError) else EXIT_NOT_FOUND
    except (UserError, ArchiveError, SitesFileError, ValueError) as error:
        print(f"newsarchive: error: {error}", file=sys.stderr)
        return EXIT_CANNOT_RUN
    except KeyboardInterrupt:
        print("newsarchive: interrupted", file=sys.stderr)
        return EXIT_FAILURES
    except BrokenPipeError:
        return EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
