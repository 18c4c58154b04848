"""From a query and its filters to SQL: which part goes to the full-text index, which becomes WHERE clauses.

The top-level AND of a query is split: its full-text parts (words, phrases, title:) go to the index as one
query, so the index can rank them; author:/site:/section:/lang: terms and the SearchFilters become WHERE
clauses on the article; a full-text part mixed into an OR with a filter becomes an `id IN (index match)`
subquery. Every value is a bound parameter.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import and_, exists, false, func, not_, or_, select
from sqlalchemy.orm import aliased

from storage.dialects import index_ids, index_is_exact, index_select, scan_many_matches, tested_on_rows
from storage.models import Article, ArticleAuthor, Author, Site
from storage.querylang import And, Field, MatchAll, Not, Or, Phrase, Query, Term, normalize, parse_query
from storage.timestamps import as_utc
from storage.wordpairs import pair_phrases, uses_pairs

if TYPE_CHECKING:
    from sqlalchemy.orm import Session
    from sqlalchemy.sql import Select
    from sqlalchemy.sql.elements import ColumnElement


#: from this many matches of the words on, scanning the articles beats looking each match up (SQLite)
MANY_MATCHES = 5000


@dataclass(frozen=True)
class SearchFilters:
    """Filters beside the query: site name, author name (exact, case-insensitive), section, language,
    published in [since, until), and one article per copy cluster."""

    site: str | None = None
    author: str | None = None
    section: str | None = None
    language: str | None = None
    since: datetime | None = None
    until: datetime | None = None
    collapse_copies: bool = False


@dataclass(frozen=True)
class Plan:
    """text: the part the index matches and ranks (None: no full-text part); where: everything else."""

    dialect: str
    text: Query | None
    where: tuple[ColumnElement[bool], ...]

    def select(self, *columns: Any) -> Select[Any]:
        """SELECT columns FROM the matching articles (joined with Site when a column is the site's), unordered."""
        if self.text is not None:
            query = index_select(self.dialect, self.text, *columns)
        else:
            query = select(*columns).select_from(Article)
        return _with_site(query, columns).where(*self.where)

    def scan_pays(self, session: Session) -> bool:
        """Whether select_scanning is the cheaper form: on SQLite, when the words alone match at least
        MANY_MATCHES articles (counted on the index alone, which is cheap)."""
        if self.text is None or not scan_many_matches(self.dialect):
            return False
        some = index_ids(self.dialect, self.text).limit(MANY_MATCHES).subquery()
        return session.scalar(select(func.count()).select_from(some)) == MANY_MATCHES

    def select_scanning(self, *columns: Any) -> Select[Any]:
        """Like select, for a query with words matching a large part of the archive: the articles are
        scanned (through a covering index where one fits) and tested against the set of index matches,
        instead of each match's row being looked up (`id + 0` keeps the planner from driving by id)."""
        if self.text is None:
            return self.select(*columns)
        matching = (Article.id + 0).in_(index_ids(self.dialect, self.text))
        return _with_site(select(*columns).select_from(Article), columns).where(matching, *self.where)


def _with_site(query: Select[Any], columns: tuple[Any, ...]) -> Select[Any]:
    """query joined with Site when one of its columns is the site's (filters name sites by subquery)."""
    if Site.__table__ in select(*columns).columns_clause_froms:
        return query.join(Site, Article.site_id == Site.id)
    return query


def plan_query(dialect_name: str, query: str, filters: SearchFilters, session: Session | None = None) -> Plan:
    """Parse query (QuerySyntaxError when malformed) and split it for dialect_name. With a session on
    PostgreSQL, the phrases the word-pair index can look up are marked so (storage.wordpairs)."""
    node = normalize(parse_query(query))
    conjuncts: tuple[Query, ...]
    if isinstance(node, MatchAll):
        conjuncts = ()
    elif isinstance(node, And):
        conjuncts = node.children
    else:
        conjuncts = (node,)
    text_parts = [part for part in conjuncts if _is_text(part)]
    text: Query | None = None
    rest = list(conjuncts)
    if any(not isinstance(part, Not) for part in text_parts):
        text = text_parts[0] if len(text_parts) == 1 else And(tuple(text_parts))
        rest = [part for part in conjuncts if not _is_text(part)]
        if session is not None and dialect_name == "postgresql":
            text = pair_phrases(session, text)
    # PostgreSQL: with words the index decides alone, or phrases the pair index narrows, filters are tested
    # on the index's matches (a filter's b-tree would have each filtered row's tsvector read, or pairs computed)
    on_rows = (
        dialect_name == "postgresql"
        and text is not None
        and (index_is_exact(dialect_name, text) or uses_pairs(text))
    )
    where = [_clause(dialect_name, part, on_rows) for part in rest] + filter_clauses(filters, on_rows)
    return Plan(dialect_name, text, tuple(where))


def _is_text(node: Query) -> bool:
    """True when every leaf of node is in the full-text index (a word, a phrase, a title: term)."""
    if isinstance(node, Term | Phrase):
        return True
    if isinstance(node, Field):
        return node.name == "title"
    if isinstance(node, Not):
        return _is_text(node.child)
    if isinstance(node, And | Or):
        return all(_is_text(child) for child in node.children)
    return False


def _clause(dialect_name: str, node: Query, on_rows: bool) -> ColumnElement[bool]:
    if isinstance(node, Not):
        return not_(_clause(dialect_name, node.child, on_rows))
    if _is_text(node):
        return Article.id.in_(index_ids(dialect_name, node))
    if isinstance(node, Field):
        return field_clause(node.name, node.node, on_rows)
    if isinstance(node, And):
        return and_(*(_clause(dialect_name, child, on_rows) for child in node.children))
    if isinstance(node, Or):
        return or_(*(_clause(dialect_name, child, on_rows) for child in node.children))
    raise ValueError(f"cannot compile {node!r}")


def _like_escape(value: str) -> str:
    return value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _value_clause(column: Any, leaf: Term | Phrase) -> ColumnElement[bool]:
    """A metadata column equal to the value (case-insensitive), or starting with it for value*."""
    if isinstance(leaf, Term) and leaf.prefix:
        return column.ilike(_like_escape(leaf.word) + "%", escape="\\")
    value = leaf.word if isinstance(leaf, Term) else leaf.text
    return func.lower(column) == value.lower()


def _indexed(column: Any, on_rows: bool) -> Any:
    """column, or with on_rows (PostgreSQL only) in a form tested on the rows (dialects.tested_on_rows)."""
    return tested_on_rows("postgresql", column) if on_rows else column


def _site_is(condition: ColumnElement[bool], on_rows: bool) -> ColumnElement[bool]:
    """The article's site meets condition: a subquery on sites, so the query need not join them."""
    return _indexed(Article.site_id, on_rows).in_(select(Site.id).where(condition))


def field_clause(name: str, leaf: Query, on_rows: bool = False) -> ColumnElement[bool]:
    """The WHERE clause of author:/site:/section:/lang: applied to one value (on_rows: see plan_query)."""
    if not isinstance(leaf, Term | Phrase):
        raise ValueError(f"{name}: applies to a value, not {leaf!r}")
    if name == "site":
        return _site_is(_value_clause(Site.name, leaf), on_rows)
    if name == "section":
        return _value_clause(Article.section, leaf)
    if name == "lang":
        clause = _value_clause(Article.language, leaf)
        if isinstance(leaf, Term) and not leaf.prefix:  # lang:en also finds en-GB
            clause = or_(clause, Article.language.ilike(_like_escape(leaf.word) + "-%", escape="\\"))
        return clause
    if name == "author":
        return _author_clause(leaf)
    raise ValueError(f"unknown field {name}:")


def _written_by(name_condition: Callable[[Any], ColumnElement[bool]]) -> ColumnElement[bool]:
    """EXISTS an author of the article whose name key meets the condition. The subquery has its own aliases
    of the author tables, so a query that joins those tables itself (the author facet) cannot absorb it."""
    link, person = aliased(ArticleAuthor), aliased(Author)
    return exists().where(
        link.article_id == Article.id, link.author_id == person.id, name_condition(person.name_key)
    )


def _author_clause(leaf: Term | Phrase) -> ColumnElement[bool]:
    """author:"Full Name" is the whole name; author:word one word of it; author:wor* a word's start."""
    return _written_by(lambda key_column: _name_condition(key_column, leaf))


def _name_condition(key_column: Any, leaf: Term | Phrase) -> ColumnElement[bool]:
    if isinstance(leaf, Phrase):
        condition = key_column == leaf.text.casefold()
    else:
        key = _like_escape(leaf.word.casefold())
        if leaf.prefix:
            condition = or_(
                key_column.like(key + "%", escape="\\"), key_column.like("% " + key + "%", escape="\\")
            )
        else:
            condition = or_(
                key_column == leaf.word.casefold(),
                key_column.like(key + " %", escape="\\"),
                key_column.like("% " + key, escape="\\"),
                key_column.like("% " + key + " %", escape="\\"),
            )
    return condition


def filter_clauses(filters: SearchFilters, on_rows: bool = False) -> list[ColumnElement[bool]]:
    """The WHERE clauses of filters (on_rows: see plan_query)."""
    clauses: list[ColumnElement[bool]] = []
    if filters.site is not None:
        site_id = select(Site.id).where(Site.name == filters.site).scalar_subquery()
        clauses.append(_indexed(Article.site_id, on_rows) == site_id)
    if filters.author is not None:
        key = filters.author.strip().casefold()
        clauses.append(_written_by(lambda key_column: key_column == key))
    if filters.section is not None:
        clauses.append(func.lower(Article.section) == filters.section.strip().lower())
    if filters.language is not None:
        clauses.append(field_clause("lang", Term(filters.language.strip())))
    if filters.since is not None:
        clauses.append(_indexed(Article.published, on_rows) >= as_utc(filters.since))
    if filters.until is not None:
        clauses.append(_indexed(Article.published, on_rows) < as_utc(filters.until))
    if filters.collapse_copies:
        clauses.append(Article.later_copy == false())
    return clauses
