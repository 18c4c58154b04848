"""Word-level differences between two versions of an article, for the revision history.

difflib aligns the two word sequences; paragraph breaks are words of their own so a moved break shows.
Long unchanged stretches shrink to their first and last few words, so a one-word correction in a long
report reads at a glance.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from typing import Literal

Kind = Literal["same", "ins", "del", "gap"]

#: a word, or a paragraph break
_TOKEN = re.compile(r"\n|[^\s]+")
PARAGRAPH = "\n"


@dataclass(frozen=True, slots=True)
class Segment:
    kind: Kind
    text: str


@dataclass(frozen=True, slots=True)
class WordDiff:
    segments: list[Segment]
    inserted: int
    deleted: int

    @property
    def changed(self) -> bool:
        return bool(self.inserted or self.deleted)


def tokens(text: str | None) -> list[str]:
    """The words of text, with one PARAGRAPH token for each run of line breaks."""
    found = _TOKEN.findall((text or "").strip())
    return [token for i, token in enumerate(found) if token != PARAGRAPH or found[i - 1] != PARAGRAPH]


def _join(words: list[str]) -> str:
    return " ".join(words).replace(" \n ", "\n").replace("\n ", "\n").replace(" \n", "\n")


def word_diff(old: str | None, new: str | None, *, context: int = 15) -> WordDiff:
    """The words of new against old, as same/ins/del segments; unchanged runs longer than 2*context
    words keep only context words at each side of a change (a "gap" segment says how many were left out)."""
    before, after = tokens(old), tokens(new)
    matcher = difflib.SequenceMatcher(None, before, after, autojunk=False)
    opcodes = matcher.get_opcodes()
    segments: list[Segment] = []
    inserted = deleted = 0
    for index, (op, i1, i2, j1, j2) in enumerate(opcodes):
        if op == "equal":
            segments.extend(_shorten(before[i1:i2], context, first=index == 0, last=index == len(opcodes) - 1))
            continue
        if op in ("delete", "replace"):
            segments.append(Segment("del", _join(before[i1:i2])))
            deleted += sum(1 for word in before[i1:i2] if word != PARAGRAPH)
        if op in ("insert", "replace"):
            segments.append(Segment("ins", _join(after[j1:j2])))
            inserted += sum(1 for word in after[j1:j2] if word != PARAGRAPH)
    return WordDiff(segments, inserted, deleted)


def _shorten(words: list[str], context: int, *, first: bool, last: bool) -> list[Segment]:
    head = 0 if first else context
    tail = 0 if last else context
    if first and last:
        return [Segment("gap", f"{sum(1 for word in words if word != PARAGRAPH)} words, unchanged")]
    if len(words) <= head + tail + 1:
        return [Segment("same", _join(words))]
    kept: list[Segment] = []
    if head:
        kept.append(Segment("same", _join(words[:head])))
    left_out = sum(1 for word in words[head : len(words) - tail] if word != PARAGRAPH)
    kept.append(Segment("gap", f"… {left_out} unchanged words …"))
    if tail:
        kept.append(Segment("same", _join(words[len(words) - tail :])))
    return kept
