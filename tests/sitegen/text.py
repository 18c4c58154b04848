"""Synthetic words for the generated site: titles, sentences, names and tags from a small word bank.

Every generator takes its own `random.Random`, so the caller decides what is seeded by what (the site
seeds an article's text by site seed, article serial and revision, which makes the text deterministic,
unique per article and different after each edit).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import random
    from collections.abc import Sequence

ADJECTIVES: tuple[str, ...] = (
    "regional", "coastal", "national", "ambitious", "historic", "rural", "urban", "local", "quiet",
    "record", "delayed", "overdue", "modest", "sweeping", "temporary", "northern", "southern", "costly",
    "disputed", "popular", "fragile", "independent", "experimental", "annual",
)  # fmt: skip

NOUNS: tuple[str, ...] = (
    "council", "minister", "budget", "river", "harbour", "festival", "league", "court", "museum",
    "railway", "vaccine", "satellite", "orchestra", "market", "senate", "coalition", "reservoir",
    "stadium", "laboratory", "library", "union", "factory", "airport", "campus", "glacier", "telescope",
    "parliament", "archive", "bridge", "forest", "committee", "hospital", "ferry", "theatre", "tribunal",
    "observatory", "cooperative", "orchard", "pipeline", "academy",
)  # fmt: skip

VERBS: tuple[str, ...] = (
    "approves", "rejects", "delays", "unveils", "expands", "questions", "funds", "restores",
    "challenges", "reviews", "defends", "blocks", "launches", "postpones", "praises", "audits",
    "reshapes", "revives", "criticises", "welcomes",
)  # fmt: skip

OBJECTS: tuple[str, ...] = (
    "plan", "proposal", "deal", "report", "strategy", "inquiry", "agreement", "programme", "reform",
    "contract", "survey", "forecast", "budget", "timetable", "review",
)  # fmt: skip

SOURCES: tuple[str, ...] = (
    "Officials said", "According to residents,", "Analysts noted that", "A spokesperson confirmed that",
    "Critics argue that", "Supporters insist that", "Figures released on Monday show that",
    "In a statement, organisers said", "Local reports suggest that", "Experts warned that",
)  # fmt: skip

CONNECTIVES: tuple[str, ...] = (
    "while", "because", "although", "after", "before", "since", "as", "even though",
)  # fmt: skip

FIRST_NAMES: tuple[str, ...] = (
    "Alice", "Bruno", "Chiara", "Dmitri", "Elena", "Farid", "Grace", "Hiro", "Ines", "Jonas", "Kemi",
    "Lars", "Maya", "Nikhil", "Olga", "Pablo", "Quinn", "Rosa", "Samir", "Tove",
)  # fmt: skip

LAST_NAMES: tuple[str, ...] = (
    "Abbott", "Berger", "Castillo", "Dubois", "Eriksen", "Fontaine", "Gallo", "Hartmann", "Ibsen",
    "Jansen", "Kowalski", "Lindqvist", "Moreau", "Novak", "Okafor", "Petrov", "Quintana", "Rossi",
    "Silva", "Tanaka",
)  # fmt: skip

TAGS: tuple[str, ...] = (
    "elections", "climate", "transport", "housing", "health", "education", "energy", "trade",
    "football", "tennis", "cinema", "music", "space", "technology", "agriculture", "tourism",
    "justice", "water", "labour", "art", "finance", "weather", "cycling", "books", "research",
    "diplomacy", "budget", "heritage", "startups", "oceans",
)  # fmt: skip


class Digits:
    """Small choices drawn from one big random integer: one RNG call per article instead of a dozen."""

    __slots__ = ("_value",)

    def __init__(self, value: int) -> None:
        self._value = value

    def below(self, n: int) -> int:
        self._value, digit = divmod(self._value, n)
        return digit

    def choice(self, items: Sequence[str]) -> str:
        return items[self.below(len(items))]

    def sample(self, items: Sequence[str], k: int) -> tuple[str, ...]:
        """k distinct items, in drawn order."""
        pool = list(items)
        return tuple(pool.pop(self.below(len(pool))) for _ in range(k))


def title(digits: Digits) -> str:
    """A headline such as 'Coastal council rejects disputed railway plan'."""
    words = (
        digits.choice(ADJECTIVES),
        digits.choice(NOUNS),
        digits.choice(VERBS),
        digits.choice(ADJECTIVES),
        digits.choice(NOUNS),
        digits.choice(OBJECTS),
    )
    return " ".join(words).capitalize()


def _clause(rng: random.Random) -> str:
    return f"the {rng.choice(ADJECTIVES)} {rng.choice(NOUNS)} {rng.choice(VERBS)} the {rng.choice(NOUNS)} {rng.choice(OBJECTS)}"


def sentence(rng: random.Random) -> str:
    """One sentence built from a few clause patterns, with numbers so that texts rarely repeat."""
    pattern = rng.randrange(4)
    if pattern == 0:
        text = f"{rng.choice(SOURCES)} {_clause(rng)}"
    elif pattern == 1:
        text = f"{_clause(rng)} {rng.choice(CONNECTIVES)} {_clause(rng)}"
    elif pattern == 2:
        text = f"{_clause(rng)} by {rng.randint(2, 97)} percent over {rng.randint(2, 30)} months"
    else:
        text = f"{rng.choice(SOURCES)} {rng.randint(3, 900)} people attended the {rng.choice(NOUNS)} meeting"
    return text[0].upper() + text[1:] + "."


def paragraphs(rng: random.Random) -> tuple[str, ...]:
    """Four to eight paragraphs of three to five sentences each."""
    return tuple(" ".join(sentence(rng) for _ in range(rng.randint(3, 5))) for _ in range(rng.randint(4, 8)))


def author_pool(rng: random.Random, size: int) -> tuple[str, ...]:
    """`size` distinct 'First Last' names."""
    names = [f"{first} {last}" for first in FIRST_NAMES for last in LAST_NAMES]
    return tuple(rng.sample(names, size))
