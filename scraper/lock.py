"""One run at a time per archive: cron may start a run while yesterday's is still going."""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError

from storage.dialects import advisory_unlock, database_identity, try_advisory_lock

if TYPE_CHECKING:
    from collections.abc import Iterator

    from storage.db import Archive


class RunLocked(RuntimeError):
    """Another run holds the archive's lock."""


def _lock_key(identity: str) -> int:
    return int.from_bytes(hashlib.sha256(identity.encode()).digest()[:7], "big")


@contextlib.contextmanager
def run_lock(archive: Archive) -> Iterator[None]:
    """Hold an exclusive lock for the archive while the block runs; RunLocked if another run has it.

    SQLite: an flock on `<database file>.lock` (released by the OS if the process dies).
    PostgreSQL: a session advisory lock on a connection held open for the run, keyed on the database's
    identity as the server states it (not the URL's spelling: localhost and 127.0.0.1 are one archive).
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
    with archive.engine.connect() as connection:
        key = _lock_key(database_identity(connection))
        connection.commit()
        if not try_advisory_lock(connection, key):
            raise RunLocked("another newsarchive run is using this PostgreSQL archive")
        try:
            yield
        finally:
            # A server restart ends the session, and its lock with it: nothing left to release then.
            with contextlib.suppress(DBAPIError):
                advisory_unlock(connection, key)
