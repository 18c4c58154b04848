"""The `newsarchive` command: thin subcommands over library functions, one module per group of commands.

`common` holds what they share (exit codes, one-line errors, options); `crawl` runs the Scrapy engine
(crawl, refresh, demo); `extract` reads saved pages; `archive` reads and keeps the archive (search, show,
export, stats, db); `research` counts matches over time and finds syndicated copies; `serve` runs the
web workbench; `warc` imports WARC files; `maintain` re-extracts stored pages and reports extraction
health. Each module's `register(sub)` adds its commands to the parser.
"""

from __future__ import annotations

import sys

from scraper.cli import archive, crawl, extract, maintain, research, serve, warc
from scraper.cli.common import (
    EXIT_CANNOT_RUN,
    EXIT_FAILURES,
    EXIT_LOCKED,
    EXIT_NOT_FOUND,
    EXIT_OK,
    EXIT_USAGE,
    NotFound,
    Parser,
    UsageError,
    UserError,
)

#: Command groups, in the order `newsarchive --help` lists them.
COMMAND_GROUPS = (crawl, extract, archive, research, serve, warc, maintain)


def build_parser() -> Parser:
    parser = Parser(
        prog="newsarchive", description="Crawl news sites, extract clean articles, archive and search them."
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=Parser, required=True)
    for group in COMMAND_GROUPS:
        group.register(sub)
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
