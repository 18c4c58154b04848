"""One run at a time per archive: cron may start a run while yesterday's is still going."""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy.engine import make_url

from storage.dialects import advisory_unlock, try_advisory_lock

if TYPE_CHECKING:
    from collections.abc import Iterator

    from storage.db import Archive


class RunLocked(RuntimeError):
    """Another run holds the archive's lock."""


def _lock_key(url: str) -> int:
    return int.from_bytes(hashlib.sha256(url.encode()).digest()[:7], "big")


@contextlib.contextmanager
def run_lock(archive: Archive) -> Iterator[None]:
    """Hold an exclusive lock for the archive while the block runs; RunLocked if another run has it.

    SQLite: an flock on `<database file>.lock` (released by the OS if the process dies).
    PostgreSQL: a session advisory lock on a connection held open for the run.
    """
    if archive.dialect == "sqlite":
        database = make_url(archive.url).database or ""
        if not database or database == ":memory:":
            yield
            return
        lock_path = Path(database + ".lock")
        with lock_path.open("a+") as handle:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                raise RunLocked(
                    f"another newsarchive run is using {database} (lock file {lock_path})"
                ) from None
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)
        return
    key = _lock_key(archive.url)
    with archive.engine.connect() as connection:
        if not try_advisory_lock(connection, key):
            raise RunLocked("another newsarchive run is using this PostgreSQL archive")
        try:
            yield
        finally:
            advisory_unlock(connection, key)
