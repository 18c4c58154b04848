"""The archive's one query language, parsed here into a small tree; nothing the user types reaches SQL as syntax.

    climate            a word (implicit AND between terms: `climate policy` needs both)
    "climate policy"   an exact phrase
    war OR peace       either (OR binds looser than the implicit AND; AND may be written too)
    -war, NOT war      without the word (a group needs at least one positive term)
    (war OR peace) un  parentheses group
    climat*            a word prefix
    title:climate      in the title; author:, site:, section:, lang: become filters on those fields
    title:(a OR "b c") a field applies to a word, a phrase or a parenthesised group

Words are what the full-text tokenizers see: runs of letters and digits. A term holding punctuation
(`covid-19`, `o'brien`) is searched as the phrase of its words; punctuation alone is ignored. Errors
are QuerySyntaxError, one line that names the character at fault. storage.matching turns the tree
into SQL with every word bound as a parameter or quoted.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

#: fields searched in the full-text index
TEXT_FIELDS = ("title",)
#: fields that become SQL filters on the article's metadata
FILTER_FIELDS = ("author", "site", "section", "lang")
FIELDS = TEXT_FIELDS + FILTER_FIELDS
KEYWORDS = ("OR", "AND", "NOT")
#: the longest query accepted, in characters
MAX_QUERY_CHARS = 2000
#: how many terms one query may hold (each becomes a bound parameter or an index lookup)
MAX_TERMS = 64

_WORD = re.compile(r"[^\W_]+")
_FIELD = re.compile(r"([A-Za-z]+):")
_EXCERPT = 60


class QuerySyntaxError(ValueError):
    """A malformed query; str() is one line naming the problem and the character (1-based) where it is."""

    def __init__(self, problem: str, position: int, text: str) -> None:
        self.problem = problem
        self.position = position
        self.text = text
        super().__init__(f'{problem} at character {position}: "{_excerpt(text, position)}"')


def _excerpt(text: str, position: int) -> str:
    """The query on one line, cut to a window around position when long."""
    flat = " ".join(text.split()) if len(text) <= _EXCERPT else text
    if len(flat) <= _EXCERPT:
        return flat
    start = max(0, min(position - 1 - _EXCERPT // 2, len(text) - _EXCERPT))
    window = " ".join(text[start : start + _EXCERPT].split())
    return ("…" if start else "") + window + ("…" if start + _EXCERPT < len(text) else "")


# --- the tree ---


@dataclass(frozen=True, slots=True)
class Term:
    """One word (letters and digits); under author/site/section/lang, the value as typed."""

    word: str
    prefix: bool = False


@dataclass(frozen=True, slots=True)
class Phrase:
    """Words that must follow each other; under a filter field, `text` is the quoted value as typed."""

    words: tuple[str, ...]
    text: str = ""


@dataclass(frozen=True, slots=True)
class And:
    children: tuple[Query, ...]


@dataclass(frozen=True, slots=True)
class Or:
    children: tuple[Query, ...]


@dataclass(frozen=True, slots=True)
class Not:
    child: Query
    position: int = field(default=0, compare=False)


@dataclass(frozen=True, slots=True)
class Field:
    name: str
    node: Query


@dataclass(frozen=True, slots=True)
class MatchAll:
    """The empty query: every article (the filters still apply)."""


Query = Term | Phrase | And | Or | Not | Field | MatchAll


# --- tokens ---


@dataclass(frozen=True, slots=True)
class _Token:
    kind: str  # "(", ")", "-", "OR", "AND", "NOT", "field", "phrase", "word"
    position: int  # 1-based
    value: str = ""
    prefix: bool = False


def _tokens(text: str) -> list[_Token]:
    tokens: list[_Token] = []
    i, n = 0, len(text)
    while i < n:
        char = text[i]
        if char.isspace():
            i += 1
        elif char in "()":
            tokens.append(_Token(char, i + 1))
            i += 1
        elif char == '"':
            end = text.find('"', i + 1)
            if end < 0:
                raise QuerySyntaxError("unclosed quote", i + 1, text)
            tokens.append(_Token("phrase", i + 1, text[i + 1 : end]))
            i = end + 1
        elif char == "-" and (i + 1 < n and not text[i + 1].isspace() and text[i + 1] != ")"):
            tokens.append(_Token("-", i + 1))
            i += 1
        elif char == "-":
            raise QuerySyntaxError("'-' needs a word right after it", i + 1, text)
        else:
            i = _run(text, i, tokens)
    return tokens


def _run(text: str, start: int, tokens: list[_Token]) -> int:
    """Read a word-like run starting at start (a field name, a keyword or a term); return where it ends."""
    field_match = _FIELD.match(text, start)
    if field_match:
        name = field_match.group(1).lower()
        after = field_match.end()
        if name not in FIELDS:
            if after < len(text) and text[after] == "/":  # a URL such as https://..., searched as its words
                field_match = None
            else:
                raise QuerySyntaxError(
                    f"unknown field '{field_match.group(1)}:' (fields are {', '.join(FIELDS)})",
                    start + 1,
                    text,
                )
        else:
            if after >= len(text) or text[after].isspace() or text[after] == ")":
                raise QuerySyntaxError(
                    f"'{name}:' needs a word, a \"phrase\" or a (group) right after it", start + 1, text
                )
            tokens.append(_Token("field", start + 1, name))
            return after
    end = start
    while end < len(text) and not text[end].isspace() and text[end] not in '()"':
        end += 1
    raw = text[start:end]
    if raw in KEYWORDS:
        tokens.append(_Token(raw, start + 1))
    else:
        prefix = raw.endswith("*")
        tokens.append(_Token("word", start + 1, raw.rstrip("*") if prefix else raw, prefix))
    return end


# --- parser ---


class _Parser:
    def __init__(self, text: str) -> None:
        self.text = text
        self.tokens = _tokens(text)
        self.index = 0
        self.terms = 0

    def peek(self) -> _Token | None:
        return self.tokens[self.index] if self.index < len(self.tokens) else None

    def take(self) -> _Token:
        token = self.tokens[self.index]
        self.index += 1
        return token

    def error(self, problem: str, position: int | None = None) -> QuerySyntaxError:
        if position is None:
            token = self.peek()
            position = token.position if token else len(self.text) + 1
        return QuerySyntaxError(problem, position, self.text)

    def parse(self) -> Query:
        node = self.parse_or(None)
        token = self.peek()
        if token is not None:
            raise self.error("unbalanced parenthesis" if token.kind == ")" else f"unexpected {token.kind}")
        return node if node is not None else MatchAll()

    def parse_or(self, field_name: str | None) -> Query | None:
        branches: list[Query] = []
        while True:
            token = self.peek()
            branch = self.parse_and(field_name)
            if branch is not None:
                branches.append(branch)
            token = self.peek()
            if token is None or token.kind != "OR":
                break
            or_token = self.take()
            if branch is None:
                raise self.error("OR needs a term before it", or_token.position)
            if self.peek() is None or self.peek().kind in (")", "OR"):
                raise self.error("OR needs a term after it", or_token.position)
        if not branches:
            return None
        return branches[0] if len(branches) == 1 else Or(tuple(branches))

    def parse_and(self, field_name: str | None) -> Query | None:
        parts: list[Query] = []
        while (token := self.peek()) is not None and token.kind not in (")", "OR"):
            if token.kind == "AND":
                self.take()
                if not parts or self.peek() is None or self.peek().kind in (")", "OR", "AND"):
                    raise self.error("AND needs a term on each side", token.position)
                continue
            node = self.parse_unary(field_name)
            if node is not None:
                parts.append(node)
        if not parts:
            return None
        return parts[0] if len(parts) == 1 else And(tuple(parts))

    def parse_unary(self, field_name: str | None) -> Query | None:
        token = self.peek()
        if token is not None and token.kind in ("-", "NOT"):
            self.take()
            nxt = self.peek()
            if nxt is None or nxt.kind in (")", "OR", "AND"):
                raise self.error(
                    f"{'NOT' if token.kind == 'NOT' else chr(45)} needs a term after it", token.position
                )
            child = self.parse_unary(field_name)
            if child is None:
                raise self.error("nothing searchable after NOT", token.position)
            return Not(child, token.position)
        return self.parse_primary(field_name)

    def parse_primary(self, field_name: str | None) -> Query | None:
        token = self.take()
        if token.kind == "(":
            node = self.parse_or(field_name)
            closing = self.peek()
            if closing is None or closing.kind != ")":
                raise self.error("unbalanced parenthesis", len(self.text) + 1)
            self.take()
            if node is None:
                raise self.error("empty parentheses", token.position)
            return node
        if token.kind == "field":
            if field_name is not None:
                raise self.error(f"'{token.value}:' cannot be used inside {field_name}:", token.position)
            nxt = self.peek()
            if nxt is None or nxt.kind not in ("(", "phrase", "word"):
                raise self.error(
                    f"'{token.value}:' needs a word, a \"phrase\" or a (group) right after it", token.position
                )
            node = self.parse_primary(token.value)
            if node is None:
                raise self.error(
                    f"'{token.value}:' needs a word, a \"phrase\" or a (group) right after it", token.position
                )
            return Field(token.value, node)
        if token.kind == "phrase":
            return self.leaf(token, field_name, phrase=True)
        if token.kind == "word":
            return self.leaf(token, field_name, phrase=False)
        raise self.error(
            "unbalanced parenthesis" if token.kind == ")" else f"unexpected {token.kind}", token.position
        )

    def leaf(self, token: _Token, field_name: str | None, *, phrase: bool) -> Query | None:
        self.terms += 1
        if self.terms > MAX_TERMS:
            raise self.error(f"too many terms (at most {MAX_TERMS})", token.position)
        if field_name in FILTER_FIELDS:
            value = " ".join(unicodedata.normalize("NFC", token.value).split())
            if not value:
                raise self.error(f"'{field_name}:' needs a value", token.position)
            if phrase:
                return Phrase(tuple(value.split()), value)
            return Term(value, token.prefix)
        words = tuple(_WORD.findall(unicodedata.normalize("NFC", token.value)))
        if not words:
            if phrase:
                raise self.error("empty phrase", token.position)
            return None  # punctuation alone: nothing to search
        if phrase:
            return Phrase(words, token.value)
        if len(words) == 1:
            return Term(words[0], token.prefix)
        return Phrase(words, token.value)


def parse_query(text: str) -> Query:
    """The tree of a query; MatchAll for blank text; QuerySyntaxError (one line) when malformed."""
    if len(text) > MAX_QUERY_CHARS:
        raise QuerySyntaxError(
            f"query too long (at most {MAX_QUERY_CHARS} characters)", MAX_QUERY_CHARS + 1, text
        )
    if "\x00" in text:
        raise QuerySyntaxError("NUL character in query", text.index("\x00") + 1, text)
    parser = _Parser(text)
    node = parser.parse()
    if isinstance(node, MatchAll) and text.strip():
        raise QuerySyntaxError("nothing to search for: the query needs a letter or a digit", 1, text)
    _check_positive(normalize(node), text)
    return node


# --- normal form: fields pushed down to the leaves, nested AND/OR flattened, double NOT removed ---


def normalize(node: Query, field_name: str | None = None) -> Query:
    """The same query with every Field directly around a Term or Phrase, for compiling."""
    if isinstance(node, Field):
        return normalize(node.node, node.name)
    if isinstance(node, Term | Phrase):
        return Field(field_name, node) if field_name else node
    if isinstance(node, Not):
        inner = normalize(node.child, field_name)
        return inner.child if isinstance(inner, Not) else Not(inner, node.position)
    if isinstance(node, And | Or):
        kind = type(node)
        children: list[Query] = []
        for child in node.children:
            done = normalize(child, field_name)
            children.extend(done.children if isinstance(done, kind) else (done,))
        return kind(tuple(children))
    return node


def _check_positive(node: Query, text: str) -> None:
    """Reject groups made only of NOT: neither index can list 'every article without X' cheaply or alike."""
    if isinstance(node, Not):
        raise QuerySyntaxError(
            "a query (or a group) cannot be only NOT: add a word to search for", node.position, text
        )
    if isinstance(node, And):
        negatives = [child for child in node.children if isinstance(child, Not)]
        if len(negatives) == len(node.children):
            _check_positive(negatives[0], text)
        for child in node.children:
            _check_positive(child.child if isinstance(child, Not) else child, text)
    if isinstance(node, Or):
        for child in node.children:
            if isinstance(child, Not):
                raise QuerySyntaxError(
                    "NOT cannot be an alternative of OR: put it beside a word, e.g. (a OR b) -c",
                    child.position,
                    text,
                )
            _check_positive(child, text)
