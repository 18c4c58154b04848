"""What identifies a run: the lock names the database, not the URL's spelling; the resume key names --site."""

from __future__ import annotations

import pytest

from scraper.lock import RunLocked, run_lock
from scraper.runner import default_jobdir
from storage.db import open_archive


@pytest.mark.postgres
def test_the_postgresql_lock_holds_however_the_url_spells_the_server(pg_url):
    other_spelling = pg_url.replace("@127.0.0.1:", "@localhost:")
    assert other_spelling != pg_url
    first, second = open_archive(pg_url), open_archive(other_spelling)
    try:
        with run_lock(first), pytest.raises(RunLocked), run_lock(second):
            pass
        with run_lock(second):  # released: free again
            pass
    finally:
        first.dispose()
        second.dispose()


@pytest.mark.postgres
def test_archives_in_two_schemas_of_one_database_lock_apart(pg_url):
    from tests.conftest import fresh_pg_schema

    with fresh_pg_schema() as other_url:
        first, second = open_archive(pg_url), open_archive(other_url)
        try:
            with run_lock(first), run_lock(second):
                pass
        finally:
            first.dispose()
            second.dispose()


def test_the_resume_key_includes_the_chosen_site(tmp_path):
    db = f"sqlite:///{tmp_path / 'a.db'}"
    names = ["a", "b"]
    assert default_jobdir(db, "crawl", names, "a") != default_jobdir(db, "crawl", names, "b")
    assert default_jobdir(db, "crawl", names, "a") != default_jobdir(db, "crawl", names)
    assert default_jobdir(db, "crawl", names, "a") == default_jobdir(db, "crawl", list(reversed(names)), "a")
