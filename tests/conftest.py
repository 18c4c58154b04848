"""Shared fixtures: database URLs for SQLite and the real PostgreSQL server, and service checks.

Tests that need PostgreSQL or Redis skip with a reason when the server is unreachable, unless
NEWSARCHIVE_REQUIRE_SERVICES=1 (set by .ci/run), which turns that skip into a failure.
"""

from __future__ import annotations

import contextlib
import gc
import os
import socket
import uuid
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest

REPO_ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
SHARED = REPO_ROOT.parent / "shared"

PG_URL = os.environ.get("NEWSARCHIVE_TEST_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
REDIS_URL = os.environ.get("NEWSARCHIVE_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")


def services_required() -> bool:
    return os.environ.get("NEWSARCHIVE_REQUIRE_SERVICES") == "1"


def _reachable(url: str, default_port: int) -> bool:
    parts = urlsplit(url)
    try:
        with socket.create_connection((parts.hostname or "127.0.0.1", parts.port or default_port), timeout=2):
            return True
    except OSError:
        return False


def skip_or_fail(reason: str) -> None:
    """Skip, or fail when CI said the services must be there."""
    if services_required():
        pytest.fail(f"{reason} (NEWSARCHIVE_REQUIRE_SERVICES=1)")
    pytest.skip(reason)


@pytest.fixture(autouse=True)
def collect_garbage_after_each_test() -> Iterator[None]:
    """Run the collector at each test's end, so a connection left open fails the test that left it."""
    yield
    gc.collect()


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'archive.db'}"


@contextlib.contextmanager
def fresh_pg_schema() -> Iterator[str]:
    """A PostgreSQL URL whose search_path is a new schema, dropped afterwards; skip (or fail) if unreachable."""
    if not _reachable(PG_URL, 5432):
        skip_or_fail(f"PostgreSQL not reachable at {PG_URL}")
    import sqlalchemy as sa

    schema = f"na_test_{uuid.uuid4().hex[:12]}"
    admin = sa.create_engine(PG_URL)
    with admin.begin() as connection:
        connection.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
    separator = "&" if "?" in PG_URL else "?"
    try:
        yield f"{PG_URL}{separator}options=-csearch_path%3D{schema}"
    finally:
        with admin.begin() as connection:
            connection.execute(sa.text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture
def pg_url() -> Iterator[str]:
    with fresh_pg_schema() as url:
        yield url


@pytest.fixture(scope="module", params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def module_db_url(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """One database per dialect for a whole test module, for tests that share a migrated archive."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path_factory.mktemp('db') / 'archive.db'}"
        return
    with fresh_pg_schema() as url:
        yield url


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def db_url(request: pytest.FixtureRequest) -> str:
    """Each test that takes db_url runs on SQLite and on the PostgreSQL server."""
    if request.param == "sqlite":
        return request.getfixturevalue("sqlite_url")
    return request.getfixturevalue("pg_url")


@pytest.fixture
def redis_url() -> str:
    if not _reachable(REDIS_URL, 6379):
        skip_or_fail(f"Redis not reachable at {REDIS_URL}")
    return REDIS_URL
