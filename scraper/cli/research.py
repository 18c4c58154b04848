"""`newsarchive counts` and `copies`: research over the archive, plus the filter options search and export share.

counts prints how often one or more queries match per day, ISO week or month (UTC), with each count's
share of everything the same sites published then; copies finds syndicated copies (storage.copies).
"""

from __future__ import annotations

import argparse
import csv
import sys
from typing import TYPE_CHECKING, Any

from scraper.cli.common import (
    EXIT_OK,
    NotFound,
    UsageError,
    add_command,
    add_db_option,
    iso_datetime,
    open_existing,
)

if TYPE_CHECKING:
    from storage.search import SearchFilters


def add_filter_options(parser: argparse.ArgumentParser, *, dates: bool = True) -> None:
    """The filters beside a query: --site --author --section --lang [--since --until] --collapse-copies."""
    parser.add_argument("--site", help="only this site (its name in the archive)")
    parser.add_argument("--author", help="only articles by this author (full name, any case)")
    parser.add_argument("--section", help="only this section (any case)")
    parser.add_argument("--lang", metavar="CODE", help="only this language (en also finds en-GB)")
    if dates:
        parser.add_argument("--since", type=iso_datetime, metavar="DATE", help="published at or after")
        parser.add_argument("--until", type=iso_datetime, metavar="DATE", help="published before")
    parser.add_argument(
        "--collapse-copies",
        action="store_true",
        help="one article per syndicated copy cluster (the earliest)",
    )


def filters_from(args: argparse.Namespace, *, dates: bool = True) -> SearchFilters:
    from storage.search import SearchFilters

    return SearchFilters(
        site=args.site,
        author=args.author,
        section=args.section,
        language=args.lang,
        since=args.since if dates else None,
        until=args.until if dates else None,
        collapse_copies=args.collapse_copies,
    )


def query_errors() -> tuple[type[Exception], ...]:
    from storage.querylang import QuerySyntaxError

    return (QuerySyntaxError,)


# --- counts ---


def cmd_counts(args: argparse.Namespace) -> int:
    from storage.counts import counts_over_time, undated_matches

    filters = filters_from(args)
    results: list[dict[tuple[str, str | None], Any]] = []
    undated: list[int] = []
    with open_existing(args.db) as archive, archive.sessions() as session:
        for query in args.queries:
            try:
                rows = counts_over_time(session, query, filters, by=args.by, per_site=args.per_site)
            except query_errors() as error:
                raise UsageError(f"query {query!r}: {error}") from None
            results.append({(row.period, row.site): row for row in rows})
            undated.append(undated_matches(session, query, filters))
    keys = sorted({key for found in results for key in found}, key=lambda key: (key[0], key[1] or ""))
    header = ["period", *(["site"] if args.per_site else []), "total"]
    for query in args.queries:
        label = query or "(all articles)"
        header += [f"{label} count", f"{label} share"]
    table = []
    for key in keys:
        rows = [found.get(key) for found in results]
        total = next(row.total for row in rows if row is not None)
        line: list[Any] = [key[0], *([key[1]] if args.per_site else []), total]
        for row in rows:
            line += [row.count if row else 0, f"{row.share:.4f}" if row else "0.0000"]
        table.append(line)
    if args.csv:
        writer = csv.writer(sys.stdout)
        writer.writerow(header)
        writer.writerows(table)
    else:
        _print_table(header, table)
    for query, count in zip(args.queries, undated, strict=True):
        if count:
            print(
                f"{query!r}: {count} matching articles have no publication date and are left out",
                file=sys.stderr,
            )
    return EXIT_OK


def _print_table(header: list[str], table: list[list[Any]]) -> None:
    if not table:
        print("no dated articles in the archive for these filters")
        return
    widths = [max(len(str(cell)) for cell in column) for column in zip(header, *table, strict=True)]
    for line in (header, *table):
        print(
            "  ".join(
                str(cell).rjust(width) if i else str(cell).ljust(width)
                for i, (cell, width) in enumerate(zip(line, widths, strict=True))
            )
        )


# --- copies ---


def cmd_copies(args: argparse.Namespace) -> int:
    from storage.copies import cluster_count, copies_of, rebuild_copies

    if args.rebuild and args.id is not None:
        raise UsageError("give an article id or --rebuild, not both")
    if args.rebuild:
        with open_existing(args.db) as archive, archive.sessions.begin() as session:
            clusters, members = rebuild_copies(session)
        print(f"{clusters} copy clusters holding {members} articles")
        return EXIT_OK
    with open_existing(args.db) as archive, archive.sessions() as session:
        if args.id is None:
            print(f"{cluster_count(session)} copy clusters (newsarchive copies ID lists an article's copies)")
            return EXIT_OK
        from storage.reads import get_article

        if get_article(session, args.id) is None:
            raise NotFound(f"no article with id {args.id}")
        copies = copies_of(session, args.id)
    if not copies:
        print(f"article {args.id} has no known copies")
    for copy in copies:
        published = copy.published.isoformat() if copy.published else "undated"
        print(
            f"[{copy.article_id}] {copy.similarity:.2f}  {copy.site}  {published}  {copy.title}\n    {copy.url}"
        )
    return EXIT_OK


def register(sub: Any) -> None:
    counts = add_command(
        sub,
        "counts",
        cmd_counts,
        "How often queries match per day, week or month, with the share of all articles then.",
        "newsarchive counts 'heatwave' '\"climate change\"' --by month --per-site --since 2024-01-01 --csv",
    )
    counts.add_argument("queries", nargs="+", metavar="QUERY", help="one or more queries, side by side")
    add_db_option(counts)
    counts.add_argument("--by", choices=("day", "week", "month"), default="month", help="period (UTC)")
    counts.add_argument("--per-site", action="store_true", help="one row per period and site")
    counts.add_argument("--csv", action="store_true", help="CSV on standard output")
    add_filter_options(counts)

    copies = add_command(
        sub,
        "copies",
        cmd_copies,
        "Syndicated copies: list an article's copies, or recompute all clusters.",
        "newsarchive copies --rebuild --db archive.db",
    )
    copies.add_argument("id", nargs="?", type=int, metavar="ID", help="the article whose copies to list")
    add_db_option(copies)
    copies.add_argument("--rebuild", action="store_true", help="recompute every signature and cluster")
