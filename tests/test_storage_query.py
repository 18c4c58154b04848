"""The query language end to end on both dialects: each form finds exactly its articles; hostile text never
reaches the SQL: it gives a one-line QuerySyntaxError or a literal search, and the statements stay the same."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from storage.db import open_archive
from storage.models import Article
from storage.querylang import QuerySyntaxError
from storage.search import SearchFilters, search_page
from tests.query_archive import ALL, fill, slug_of


@pytest.fixture(scope="module")
def archive(module_db_url: str):
    with open_archive(module_db_url) as archive:
        fill(archive)
        yield archive


def found(archive, query: str, **filters) -> list[str]:
    with archive.sessions() as session:
        result = search_page(session, query, SearchFilters(**filters), limit=50)
    assert result.total == len(result.hits)
    return sorted(slug_of(hit.url) for hit in result.hits)


GLACIER = ["body-hit", "climate-policy", "title-hit"]

#: query -> exactly the articles it finds
QUERY_FORMS: dict[str, list[str]] = {
    "glacier": GLACIER,
    "GLACIER": GLACIER,
    "glacier visitors": ["body-hit"],
    "glacier AND visitors": ["body-hit"],
    "climate policy": ["climate-policy", "undated"],
    '"climate policy"': ["climate-policy"],
    '"policy climate"': [],
    "glacier OR harbour": ["body-hit", "climate-policy", "title-hit", "unrelated"],
    "glacier -visitors": ["climate-policy", "title-hit"],
    "glacier NOT visitors": ["climate-policy", "title-hit"],
    "glacier -(visitors OR parliament)": ["title-hit"],
    "(glacier OR judge) (appeal OR ice)": ["operators", "title-hit"],
    "glac*": GLACIER,
    "retri*": ["operators"],
    "title:glacier": ["title-hit"],
    "title:glac*": ["title-hit"],
    "title:(glacier OR harbour)": ["title-hit", "unrelated"],
    'title:"climate policy"': ["climate-policy"],
    "title:policy -title:climate": ["undated"],
    "author:silva": ["climate-policy", "title-hit", "unrelated"],
    "author:SILVA glacier": ["climate-policy", "title-hit"],
    'author:"ben okafor"': ["body-hit", "climate-policy"],
    'author:"Okafor"': [],  # a quoted value is the whole name
    "author:oka*": ["body-hit", "climate-policy"],
    "author:élodie": ["operators"],
    "site:alpine": ["body-hit", "title-hit"],
    "site:(alpine OR coast) -glacier": ["unrelated"],
    "site:al*": ["body-hit", "title-hit"],
    "-site:alpine glacier": ["climate-policy"],
    "section:law": ["operators"],
    'section:"Politics" -title:debate': ["undated"],
    "lang:en": ["body-hit", "climate-policy", "title-hit", "undated", "unrelated"],
    "lang:en-gb": ["body-hit"],
    "lang:fr judge": ["operators"],
    "glacier OR site:coast": ["body-hit", "climate-policy", "title-hit", "unrelated"],
    "judge OR (site:coast boats)": ["operators", "unrelated"],
    "": ALL,
    "   ": ALL,
}


@pytest.mark.parametrize("query", list(QUERY_FORMS))
def test_query_forms_find_exactly_their_articles(archive, query: str) -> None:
    assert found(archive, query) == QUERY_FORMS[query]


def test_fields_combine_with_filters(archive) -> None:
    assert found(archive, "author:silva", site="capital") == ["climate-policy"]
    assert found(archive, "glacier", collapse_copies=True) == GLACIER  # no copies in this archive


#: hostile text -> the articles of its literal search (a list), or None: a one-line QuerySyntaxError
HOSTILE: dict[str, list[str] | None] = {
    '"unbalanced': None,
    "NOT": None,
    "OR OR": None,
    "a AND": None,
    "AND glacier": None,
    "near": ["operators"],
    "NEAR(judge appeal)": ["operators"],
    "NEAR(": None,
    "judge NEAR/3 appeal": [],  # the words judge, near, 3, appeal: no article has '3'
    "foo*": ["unrelated"],  # food
    "glacier*": GLACIER,
    "*glacier": GLACIER,
    "gla*cier": [],  # 'gla' and 'cier' as a phrase
    "'; DROP TABLE articles; --": None,
    "'; DROP TABLE articles;": [],
    "1; DELETE FROM articles": [],
    "glacier' OR '1'='1": GLACIER,  # glacier OR the phrase "1 1"
    "body:glacier": None,
    "{title}: glacier": [],
    "glacier:": None,
    "title:": None,
    "title: glacier": None,
    "title:()": None,
    "title:(author:silva)": None,
    "-glacier": None,
    "- glacier": None,
    "-": None,
    "glacier -": None,
    "-(glacier)": None,
    "glacier OR -visitors": None,
    "^glacier": GLACIER,
    "glacier^2": [],
    "judge + appeal": ["operators"],
    "(((((glacier)))))": GLACIER,
    "(glacier": None,
    "glacier)": None,
    ")": None,
    "()": None,
    '""': None,
    '"glacier" "': None,
    "*": None,
    "-- ;": None,
    "_": None,
    "glacier\nvisitors\t": ["body-hit"],
    "\x00glacier": None,
    "🧊 glacier": GLACIER,
    "глетчер": [],
    "日本語の記事": [],
    "site:%": [],
    "site:_lpine": [],
    "author:%": [],
    "lang:en%": [],
    "section:'; DROP TABLE articles; --": None,
    "section:'; DROP TABLE articles": [],
    "glacier " * 65: None,  # more terms than a query may hold
    "a" * 10_000: None,
    "glacier " + "x" * 3000: None,
}


def test_hostile_queries_give_one_line_errors_or_literal_results(archive) -> None:
    outcomes: dict[str, list[str] | None] = {}
    for query in HOSTILE:
        try:
            outcomes[query] = found(archive, query)
        except QuerySyntaxError as error:
            message = str(error)
            assert "\n" not in message and len(message) < 300, message
            assert f"at character {error.position}" in message
            outcomes[query] = None
    assert outcomes == HOSTILE
    with archive.sessions() as session:
        assert session.scalar(sa.select(sa.func.count()).select_from(Article)) == len(ALL)


def test_user_text_is_bound_never_part_of_the_statement(archive) -> None:
    statements: list[str] = []

    def record(_conn, _cursor, statement, _parameters, _context, _many) -> None:  # noqa: ANN001
        statements.append(statement)

    sa.event.listen(archive.engine, "before_cursor_execute", record)
    try:
        for query in ("'; DROP TABLE articles;", "site:x'y author:robert';", "glacier OR site:coast"):
            found(archive, query)
    finally:
        sa.event.remove(archive.engine, "before_cursor_execute", record)
    assert statements
    for statement in statements:
        assert "DROP" not in statement and "robert" not in statement and "coast" not in statement
        assert "glacier" not in statement


def test_error_message_points_at_the_problem() -> None:
    from storage.querylang import parse_query

    with pytest.raises(QuerySyntaxError) as caught:
        parse_query("(war OR peace")
    assert str(caught.value) == 'unbalanced parenthesis at character 14: "(war OR peace"'
    assert caught.value.position == 14
    with pytest.raises(QuerySyntaxError, match="cannot be only NOT"):
        parse_query("-war -peace")
    with pytest.raises(QuerySyntaxError, match=r"unknown field 'body:'.*at character 5"):
        parse_query("war body:peace")
