"""The articles a fake site serves: live and deleted records by slug, and the newest-first index over them.

Both configurations keep their articles here, whatever their record type (a `Story`): the demo loads fixed ones,
the generated site makes them from a seed; both change them while served (edits, additions, deletions). The index
(latest first; by section, tag slug and author slug) is rebuilt lazily after a change. Hold `lock` to read
consistently while a server runs; the server holds it while it renders a page.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import TYPE_CHECKING, Generic, Protocol, TypeVar

from scraper.demo_site.engine.markup import slugify

if TYPE_CHECKING:
    from collections.abc import Iterable
    from datetime import datetime


class Story(Protocol):
    @property
    def slug(self) -> str: ...
    @property
    def section_slug(self) -> str: ...
    @property
    def authors(self) -> tuple[str, ...]: ...
    @property
    def tags(self) -> tuple[str, ...]: ...
    @property
    def published(self) -> datetime: ...


A = TypeVar("A", bound=Story)


@dataclass(frozen=True, slots=True)
class Index(Generic[A]):
    """Sorted views of the live articles, newest first (published, then slug, descending)."""

    latest: tuple[A, ...]
    by_section: dict[str, tuple[A, ...]]
    by_tag: dict[str, tuple[A, ...]]  #: by tag slug, in slug order
    by_author: dict[str, tuple[A, ...]]  #: by author slug, in slug order
    author_names: dict[str, str]  #: author slug -> name


def build_index(articles: Iterable[A], sections: Iterable[str]) -> Index[A]:
    latest = tuple(sorted(articles, key=lambda a: (a.published, a.slug), reverse=True))
    by_section: dict[str, list[A]] = {s: [] for s in sections}
    by_tag: dict[str, list[A]] = {}
    by_author: dict[str, list[A]] = {}
    names: dict[str, str] = {}
    for article in latest:
        by_section.setdefault(article.section_slug, []).append(article)
        for tag in article.tags:
            by_tag.setdefault(slugify(tag), []).append(article)
        for name in article.authors:
            by_author.setdefault(slugify(name), []).append(article)
            names[slugify(name)] = name
    return Index(
        latest=latest,
        by_section={k: tuple(v) for k, v in by_section.items()},
        by_tag={k: tuple(v) for k, v in sorted(by_tag.items())},
        by_author={k: tuple(v) for k, v in sorted(by_author.items())},
        author_names=names,
    )


class ArticleStore(Generic[A]):
    """Live and deleted articles by slug, with the index; subclasses add the content and the mutations."""

    def __init__(self, articles: Iterable[A] = (), sections: Iterable[str] = ()) -> None:
        self.lock = threading.RLock()
        self.sections = tuple(sections)
        self._live: dict[str, A] = {a.slug: a for a in articles}
        self._deleted: dict[str, A] = {}
        self._index: Index[A] | None = None

    def put(self, article: A) -> None:
        """Publish an article, or replace the live one with its slug."""
        with self.lock:
            self._live[article.slug] = article
            self._index = None

    def remove(self, slug: str) -> A:
        """Take an article off the site; `deleted()` still finds it."""
        with self.lock:
            self._deleted[slug] = article = self._live.pop(slug)
            self._index = None
            return article

    @property
    def index(self) -> Index[A]:
        with self.lock:
            if self._index is None:
                self._index = build_index(self._live.values(), self.sections)
            return self._index

    @property
    def latest(self) -> tuple[A, ...]:
        return self.index.latest

    @property
    def articles(self) -> list[A]:
        """Live articles, newest first."""
        return list(self.index.latest)

    def article(self, slug: str) -> A:
        """The live article with this slug (KeyError when absent or deleted)."""
        return self._live[slug]

    def get(self, slug: str) -> A | None:
        return self._live.get(slug)

    def find(self, section: str, slug: str) -> A | None:
        """The live article at /<section>/<slug>/, or None."""
        article = self._live.get(slug)
        return article if article is not None and article.section_slug == section else None

    def deleted(self, section: str, slug: str) -> A | None:
        article = self._deleted.get(slug)
        return article if article is not None and article.section_slug == section else None
