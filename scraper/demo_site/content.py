"""The demo site's content: sections, authors, fixed pages and articles, loaded from the package's data files.

Content lives in TOML next to this module (``data/site.toml``, ``data/articles/*.toml``) so that texts can be
read and edited as prose; pages are rendered from it in code. The seed article is the one exception: it is a
saved page served as-is, and only its metadata is declared in TOML (its paragraphs are read from the page).
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from datetime import datetime
from importlib import resources
from importlib.resources.abc import Traversable

import lxml.html

PACKAGE_FILES: Traversable = resources.files(__package__)
DATA_DIR: Traversable = PACKAGE_FILES / "data"

#: The origin written into the saved seed page; the server swaps it for its own base URL.
SEED_ORIGIN = "https://dailydispatch.example"
#: The seed page's story paragraphs: direct <p> children of the post-content widget, minus the
#: "Read More:" promotion (a <p> holding only a <strong>). Ad labels sit in a nested <div>, so are skipped.
SEED_PARAGRAPHS_XPATH = (
    "//div[contains(@class, 'elementor-widget-theme-post-content')]"
    "/div[contains(@class, 'elementor-widget-container')]/p[not(strong)]"
)

TEMPLATES = frozenset({"a", "b", "seed"})


@dataclass(frozen=True, slots=True)
class Section:
    slug: str
    name: str
    description: str

    @property
    def path(self) -> str:
        return f"/category/{self.slug}/"


@dataclass(frozen=True, slots=True)
class Author:
    slug: str
    name: str
    role: str
    bio: str

    @property
    def path(self) -> str:
        return f"/author/{self.slug}/"


@dataclass(frozen=True, slots=True)
class StaticPage:
    slug: str
    title: str
    paragraphs: tuple[str, ...]

    @property
    def path(self) -> str:
        return f"/{self.slug}/"


@dataclass(frozen=True, slots=True)
class Comment:
    name: str
    text: str


@dataclass(frozen=True, slots=True)
class Article:
    """One story as the site holds it; what an extractor should recover from its page."""

    slug: str
    section: str  #: display name, as in article:section ("World")
    section_slug: str
    template: str  #: "a" (WordPress-like), "b" (magazine CMS) or "seed" (saved page)
    title: str
    authors: tuple[str, ...]
    published: datetime
    modified: datetime | None
    summary: str
    paragraphs: tuple[str, ...]
    tags: tuple[str, ...]
    related: tuple[str, ...]
    image: str  #: path of the lead image, relative to the site root
    caption: str
    credit: str
    source: str | None = None  #: package-relative saved page served instead of a rendering

    @property
    def path(self) -> str:
        return f"/{self.section_slug}/{self.slug}/"

    @property
    def last_modified(self) -> datetime:
        return self.modified or self.published

    @property
    def body(self) -> str:
        return "\n".join(self.paragraphs)


@dataclass(frozen=True, slots=True)
class Catalog:
    """Everything the site serves besides its articles (which the site's `ArticleStore` holds), keyed for lookup."""

    name: str
    tagline: str
    copyright_year: int
    sections: dict[str, Section]
    authors: dict[str, Author]
    pages: dict[str, StaticPage]
    comments: tuple[Comment, ...]
    trending: tuple[str, ...]

    def author_by_name(self, name: str) -> Author:
        return next(author for author in self.authors.values() if author.name == name)


def read_seed_paragraphs(page_html: str) -> tuple[str, ...]:
    tree = lxml.html.fromstring(page_html)
    return tuple(" ".join(p.text_content().split()) for p in tree.xpath(SEED_PARAGRAPHS_XPATH))


def read_package_text(relative: str) -> str:
    node = PACKAGE_FILES
    for part in relative.split("/"):
        node = node / part
    return node.read_text(encoding="utf-8")


def _default_image(slug: str, template: str, published: datetime) -> str:
    if template == "b":
        return f"media/images/{published:%Y}/{slug}.jpg"
    return f"wp-content/uploads/{published:%Y/%m}/{slug}.jpg"


def _article(raw: dict, sections: dict[str, Section]) -> Article:
    section = sections[raw["section"]]
    template = raw["template"]
    if template not in TEMPLATES:
        raise ValueError(f"{raw['slug']}: unknown template {template!r}")
    published = datetime.fromisoformat(raw["published"])
    modified = datetime.fromisoformat(raw["modified"]) if "modified" in raw else None
    source = raw.get("source")
    paragraphs = tuple(raw.get("paragraphs", ()))
    if source is not None:
        paragraphs = read_seed_paragraphs(read_package_text(source))
    return Article(
        slug=raw["slug"],
        section=section.name,
        section_slug=section.slug,
        template=template,
        title=raw["title"],
        authors=tuple(raw["authors"]),
        published=published,
        modified=modified,
        summary=raw["summary"],
        paragraphs=paragraphs,
        tags=tuple(raw.get("tags", ())),
        related=tuple(raw.get("related", ())),
        image=raw.get("image") or _default_image(raw["slug"], template, published),
        caption=raw.get("caption", ""),
        credit=raw.get("credit", ""),
        source=source,
    )


def _check(catalog: Catalog, articles: dict[str, Article]) -> None:
    """Fail loudly on broken cross references, so a typo in the data cannot ship a dead link."""
    names = {author.name for author in catalog.authors.values()}
    for article in articles.values():
        missing = [name for name in article.authors if name not in names]
        dangling = [slug for slug in article.related if slug not in articles]
        if missing or dangling or not article.paragraphs:
            raise ValueError(f"{article.slug}: unknown authors {missing}, related {dangling}, or no text")
    unknown = [slug for slug in catalog.trending if slug not in articles]
    if unknown:
        raise ValueError(f"trending names unknown articles {unknown}")


def load_catalog() -> tuple[Catalog, list[Article]]:
    """The site's fixed content and its articles (in file order; the site's index sorts them)."""
    site = tomllib.loads((DATA_DIR / "site.toml").read_text(encoding="utf-8"))
    sections = {raw["slug"]: Section(raw["slug"], raw["name"], raw["description"]) for raw in site["section"]}
    authors = {
        raw["slug"]: Author(raw["slug"], raw["name"], raw["role"], raw["bio"]) for raw in site["author"]
    }
    pages = {
        raw["slug"]: StaticPage(raw["slug"], raw["title"], tuple(raw["paragraphs"])) for raw in site["page"]
    }
    articles: list[Article] = []
    for data_file in sorted((DATA_DIR / "articles").iterdir(), key=lambda node: node.name):
        if data_file.name.endswith(".toml"):
            raws = tomllib.loads(data_file.read_text(encoding="utf-8"))["article"]
            articles.extend(_article(raw, sections) for raw in raws)
    by_slug = {article.slug: article for article in articles}
    if len(by_slug) != len(articles):
        raise ValueError("article slugs must be unique across sections")
    catalog = Catalog(
        name=site["name"],
        tagline=site["tagline"],
        copyright_year=site["copyright_year"],
        sections=sections,
        authors=authors,
        pages=pages,
        comments=tuple(Comment(raw["name"], raw["text"]) for raw in site["comment"]),
        trending=tuple(site["trending"]),
    )
    _check(catalog, by_slug)
    return catalog, articles
