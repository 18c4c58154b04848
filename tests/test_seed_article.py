"""The seed article (tests/fixtures/seed-article): every field of truth.json, through extract_page."""

from __future__ import annotations

import json
from typing import Any

import pytest

from pipelines.extraction.extract import extract_page
from pipelines.extraction.record import RelatedLink
from tests.conftest import FIXTURES

SEED = FIXTURES / "seed-article"
EXACT_FIELDS = (
    "url",
    "canonical_url",
    "site_name",
    "title",
    "authors",
    "published",
    "modified",
    "language",
    "section",
    "lead_image",
)


@pytest.fixture(scope="module")
def truth() -> dict[str, Any]:
    return json.loads((SEED / "truth.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def record(truth: dict[str, Any]) -> dict[str, Any]:
    return extract_page((SEED / "page.html").read_bytes(), truth["url"]).record.to_dict()


@pytest.mark.parametrize("field", EXACT_FIELDS)
def test_field_exact(record: dict[str, Any], truth: dict[str, Any], field: str) -> None:
    assert record[field] == truth[field]


def test_body_is_the_ten_paragraphs(record: dict[str, Any], truth: dict[str, Any]) -> None:
    assert record["body"].split("\n") == truth["body_paragraphs"]
    assert record["body"] == truth["body"]


def test_body_has_no_boilerplate(record: dict[str, Any], truth: dict[str, Any]) -> None:
    for text in truth["body_must_not_contain"]:
        assert text not in record["body"], f"{text!r} leaked into the body"


def test_required_related_links_with_exact_text(record: dict[str, Any], truth: dict[str, Any]) -> None:
    links = [RelatedLink(**link) for link in record["related_links"]]
    for wanted in truth["related_links_required"]:
        assert RelatedLink(url=wanted["url"], text=wanted["text"]) in links


def test_no_forbidden_related_links(record: dict[str, Any], truth: dict[str, Any]) -> None:
    urls = {link["url"] for link in record["related_links"]}
    assert not urls & set(truth["related_links_forbidden"])
