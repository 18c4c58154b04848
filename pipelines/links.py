"""Related links: story-related promos and "Related" blocks, not navigation, rails or footers."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pipelines.document import Document
    from pipelines.record import RelatedLink


def related_links(doc: Document) -> list[RelatedLink]:
    return []
