"""Text helpers every configuration's templates share: escaping, JSON-LD, slugs and bylines."""

from __future__ import annotations

import functools
import html
import json
import re
from typing import Any

_NON_SLUG = re.compile(r"[^a-z0-9]+")


def esc(text: str) -> str:
    return html.escape(text, quote=True)


def json_ld(data: dict[str, Any], *, ascii_only: bool = False) -> str:
    """JSON for a <script> block: '</' is escaped so the text cannot close the element."""
    return json.dumps(data, ensure_ascii=ascii_only).replace("</", "<\\/")


@functools.lru_cache(maxsize=4096)
def slugify(text: str) -> str:
    """Lower-case ASCII words joined by hyphens: the form used in every URL the sites build."""
    return _NON_SLUG.sub("-", text.lower()).strip("-")


def byline(names: tuple[str, ...] | list[str]) -> str:
    """'A', 'A and B', 'A, B and C'."""
    if len(names) <= 1:
        return "".join(names)
    return f"{', '.join(names[:-1])} and {names[-1]}"
