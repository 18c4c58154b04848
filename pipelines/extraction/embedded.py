"""Article HTML shipped inside scripts: pages rendered in the browser (Next.js streams, hydration state)
carry the story as an escaped HTML string in a <script>, and their DOM holds no paragraphs until then."""

from __future__ import annotations

import json
import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pipelines.extraction.document import Document

#: A double-quoted JavaScript/JSON string literal.
STRING_LITERAL = re.compile(r'"((?:[^"\\]|\\.){200,})"', re.DOTALL)
#: An opening paragraph tag, raw or escaped as JSON writes it.
PARAGRAPH_OPEN = re.compile(r"<p[\s>]|\\u003cp[\s\\]", re.IGNORECASE)
#: Fewest paragraphs a string must hold to count as article markup, not a snippet.
MIN_PARAGRAPHS = 2
#: Script types that are data or code; JSON-LD has its own reader.
SKIPPED_TYPES = frozenset({"application/ld+json"})


def embedded_html(doc: Document) -> str:
    """The HTML fragments found in the page's scripts, in page order ('' when there are none)."""
    fragments: list[str] = []
    for script in doc.tree.iter("script"):
        if script.get("src") or (script.get("type") or "").lower() in SKIPPED_TYPES:
            continue
        code = script.text or ""
        if len(PARAGRAPH_OPEN.findall(code)) < MIN_PARAGRAPHS:
            continue
        for literal in STRING_LITERAL.finditer(code):
            raw = literal.group(1)
            if len(PARAGRAPH_OPEN.findall(raw)) < MIN_PARAGRAPHS:
                continue
            try:
                fragments.append(json.loads(f'"{raw}"'))
            except ValueError:
                continue  # a JavaScript-only escape (\x41): not worth a JavaScript parser
    return "\n".join(fragments)
