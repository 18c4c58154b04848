"""Property: whatever the text, parsing and searching raise nothing but QuerySyntaxError (one line)."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from storage.db import open_archive
from storage.dialects import index_query_text
from storage.matching import SearchFilters, plan_query
from storage.querylang import QuerySyntaxError, parse_query
from storage.search import search_page
from tests.query_archive import fill

#: the query language's own characters and keywords, words of the fixture, and anything else
PIECES = st.one_of(
    st.sampled_from(
        ['"', "(", ")", "-", "*", ":", " ", "OR", "AND", "NOT", "NEAR", "title:", "author:", "site:", "lang:"]
    ),
    st.sampled_from(["glacier", "policy", "judge", "'", ";", "^", "{", "}", "%", "_", "\\", "\n", "é", "日"]),
    st.text(max_size=6),
)
QUERIES = st.lists(PIECES, max_size=14).map("".join)


def check(query: str, run) -> None:  # noqa: ANN001
    try:
        run(query)
    except QuerySyntaxError as error:
        assert "\n" not in str(error)
        assert 1 <= error.position <= len(query) + 1


@settings(max_examples=600, deadline=None, database=None)
@given(QUERIES)
def test_parsing_and_compiling_raise_only_query_errors(query: str) -> None:
    def run(text: str) -> None:
        parse_query(text)
        for dialect in ("sqlite", "postgresql"):
            plan = plan_query(dialect, text, SearchFilters())
            if plan.text is not None:
                index_query_text(dialect, plan.text)

    check(query, run)


@pytest.fixture(scope="module")
def archive(module_db_url: str):
    with open_archive(module_db_url) as archive:
        fill(archive)
        yield archive


@settings(
    max_examples=120,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(query=QUERIES)
def test_searching_raises_only_query_errors(archive, query: str) -> None:
    def run(text: str) -> None:
        with archive.sessions() as session:
            result = search_page(session, text, limit=5)
        assert result.total >= len(result.hits)

    check(query, run)
