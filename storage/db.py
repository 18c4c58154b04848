"""Open the archive: resolve the URL, create the engine, check it answers, migrate it to head.

Every expected failure (bad URL, unreachable server, unwritable file, failed migration) surfaces as an
ArchiveError whose message is one line a user can act on.
"""

from __future__ import annotations

import functools
import logging
import os
import re
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Self

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from alembic.util import CommandError
from sqlalchemy import create_engine, select
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, NoSuchModuleError, SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import StaticPool

from storage import dialects

_log = logging.getLogger(__name__)

if TYPE_CHECKING:
    from sqlalchemy.engine import URL, Connection, Engine

DEFAULT_DB_URL = "sqlite:///newsarchive.db"
ENV_VAR = "NEWSARCHIVE_DB"
MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
CONNECT_TIMEOUT_SECONDS = 5
_USERINFO_PASSWORD = re.compile(r"(://[^:/@]*:)[^@/]*@")


class ArchiveError(Exception):
    """An expected database problem; str() is a one-line message for the user."""


def resolve_db_url(value: str | None) -> str:
    """The database URL to use: value, else $NEWSARCHIVE_DB, else the default SQLite file.

    A bare path becomes a SQLite URL; postgres:// and postgresql:// use the psycopg 3 driver.
    """
    raw = (value or os.environ.get(ENV_VAR) or DEFAULT_DB_URL).strip()
    if "://" not in raw:
        return f"sqlite:///{Path(raw).expanduser()}"
    for prefix in ("postgresql://", "postgres://"):
        if raw.startswith(prefix):
            raw = "postgresql+psycopg://" + raw[len(prefix) :]
    url = _parse_url(raw)
    if url.get_backend_name() not in ("sqlite", "postgresql"):
        raise ArchiveError(
            f"unsupported database {url.get_backend_name()!r} in {_safe(url)}: use sqlite:///PATH or postgresql://..."
        )
    return raw


@dataclass
class Archive:
    """An opened archive. Callers own their sessions: `with archive.sessions.begin() as session:`."""

    url: str
    engine: Engine
    sessions: sessionmaker[Session] = field(init=False)

    def __post_init__(self) -> None:
        self.sessions = sessionmaker(self.engine, expire_on_commit=False)

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    def dispose(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.dispose()


def open_archive(url: str | None = None, *, upgrade: bool = True) -> Archive:
    """Open (and by default migrate to head) the archive at url; see resolve_db_url for the lookup."""
    resolved = resolve_db_url(url)
    engine = _create_engine(resolved)
    try:
        _check_connection(engine)
        if upgrade:
            _migrate(engine)
    except BaseException:
        engine.dispose()
        raise
    return Archive(url=resolved, engine=engine)


def upgrade_archive(url: str | None = None) -> str:
    """Apply pending migrations; returns the head revision (for `newsarchive db upgrade`)."""
    with open_archive(url, upgrade=False) as archive:
        return _migrate(archive.engine)


def head_revision() -> str:
    head = _script_directory().get_current_head()
    assert head is not None
    return head


# --- engine creation ---


def _parse_url(raw: str) -> URL:
    try:
        return make_url(raw)
    except (ArgumentError, ValueError) as error:
        shown = _USERINFO_PASSWORD.sub(r"\1***@", raw)
        raise ArchiveError(f"invalid database URL {shown!r}: {_first_line(error)}") from None


def _create_engine(resolved: str) -> Engine:
    url = _parse_url(resolved)
    kwargs: dict[str, Any] = {}
    if url.get_backend_name() == "sqlite":
        _check_sqlite_path(url)
        kwargs["connect_args"] = {"timeout": 30, "check_same_thread": False}
        if url.database in (None, "", ":memory:"):
            kwargs["poolclass"] = StaticPool
    else:
        kwargs["connect_args"] = {"connect_timeout": CONNECT_TIMEOUT_SECONDS}
        kwargs["pool_pre_ping"] = True
    try:
        engine = create_engine(url, **kwargs)
    except (NoSuchModuleError, ImportError, ArgumentError) as error:
        raise ArchiveError(f"cannot use database {_safe(url)}: {_first_line(error)}") from None
    dialects.install_connection_setup(engine)
    return engine


def _check_sqlite_path(url: URL) -> None:
    if url.database in (None, "", ":memory:") or url.database.startswith("file:"):
        return
    path = Path(url.database).expanduser()
    if not path.parent.is_dir():
        raise ArchiveError(f"cannot open SQLite database {path}: directory {path.parent} does not exist")
    if path.is_dir():
        raise ArchiveError(f"cannot open SQLite database {path}: it is a directory")


def _check_connection(engine: Engine) -> None:
    try:
        with engine.connect() as connection:
            connection.execute(select(1))
    except (DBAPIError, sqlite3.Error, OSError) as error:
        raise ArchiveError(f"cannot connect to database {_safe(engine.url)}: {_reason(error)}") from None


# --- migrations ---


@functools.cache
def _script_directory() -> ScriptDirectory:
    return ScriptDirectory.from_config(alembic_config())


@functools.cache
def _migrations_dir() -> Path:
    """The migrations as a directory Alembic can read: where they are, or, when the project runs from a
    zipped egg (scrapyd), a copy in a temporary directory."""
    if MIGRATIONS_DIR.is_dir():
        return MIGRATIONS_DIR
    import atexit
    import shutil
    import tempfile
    from importlib.resources import files

    target = Path(tempfile.mkdtemp(prefix="newsarchive-migrations-"))
    atexit.register(shutil.rmtree, target, True)

    def copy(source: Any, destination: Path) -> None:
        destination.mkdir(exist_ok=True)
        for entry in source.iterdir():
            if entry.is_dir():
                copy(entry, destination / entry.name)
            elif entry.name.endswith((".py", ".mako")):
                (destination / entry.name).write_bytes(entry.read_bytes())

    copy(files("storage") / "migrations", target / "migrations")
    return target / "migrations"


def alembic_config(connection: Connection | None = None) -> Config:
    """An Alembic Config for the shipped migrations, optionally bound to connection (no alembic.ini)."""
    config = Config()
    config.set_main_option("script_location", str(_migrations_dir()).replace("%", "%%"))
    if connection is not None:
        config.attributes["connection"] = connection
    return config


def _migrate(engine: Engine) -> str:
    """Bring the schema to head under a lock, so two processes opening a new archive don't collide."""
    head = head_revision()
    try:
        with engine.connect() as connection:
            current = _current_revision(connection)
        if current == head:
            return head
        if current is not None and not _known_revision(current):
            raise ArchiveError(
                f"database {_safe(engine.url)} has schema revision {current!r}, which this version of "
                "newsarchive does not know (was it created by a newer version?)"
            )
        with engine.connect() as connection, dialects.migration_lock(connection) as locked:
            current = _peek_revision(locked)
            if current != head:
                if current is not None:  # a new archive is quick to create; an old one may need minutes
                    _log.warning(
                        "upgrading the schema of %s from %s to %s: on a large archive this rebuilds "
                        "indexes and can take minutes",
                        _safe(engine.url),
                        current,
                        head,
                    )
                command.upgrade(alembic_config(locked), "head")
    except ArchiveError:
        raise
    except (SQLAlchemyError, CommandError, sqlite3.Error, OSError) as error:
        raise ArchiveError(f"database migration failed on {_safe(engine.url)}: {_reason(error)}") from None
    return head


def _current_revision(connection: Connection) -> str | None:
    revision = MigrationContext.configure(connection).get_current_revision()
    connection.rollback()
    return revision


def _known_revision(revision: str) -> bool:
    try:
        return _script_directory().get_revision(revision) is not None
    except CommandError:
        return False


def _peek_revision(connection: Connection) -> str | None:
    return MigrationContext.configure(connection).get_current_revision()


# --- messages ---


def _safe(url: URL | str) -> str:
    url = url if not isinstance(url, str) else make_url(url)
    return url.render_as_string(hide_password=True)


def _first_line(error: BaseException) -> str:
    text = str(error).strip()
    return text.splitlines()[0] if text else type(error).__name__


def _reason(error: BaseException) -> str:
    """The driver's own message, without SQLAlchemy's SQL echo and background links."""
    original = getattr(error, "orig", None)
    return _first_line(original if original is not None else error)
