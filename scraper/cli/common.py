"""What every command shares: exit codes, one-line user errors, the argument parser and common options.

Exit codes: 0 ok; 1 finished with failures (pages fetched but not processed, an interrupted run, or
`extract` files that failed); 2 usage error (a bad argument or query); 3 could not run (database, sites
file); 4 another run holds the archive's lock; 5 `show` found no such article; 6 `refresh` finished, but a
site's extraction health dropped (a field's share fell by more than NEWSARCHIVE_HEALTH_MARGIN against its
trailing median, or no articles at all; a run with failures exits 1 instead): one line on stderr names the
site and field, for cron mail (`health` exits 6 as well when it flags a site).
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn
from urllib.parse import urlsplit

if TYPE_CHECKING:
    from collections.abc import Callable

EXIT_OK, EXIT_FAILURES, EXIT_USAGE, EXIT_CANNOT_RUN, EXIT_LOCKED, EXIT_NOT_FOUND = 0, 1, 2, 3, 4, 5
EXIT_HEALTH = 6


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


def iso_datetime(value: str) -> datetime:
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"not an ISO date or datetime: {value!r} (e.g. 2025-03-06)"
        ) from None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def positive_int(value: str) -> int:
    try:
        number = int(value)
    except ValueError:
        number = 0
    if number < 1:
        raise argparse.ArgumentTypeError(f"not a whole number of at least 1: {value!r}")
    return number


def web_url(value: str) -> str:
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise UsageError(f"not a web address: {value!r} (start URLs look like https://news.example/)")
    return value


def add_db_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--db",
        metavar="URL",
        help="database URL or SQLite path (default: $NEWSARCHIVE_DB, else ./newsarchive.db)",
    )


def print_json(obj: Any) -> None:
    sys.stdout.write(json.dumps(obj, ensure_ascii=False, default=str) + "\n")


def open_existing(db: str | None) -> Any:
    """Open an archive to read; a SQLite path that does not exist is a user error, not a new empty archive."""
    from sqlalchemy.engine import make_url

    from storage.db import open_archive, resolve_db_url

    url = resolve_db_url(db)
    parsed = make_url(url)
    database = parsed.database if parsed.get_backend_name() == "sqlite" else None
    if database and database != ":memory:" and not Path(database).exists():
        raise UserError(f"no archive at {parsed.database} (give --db, or crawl first: newsarchive demo)")
    return open_archive(url)


def add_command(
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
