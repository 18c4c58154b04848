"""The newsarchive command: documented, thin, and clear about bad input."""

from __future__ import annotations

import csv
import gzip
import io
import json
from contextlib import redirect_stderr, redirect_stdout
from datetime import UTC, datetime
from pathlib import Path

import pytest

from pipelines.extraction.record import RECORD_FIELDS
from scraper.cli import build_parser, main
from tests.conftest import FIXTURES, REPO_ROOT

SEED = FIXTURES / "seed-article"


def subcommands() -> list[str]:
    parser = build_parser()
    action = next(a for a in parser._actions if a.dest == "command")
    return sorted(action.choices)


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        try:
            code = main(list(argv))
        except SystemExit as exit_:
            code = int(exit_.code or 0)
    return code, out.getvalue(), err.getvalue()


@pytest.mark.parametrize("command", subcommands())
def test_every_command_has_help_with_an_example_and_is_in_the_readme(command):
    code, out, _ = run(command, "--help")
    assert code == 0
    assert "example:" in out and f"newsarchive {command}" in out
    assert f"newsarchive {command}" in (REPO_ROOT / "README.md").read_text(encoding="utf-8")


def test_extract_prints_the_record_keys_and_reports_unreadable_files(tmp_path: Path):
    gz = tmp_path / "seed.html.gz"
    gz.write_bytes(gzip.compress((SEED / "page.html").read_bytes()))
    (tmp_path / "bad.html.gz").write_bytes(b"not gzip at all")
    code, out, _ = run("extract", str(SEED / "page.html"), str(tmp_path / "missing.html"), str(gz),
                       str(tmp_path / "bad.html.gz"))
    lines = [json.loads(line) for line in out.splitlines()]
    assert code == 1
    assert [line["id"] for line in lines] == ["page", "missing", "seed", "bad"]
    assert list(lines[0]) == ["id", *RECORD_FIELDS]
    assert lines[0] == {**lines[2], "id": "page"}
    assert "error" in lines[1] and "error" in lines[3]
    truth = json.loads((SEED / "truth.json").read_text(encoding="utf-8"))
    assert lines[0]["title"] == truth["title"]


def test_extract_explain_names_sources():
    code, out, _ = run("extract", "--explain", "--url", "https://dailydispatch.example/x/", str(SEED / "page.html"))
    line = json.loads(out)
    assert code == 0
    assert line["url"] == "https://dailydispatch.example/x/"
    assert line["explain"]["title"] and line["explain"]["page_type"].startswith("article")


def test_search_show_export_stats_on_an_archive(sqlite_url, tmp_path: Path):
    from pipelines.extraction.extract import extract_page
    from pipelines.ingest import record_mapping
    from storage.articles import save_article
    from storage.db import open_archive

    record = extract_page((SEED / "page.html").read_bytes()).record
    with open_archive(sqlite_url) as archive, archive.sessions.begin() as session:
        save_article(session, record_mapping(record, record.canonical_url), site="dispatch",
                     fetched_at=datetime.now(UTC), extractor_version="test")
    code, out, _ = run("search", "intelligence -nothingatall", "--db", sqlite_url, "--json")
    assert code == 0
    hits = [json.loads(line) for line in out.splitlines()]
    assert len(hits) == 1 and hits[0]["title"] == record.title
    code, out, _ = run("search", "intelligence", "--db", sqlite_url, "--site", "nowhere")
    assert code == 0 and "no matches" in out
    code, out, _ = run("show", str(hits[0]["id"]), "--db", sqlite_url)
    assert code == 0 and record.title in out and "v1" in out
    shared = record.canonical_url.rstrip("/") + "?utm_source=newsletter#top"
    code, out, _ = run("show", shared, "--db", sqlite_url)
    assert code == 0 and record.title in out, "a shared link (tracking parameters, no slash) finds the article"
    code, out, err = run("show", "https://nowhere.example/", "--db", sqlite_url)
    assert code == 5 and "no article" in err
    code, out, _ = run("export", "--db", sqlite_url, "--format", "jsonl")
    row = json.loads(out)
    assert set(RECORD_FIELDS) | {"site", "first_seen", "last_changed", "version"} <= set(row)
    assert row["authors"] == record.authors
    target = tmp_path / "out.csv"
    code, _, _ = run("export", "--db", sqlite_url, "--format", "csv", "-o", str(target))
    with target.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert code == 0 and rows[0]["title"] == record.title and rows[0]["authors"] == "; ".join(record.authors)
    code, out, _ = run("stats", "--db", sqlite_url)
    assert code == 0 and "dispatch" in out
    code, out, _ = run("db", "upgrade", "--db", sqlite_url)
    assert code == 0 and "migration" in out


def test_empty_search_query_is_a_user_error(sqlite_url):
    code, _, err = run("search", '"" ( )', "--db", sqlite_url)
    assert code == 3 and err.startswith("newsarchive: error:")


def test_reading_a_missing_sqlite_archive_is_an_error_not_a_new_file(tmp_path: Path):
    missing = tmp_path / "typo.db"
    for argv in (["search", "x"], ["stats"], ["export"], ["show", "1"]):
        code, _, err = run(*argv, "--db", str(missing))
        assert code == 3 and "no archive at" in err
    assert not missing.exists()


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["crawl", "not-a-url", "--db", "{db}"], 2, "not a web address"),
        (["crawl", "--sites", "{sites}", "--site", "nope", "--db", "{db}"], 2, "no site named 'nope'"),
        (["crawl", "http://127.0.0.1:9/", "--max-pages", "0", "--db", "{db}"], 2, "at least 1"),
        (["crawl", "http://127.0.0.1:9/", "--set", "NOVALUE", "--db", "{db}"], 2, "NAME=VALUE"),
        (["search", "anything", "--limit", "0", "--db", "{db}"], 2, "at least 1"),
    ],
)
def test_bad_arguments_are_usage_errors_before_anything_runs(tmp_path: Path, args, code, message) -> None:
    sites = tmp_path / "sites.toml"
    sites.write_text('[[sites]]\nname = "one"\nurl = "http://127.0.0.1:9/"\n', encoding="utf-8")
    db = tmp_path / "archive.db"
    db.touch()
    argv = [a.format(db=f"sqlite:///{db}", sites=sites) for a in args]
    returned, _, err = run(*argv)
    assert returned == code, err
    assert message in err and "Traceback" not in err
    assert err.strip().count("\n") == 0
