"""`newsarchive extract`: saved pages to article records as JSON lines, without a crawl or an archive."""

from __future__ import annotations

import argparse
import gzip
import logging
import zlib
from pathlib import Path
from typing import Any

from scraper.cli.common import EXIT_FAILURES, EXIT_OK, add_command, print_json


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
        except (OSError, EOFError, zlib.error, ExtractionError) as error:  # unreadable or corrupt file
            failed += 1
            line["error"] = f"{path}: {getattr(error, 'strerror', None) or error}"
            print_json(line)
            continue
        except Exception as error:  # a bug in extraction costs this file, not the batch
            logging.getLogger(__name__).debug("extraction of %s crashed", path, exc_info=True)
            failed += 1
            line["error"] = f"{path}: extraction crashed: {type(error).__name__}: {error}"
            print_json(line)
            continue
        record = extraction.record.to_dict()
        if record["url"] is None:
            record["url"] = record["canonical_url"]
        line.update(record)
        if args.explain:
            line["explain"] = {**extraction.sources, "page_type": extraction.page_type_reason}
            line["explain"]["date_candidates"] = extraction.date_candidates
        print_json(line)
    return EXIT_FAILURES if failed else EXIT_OK


def register(sub: Any) -> None:
    extract = add_command(
        sub,
        "extract",
        cmd_extract,
        "Extract article records from saved pages (.html or .html.gz) as JSON lines.",
        "newsarchive extract --url https://news.example/a/ page.html",
    )
    extract.add_argument("paths", nargs="+", metavar="PATH")
    extract.add_argument("--url", help="the URL the page was fetched from (resolves relative links)")
    extract.add_argument("--explain", action="store_true", help="add where each field came from")
