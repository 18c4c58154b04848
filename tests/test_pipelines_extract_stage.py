from datetime import UTC, datetime

from pipelines.extract_stage import apply_hints
from pipelines.extraction.extract import extract_page

UNDATED = "<html><body><main><p>" + "Words of an undated story about the harbour. " * 20 + "</p></main></body></html>"


def test_hints_fill_only_what_the_page_does_not_state():
    when = datetime(2025, 3, 6, 9, 42, tzinfo=UTC)
    extraction = extract_page(UNDATED, "https://t.example/news/undated-story-about-the-harbour/")
    assert extraction.record.published is None and not extraction.record.title
    apply_hints(extraction, {"published": when, "title": "  Harbour  story "})
    assert extraction.record.published == when
    assert extraction.record.title == "Harbour story"
    assert extraction.sources["published"].startswith("discovery hint")


def test_hints_never_override_the_page():
    page = UNDATED.replace("<main>", '<main><h1>Page headline</h1><time datetime="2024-01-02T03:04:05+00:00">x</time>')
    extraction = extract_page(page, "https://t.example/news/dated-story/")
    before = extraction.record.published
    apply_hints(extraction, {"published": datetime(2020, 1, 1, tzinfo=UTC), "title": "Other"})
    assert extraction.record.title == "Page headline"
    assert extraction.record.published == before
