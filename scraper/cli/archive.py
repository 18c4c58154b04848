"""`newsarchive search`, `show`, `export`, `stats` and `db upgrade`: reading and keeping the archive."""

from __future__ import annotations

import argparse
import csv
import json
import sys
from dataclasses import asdict
from datetime import datetime
from typing import TYPE_CHECKING, Any

from pipelines.extraction.record import RECORD_FIELDS
from scraper.cli.common import (
    EXIT_OK,
    NotFound,
    Parser,
    UsageError,
    UserError,
    add_command,
    add_db_option,
    iso_datetime,
    open_existing,
    positive_int,
    print_json,
)
from scraper.cli.research import add_filter_options, filters_from, query_errors

if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator


def cmd_search(args: argparse.Namespace) -> int:
    from storage.search import bracketed_snippet, search_page

    offset = (args.page - 1) * args.limit
    with open_existing(args.db) as archive, archive.sessions() as session:
        try:
            result = search_page(session, args.query, filters_from(args), limit=args.limit, offset=offset)
        except query_errors() as error:
            raise UsageError(str(error)) from None
    shown = f"{offset + 1}-{offset + len(result.hits)}" if result.hits else "none"
    total = f"more than {result.total}" if result.total_capped else str(result.total)
    summary = f"{total} matches (showing {shown}, page {args.page})"
    if args.json:
        print(summary, file=sys.stderr)
    else:
        print(summary + "\n")
    for hit in result.hits:
        if args.json:
            print_json(
                {
                    "id": hit.article_id,
                    "url": hit.url,
                    "title": hit.title,
                    "site": hit.site,
                    "published": hit.published.isoformat() if hit.published else None,
                    "authors": hit.authors,
                    "section": hit.section,
                    "language": hit.language,
                    "snippet": bracketed_snippet(hit.snippet),
                    "score": hit.score,
                    "copies": hit.copies,
                }
            )
        else:
            published = hit.published.date().isoformat() if hit.published else "undated"
            copies = f" | {hit.copies} copies" if hit.copies else ""
            print(
                f"[{hit.article_id}] {hit.title}\n    {hit.site} | {published} | {', '.join(hit.authors)}{copies}\n"
                f"    {hit.url}\n    {bracketed_snippet(hit.snippet)}\n"
            )
    if not result.hits and not args.json:
        print("no matches")
    return EXIT_OK


def _url_forms(url: str) -> list[str]:
    """The URL as given, normalised (tracking parameters, fragment), and with and without a trailing slash."""
    from scraper.urls import normalize_url

    normal = normalize_url(url)
    other = normal[:-1] if normal.endswith("/") else normal + "/"
    return list(dict.fromkeys([url, normal, other]))


def cmd_show(args: argparse.Namespace) -> int:
    from storage.copies import copies_of
    from storage.reads import get_article

    keys: list[int | str] = [int(args.key)] if args.key.isdigit() else _url_forms(args.key)
    with open_existing(args.db) as archive, archive.sessions() as session:
        article = next((found for key in keys if (found := get_article(session, key))), None)
        if article is None:
            raise NotFound(f"no article with id or URL {args.key!r}")
        detail = asdict(article)
        copies = [asdict(copy) for copy in copies_of(session, article.id)]
    if args.json:
        for revision in detail["revisions"]:
            revision.pop("body", None)
        print_json(detail | {"copies": copies})
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
    print(f"copies: {len(copies)}")
    for copy in copies:
        published = copy["published"].date().isoformat() if copy["published"] else "undated"
        print(
            f"  [{copy['article_id']}] {copy['similarity']:.2f}  {copy['site']}  {published}  {copy['url']}"
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
    from storage.querylang import parse_query
    from storage.reads import iter_export
    from storage.search import SearchFilters, iter_matches

    if args.format == "parquet" and not args.output:
        raise UsageError("--format parquet writes a file: give -o FILE")
    with open_existing(args.db) as archive, archive.sessions() as session:
        if args.query is not None:
            try:
                parse_query(args.query)  # a malformed query stops here, before any file is written
            except query_errors() as error:
                raise UsageError(str(error)) from None
            rows: Iterable[dict[str, Any]] = _changed_since(
                iter_matches(session, args.query, SearchFilters(site=args.site)), args.since
            )
        else:
            rows = iter_export(session, since=args.since, site=args.site)
        if args.format == "parquet":
            from scraper.cli.parquet import ParquetUnavailable, write_parquet

            try:
                count = write_parquet(rows, args.output)
            except ParquetUnavailable as error:
                raise UserError(str(error)) from None
            except OSError as error:
                raise UserError(f"cannot write {args.output}: {error.strerror}") from None
            print(f"exported {count} articles to {args.output}", file=sys.stderr)
        elif args.output:
            try:
                with open(args.output, "w", encoding="utf-8", newline="") as out:
                    count = _write_export(rows, args.format, out)
            except OSError as error:
                raise UserError(f"cannot write {args.output}: {error.strerror}") from None
            print(f"exported {count} articles to {args.output}", file=sys.stderr)
        else:
            _write_export(rows, args.format, sys.stdout)
    return EXIT_OK


def _changed_since(rows: Iterable[dict[str, Any]], since: datetime | None) -> Iterator[dict[str, Any]]:
    """Rows whose content last changed at or after since (export's --since), all when since is None."""
    for row in rows:
        if since is None or datetime.fromisoformat(row["last_changed"]) >= since:
            yield row


def cmd_stats(args: argparse.Namespace) -> int:
    from storage.reads import recent_runs, site_stats

    with open_existing(args.db) as archive, archive.sessions() as session:
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


def register(sub: Any) -> None:
    search = add_command(
        sub,
        "search",
        cmd_search,
        "Full-text search of the archive, best matches first.",
        "newsarchive search '\"intelligence sharing\" OR title:(spy* -film)' --site demo --since 2025-01-01\n\n"
        'query language: words (all needed), "exact phrases", OR, -word or NOT word, (groups), word*\n'
        "prefixes, and fields title: author: site: section: lang: before a word, phrase or group",
    )
    search.add_argument("query", help="the query; '' lists every article (newest first)")
    add_db_option(search)
    add_filter_options(search)
    search.add_argument("--limit", type=positive_int, default=20, help="hits per page")
    search.add_argument("--page", type=positive_int, default=1, help="which page of hits (from 1)")
    search.add_argument("--json", action="store_true", help="one JSON object per hit")

    show = add_command(sub, "show", cmd_show, "Print one article with its revisions.", "newsarchive show 12")
    show.add_argument("key", metavar="ID|URL")
    add_db_option(show)
    show.add_argument("--json", action="store_true")

    export = add_command(
        sub,
        "export",
        cmd_export,
        "Stream the archive as JSON lines, CSV or Parquet (constant memory).",
        "newsarchive export --format jsonl --since 2025-03-01 --site demo > articles.jsonl",
    )
    add_db_option(export)
    export.add_argument("--format", choices=("jsonl", "csv", "parquet"), default="jsonl")
    export.add_argument("--query", metavar="Q", help="only the articles matching this search query")
    export.add_argument("--since", type=iso_datetime, metavar="DATE", help="articles changed since")
    export.add_argument("--site")
    export.add_argument("--output", "-o", metavar="FILE", help="write here instead of standard output")

    stats = add_command(
        sub, "stats", cmd_stats, "Per-site counts and the last runs.", "newsarchive stats --db archive.db"
    )
    add_db_option(stats)
    stats.add_argument("--runs", type=positive_int, default=5, help="how many recent runs to list")

    db = add_command(
        sub, "db", lambda _args: EXIT_OK, "Database maintenance.", "newsarchive db upgrade --db archive.db"
    )
    db_sub = db.add_subparsers(dest="db_command", metavar="ACTION", parser_class=Parser, required=True)
    upgrade = add_command(
        db_sub,
        "upgrade",
        cmd_db_upgrade,
        "Apply database migrations up to the latest.",
        "newsarchive db upgrade --db postgresql://user@host/news",
    )
    add_db_option(upgrade)
