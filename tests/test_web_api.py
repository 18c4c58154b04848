"""The JSON API through the ASGI test client, on SQLite and PostgreSQL, over the small fixture archive:
answers in the record vocabulary, 400 `{"error"}` for every bad query or parameter, never a 5xx."""

from __future__ import annotations

import csv
import io
import json

import pytest
from fastapi.testclient import TestClient

from scraper.cli.archive import EXPORT_CSV_FIELDS
from scraper.web.app import create_app
from storage.db import open_archive
from tests.test_web_archive import HOSTILE_TITLE, build_archive

HIT_KEYS = {"id", "url", "title", "site", "published", "authors", "snippet"}


@pytest.fixture(scope="module")
def archive(module_db_url):
    ids = build_archive(module_db_url)
    with open_archive(module_db_url) as opened:
        yield opened, ids


@pytest.fixture(scope="module")
def client(archive):
    with TestClient(create_app(archive[0])) as test_client:
        yield test_client


@pytest.fixture(scope="module")
def ids(archive):
    return archive[1]


def search(client, **params):
    response = client.get("/api/search", params=params)
    assert response.status_code == 200, response.text
    return response.json()


def hit_ids(answer):
    return {hit["id"] for hit in answer["hits"]}


def test_an_empty_query_finds_every_article_with_the_hit_keys(client, ids):
    answer = search(client)
    assert answer["total"] == 7
    assert hit_ids(answer) == set(ids.values())
    for hit in answer["hits"]:
        assert set(hit) >= HIT_KEYS
        assert "\ue000" not in hit["snippet"] and "\ue001" not in hit["snippet"]


def test_words_and_filters_narrow_the_hits(client, ids):
    assert hit_ids(search(client, q="bridge")) == {ids["bridge-reopens"], ids["bridge-tolls"]}
    assert hit_ids(search(client, q="bridge", section="politics")) == {ids["bridge-tolls"]}
    assert hit_ids(search(client, site="herald")) == {ids["bruecke"], ids["storm"], ids["wire-herald"]}
    assert hit_ids(search(client, author="bo chen")) == {ids["bridge-tolls"], ids["storm"]}
    assert hit_ids(search(client, lang="de")) == {ids["bruecke"]}
    assert hit_ids(search(client, since="2025-02-01", until="2025-02-15")) == {ids["bridge-tolls"], ids["bruecke"]}
    assert hit_ids(search(client, since="2025-03-01T00:00:00+00:00")) == {ids["storm"], ids["hostile"]}


def test_a_matching_word_is_marked_in_the_snippet_segments(client, ids):
    hit = next(hit for hit in search(client, q="tolls")["hits"] if hit["id"] == ids["bridge-tolls"])
    matched = [segment["text"].lower() for segment in hit["snippet_segments"] if segment["match"]]
    assert matched and all("toll" in text for text in matched)
    assert "".join(segment["text"] for segment in hit["snippet_segments"]) == hit["snippet"]


def test_pages_split_the_result_set_without_overlap(client):
    pages = [search(client, limit=2, page=page) for page in (1, 2, 3, 4)]
    assert {answer["total"] for answer in pages} == {7}
    assert [len(answer["hits"]) for answer in pages] == [2, 2, 2, 1]
    assert len(set().union(*(hit_ids(answer) for answer in pages))) == 7
    assert search(client, limit=2, page=5)["hits"] == []


def test_facets_count_the_matching_articles(client):
    facets = search(client, q="bridge", facets=1)["facets"]
    assert facets["site"] == [{"value": "dispatch", "count": 2}]
    assert {"value": "Ann Lee", "count": 2} in facets["author"]


@pytest.mark.parametrize(
    ("params", "names"),
    [
        ({"since": "yesterday"}, "since"),
        ({"until": "2025-13-01"}, "until"),
        ({"since": "2025-03-01", "until": "2025-02-01"}, "since"),
        ({"limit": "0"}, "limit"),
        ({"limit": "1000"}, "limit"),
        ({"limit": "ten"}, "limit"),
        ({"page": "0"}, "page"),
        ({"page": "99999999999999999999"}, "page"),
        ({"collapse_copies": "maybe"}, "collapse_copies"),
        ({"q": "bridge\x00"}, "q"),
        ({"site": "a" * 5000}, "site"),
    ],
)
def test_a_bad_parameter_is_a_400_naming_it(client, params, names):
    response = client.get("/api/search", params=params)
    assert response.status_code == 400, response.text
    error = response.json()["error"]
    assert names in error and "\n" not in error


def test_syndicated_copies_are_counted_named_and_collapsible(client, ids):
    hits = {hit["id"]: hit for hit in search(client, q="grain")["hits"]}
    assert set(hits) == {ids["wire-dispatch"], ids["wire-herald"]}
    assert hits[ids["wire-dispatch"]]["copies"] == 1
    collapsed = search(client, q="grain", collapse_copies=1)
    assert collapsed["total"] == 1 and hit_ids(collapsed) == {ids["wire-dispatch"]}
    assert search(client, collapse_copies="true")["total"] == 6
    copies = client.get(f"/api/articles/{ids['wire-dispatch']}").json()["copies"]
    assert [(copy["id"], copy["site"], copy["title"]) for copy in copies] == [
        (ids["wire-herald"], "herald", "Grain corridor reopens")
    ]
    assert 0.5 <= copies[0]["similarity"] <= 1


def test_an_author_filter_with_facets_still_answers(client, ids):
    answer = search(client, author="Ann Lee", facets=1)
    assert hit_ids(answer) == {ids["bridge-reopens"], ids["bridge-tolls"]}


def test_a_bad_query_is_a_400_with_one_line(client):
    response = client.get("/api/search", params={"q": '"unclosed phrase'})
    assert response.status_code == 400, response.text
    assert set(response.json()) == {"error"}
    assert "\n" not in response.json()["error"]


def test_an_article_with_revisions_and_copies(client, ids):
    response = client.get(f"/api/articles/{ids['storm']}")
    assert response.status_code == 200
    article = response.json()
    assert set(EXPORT_CSV_FIELDS) <= set(article)
    assert article["title"] == "Storm closes harbour"
    assert article["authors"] == ["Bo Chen"]
    assert article["site"] == "herald"
    assert article["version"] == 2
    assert [revision["version"] for revision in article["revisions"]] == [1, 2]
    assert "until noon" in article["revisions"][0]["body"]
    assert "until dusk" in article["revisions"][1]["body"]
    assert article["copies"] == []
    bridge = client.get(f"/api/articles/{ids['bridge-reopens']}").json()
    assert bridge["related_links"] == [{"url": "https://dispatch.example/bridge-history", "text": "History"}]
    assert [page["status"] for page in bridge["raw_pages"]] == [200]


@pytest.mark.parametrize("key", ["999999", "2147483647"])
def test_an_absent_article_is_a_404_json(client, key):
    response = client.get(f"/api/articles/{key}")
    assert response.status_code == 404
    assert response.json() == {"error": f"no article with id {key}"}


@pytest.mark.parametrize("key", ["0", "-3", "abc", "2147483648", "99999999999999999999999"])
def test_an_article_id_that_is_no_id_is_a_400(client, key):
    response = client.get(f"/api/articles/{key}")
    assert response.status_code == 400
    assert "article_id" in response.json()["error"]


def test_counts_per_month_with_share(client):
    response = client.get("/api/counts", params={"q": "harbour", "by": "month"})
    assert response.status_code == 200, response.text
    series = response.json()["series"]
    by_period = {point["period"]: point for point in series}
    assert sum(point["count"] for point in series) == 3
    assert all(0 <= point["share"] <= 1 for point in series)
    assert all(point["count"] <= point["total"] for point in series)
    assert sum(point["count"] for point in by_period.values() if point["period"].startswith("2025-03")) == 2


def test_counts_per_site_name_the_site(client):
    series = client.get("/api/counts", params={"by": "month", "per_site": "1"}).json()["series"]
    assert {point["site"] for point in series} == {"dispatch", "herald"}
    assert sum(point["count"] for point in series) == 7


def test_counts_refuse_an_unknown_period(client):
    response = client.get("/api/counts", params={"by": "year"})
    assert response.status_code == 400
    assert response.json()["error"].startswith("by:")


def test_export_jsonl_streams_every_match_in_the_export_keys(client, ids):
    response = client.get("/api/export", params={"q": "", "format": "jsonl"})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/jsonl")
    assert "attachment" in response.headers["content-disposition"]
    rows = [json.loads(line) for line in response.text.splitlines()]
    assert {row["id"] for row in rows} == set(ids.values())
    hostile = next(row for row in rows if row["id"] == ids["hostile"])
    assert hostile["title"] == HOSTILE_TITLE


def test_export_csv_has_the_cli_columns(client, ids):
    response = client.get("/api/export", params={"q": "bridge", "format": "csv", "site": "dispatch"})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.text)))
    assert tuple(rows[0]) == EXPORT_CSV_FIELDS
    assert {int(row["id"]) for row in rows} == {ids["bridge-reopens"], ids["bridge-tolls"]}
    tolls = next(row for row in rows if int(row["id"]) == ids["bridge-tolls"])
    assert tolls["authors"] == "Ann Lee; Bo Chen"


def test_export_of_a_bad_query_is_a_400_before_any_row(client):
    response = client.get("/api/export", params={"q": '"unclosed', "format": "csv"})
    assert response.status_code == 400
    assert "error" in response.json()
    assert client.get("/api/export", params={"format": "xml"}).status_code == 400


def test_the_openapi_schema_lists_the_api_and_no_pages(client):
    schema = client.get("/api/openapi.json").json()
    assert set(schema["paths"]) == {"/api/search", "/api/articles/{article_id}", "/api/counts", "/api/export"}
    names = {parameter["name"] for parameter in schema["paths"]["/api/search"]["get"]["parameters"]}
    assert {"q", "site", "author", "section", "lang", "since", "until", "limit", "page", "collapse_copies"} <= names


def test_an_unknown_api_path_is_a_404_json(client):
    response = client.get("/api/nothing-here")
    assert response.status_code == 404
    assert set(response.json()) == {"error"}


def test_a_large_export_streams_in_many_chunks_and_keeps_every_row(sqlite_url):
    from datetime import UTC, datetime

    from storage.articles import save_article

    count = 400
    with open_archive(sqlite_url) as opened:
        with opened.sessions.begin() as session:
            for number in range(count):
                record = {
                    "url": f"https://bulk.example/{number}",
                    "title": f"Bulletin {number}",
                    # under 40 words, so no copy detection; long words, so the export is ~1 kB a row
                    "body": " ".join(f"bulletin{number}paragraph{k}" + "x" * 20 for k in range(30)),
                    "authors": ["Desk"],
                    "published": datetime(2025, 1, 1 + number % 28, tzinfo=UTC),
                }
                save_article(session, record, site="bulk", fetched_at=datetime.now(UTC), extractor_version="t")
        with TestClient(create_app(opened)) as client, client.stream(
            "GET", "/api/export", params={"q": "bulletin", "format": "jsonl"}
        ) as response:
            assert response.status_code == 200
            chunks = list(response.iter_bytes())
    rows = [json.loads(line) for line in b"".join(chunks).decode().splitlines()]
    assert len(chunks) > 5
    assert sorted(int(row["title"].split()[1]) for row in rows) == list(range(count))
