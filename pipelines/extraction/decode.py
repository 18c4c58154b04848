"""Bytes to text: honour BOM, HTTP and <meta> charsets, and survive pages whose declared charset is wrong."""

from __future__ import annotations

import codecs
import re

from bs4.dammit import UnicodeDammit

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_:.\-]+)""", re.IGNORECASE)
_HEADER_CHARSET = re.compile(r"charset\s*=\s*[\"']?([A-Za-z0-9_:.\-]+)", re.IGNORECASE)

#: Labels browsers treat as windows-1252 (WHATWG encoding standard).
_WINDOWS_1252_LABELS = {"iso-8859-1", "iso8859-1", "latin1", "latin-1", "us-ascii", "ascii", "l1", "cp819"}


class DecodeError(ValueError):
    """The bytes are not text in any charset we can recognise."""


def _normalise_label(label: str | None) -> str | None:
    if not label:
        return None
    label = label.strip().lower()
    if label in _WINDOWS_1252_LABELS:
        return "windows-1252"
    try:
        return codecs.lookup(label).name
    except LookupError:
        return None


def charset_from_content_type(content_type: str | None) -> str | None:
    if not content_type:
        return None
    match = _HEADER_CHARSET.search(content_type)
    return _normalise_label(match.group(1)) if match else None


def declared_charset(data: bytes) -> str | None:
    match = _META_CHARSET.search(data[:4096])
    return _normalise_label(match.group(1).decode("ascii", "ignore")) if match else None


def decode_html(data: bytes, header_charset: str | None = None) -> tuple[str, str]:
    """Return (text, encoding used). Tries BOM, header, <meta>, UTF-8, then statistical detection."""
    if data.startswith(codecs.BOM_UTF8):
        return data[3:].decode("utf-8", "replace"), "utf-8"
    try:
        # Bytes that are valid UTF-8 are UTF-8 whatever the page declares: pages declaring iso-8859-1 yet
        # serving UTF-8 would otherwise come out as mojibake ("fÃ¼r"); ASCII reads the same in every charset.
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    candidates: list[str] = []
    for label in (_normalise_label(header_charset), declared_charset(data), "utf-8"):
        if label and label not in candidates:
            candidates.append(label)
    for encoding in candidates:
        try:
            return data.decode(encoding), encoding
        except (UnicodeDecodeError, LookupError):
            continue
    dammit = UnicodeDammit(data, is_html=True)
    if dammit.unicode_markup is None:
        raise DecodeError("could not decode page bytes in any known charset")
    return dammit.unicode_markup, dammit.original_encoding or "unknown"
