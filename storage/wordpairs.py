"""PostgreSQL phrases through the index of adjacent word pairs (migration 0004_word_pairs).

The GIN index on search_vector knows which words an article holds, not where: a phrase was checked again on
every candidate's tsvector, read out of line. The index on article_word_pairs(search_vector) holds each pair
of lexemes that follow each other as 'first second', so a two-word phrase is one exact index lookup, and a
longer one (or a title: phrase, whose weights only the tsvector knows) looks its pairs up first, leaving the
tsvector check far fewer candidates.

A phrase's pairs are built from the lexemes the database itself makes of its words, and only when each word
is exactly one lexeme: the 'simple' parser splits some words a reader would take for one (e.g. 1e5x into
'1e5' and 'x'), and such a phrase keeps the tsvector check alone. Only phrases of the query's top-level AND
are looked up by their pairs; a phrase under OR or NOT keeps the tsvector check.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sqlalchemy import Text, bindparam, func, text
from sqlalchemy.dialects.postgresql import ARRAY

from storage.querylang import And, Field, Phrase, Query

if TYPE_CHECKING:
    from sqlalchemy.orm import Session
    from sqlalchemy.sql.elements import ColumnElement

#: lexemes longer than this many bytes are in no pair (the limit migration 0004 builds the index with)
MAX_PAIRED_LEXEME = 255

#: the lexeme of each word that the 'simple' configuration makes into exactly one lexeme, at position 1
_LEXEMES = text(
    """
    SELECT word, (SELECT lexeme FROM unnest(vector)) FROM unnest(CAST(:words AS text[])) AS word,
        to_tsvector('simple', word) AS vector
    WHERE length(vector) = 1
        AND (SELECT positions = '{1}' AND octet_length(lexeme) <= :longest FROM unnest(vector))
    """
)


@dataclass(frozen=True, slots=True)
class Paired:
    """A phrase (or title: phrase) of the query's top-level AND, with the word pairs it must hold."""

    node: Query
    pairs: tuple[str, ...]

    @property
    def exact(self) -> bool:
        """Whether the pairs decide alone: a two-word phrase in any field (no weight to check)."""
        return isinstance(self.node, Phrase) and len(self.node.words) == 2


def _phrase(node: Query) -> Phrase | None:
    """The phrase of two or more words that node is, or that a title: node holds."""
    if isinstance(node, Field) and node.name == "title":
        node = node.node
    return node if isinstance(node, Phrase) and len(node.words) >= 2 else None


def pair_phrases(session: Session, node: Query) -> Query:
    """node with each phrase of its top-level AND whose words are one lexeme each wrapped in Paired."""
    conjuncts = node.children if isinstance(node, And) else (node,)
    phrases = [_phrase(conjunct) for conjunct in conjuncts]
    words = sorted({word for phrase in phrases if phrase is not None for word in phrase.words})
    if not words:
        return node
    lexemes = dict(session.execute(_LEXEMES, {"words": words, "longest": MAX_PAIRED_LEXEME}).tuples().all())
    done: list[Query] = []
    for conjunct, phrase in zip(conjuncts, phrases, strict=True):
        if phrase is None or not all(word in lexemes for word in phrase.words):
            done.append(conjunct)
            continue
        found = [lexemes[word] for word in phrase.words]
        pairs = tuple(f"{first} {second}" for first, second in zip(found, found[1:], strict=False))
        done.append(Paired(conjunct, pairs))
    return And(tuple(done)) if isinstance(node, And) else done[0]


def uses_pairs(node: Query) -> bool:
    """Whether node (as pair_phrases left it) looks phrases up in the pair index."""
    return isinstance(node, Paired) or (
        isinstance(node, And) and any(isinstance(c, Paired) for c in node.children)
    )


def pairs_clause(vector: Any, paired: list[Paired]) -> ColumnElement[bool]:
    """The article's word pairs (of its tsvector, `vector`) include every pair of the paired phrases."""
    wanted = sorted({pair for phrase in paired for pair in phrase.pairs})
    return func.article_word_pairs(vector).op("@>", is_comparison=True)(
        bindparam(None, wanted, type_=ARRAY(Text), unique=True)
    )
