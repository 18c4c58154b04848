"""The JSON API's answers as models, so /api/openapi.json documents every key and status it can return."""

from __future__ import annotations

from pydantic import BaseModel, Field


class ErrorAnswer(BaseModel):
    error: str = Field(description="one line saying what was wrong")


class SnippetSegment(BaseModel):
    text: str
    match: bool = Field(description="the text matched the query")


class Hit(BaseModel):
    id: int
    url: str
    title: str | None
    site: str
    published: str | None = Field(description="ISO 8601 with offset")
    authors: list[str]
    section: str | None
    language: str | None
    removed: bool = Field(description="taken down by the publisher, still archived")
    copies: int = Field(description="other articles carrying the same text")
    score: float
    snippet: str = Field(description="plain text around the matches")
    snippet_segments: list[SnippetSegment]


class FacetValue(BaseModel):
    value: str
    count: int


class SearchAnswer(BaseModel):
    total: int
    page: int
    limit: int
    hits: list[Hit]
    facets: dict[str, list[FacetValue]] | None = Field(
        default=None, description="with facets=1: top values of site, author, section, language"
    )


class CountPoint(BaseModel):
    period: str = Field(description="YYYY-MM-DD, YYYY-Www or YYYY-MM")
    count: int
    total: int = Field(description="every article in the period (same site and dates, no query)")
    share: float
    site: str | None = Field(default=None, description="with per_site=1")


class CountsAnswer(BaseModel):
    query: str
    by: str
    series: list[CountPoint]


class Link(BaseModel):
    url: str
    text: str


class Revision(BaseModel):
    version: int
    fetched_at: str
    content_hash: str
    title: str | None
    body: str


class Copy(BaseModel):
    id: int
    url: str
    title: str | None
    site: str
    published: str | None
    similarity: float | None


class RawPageRef(BaseModel):
    id: int
    url: str
    status: int
    fetched_at: str
    page_type: str
    encoding: str | None


class ArticleAnswer(BaseModel):
    id: int
    url: str
    canonical_url: str
    title: str | None
    authors: list[str]
    published: str | None
    modified: str | None
    language: str | None
    section: str | None
    site_name: str | None
    lead_image: str | None
    description: str | None
    body: str
    related_links: list[Link]
    site: str
    first_seen: str
    last_seen: str
    last_changed: str
    version: int
    removed: str | None = Field(description="when the publisher took it down, else null")
    revisions: list[Revision]
    copies: list[Copy]
    raw_pages: list[RawPageRef]


#: the error answers every API route may give
ERRORS = {
    400: {"model": ErrorAnswer, "description": "a bad query or parameter"},
    401: {"model": ErrorAnswer, "description": "the workbench needs its token"},
}
