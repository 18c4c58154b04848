"""The article body: the article's own paragraphs, in order, without boilerplate."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Mapping

    from pipelines.document import Document


def extract_body(doc: Document, title: str | None = None, overrides: Mapping[str, str] | None = None) -> str:
    """Paragraphs joined by newlines ("" when the page has no article text)."""
    paragraphs = []
    for node in doc.tree.iter("p"):
        text = " ".join(node.text_content().split())
        if len(text) > 80:
            paragraphs.append(text)
    return "\n".join(paragraphs)
