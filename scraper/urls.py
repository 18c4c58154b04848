"""URL normalisation before scheduling, so one article is fetched once."""

from __future__ import annotations

import functools
import re
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from pipelines.extraction.url_rules import TRACKING_PARAMETERS

_DEFAULT_PORTS = {"http": 80, "https": 443}

#: File endings that are never news pages; links to them are not followed.
NON_PAGE_EXTENSIONS = frozenset(
    [
        "jpg",
        "jpeg",
        "png",
        "gif",
        "webp",
        "svg",
        "ico",
        "bmp",
        "tif",
        "tiff",
        "avif",
        "mp3",
        "mp4",
        "m4a",
        "m4v",
        "mov",
        "avi",
        "wmv",
        "webm",
        "ogg",
        "wav",
        "flac",
        "css",
        "js",
        "json",
        "woff",
        "woff2",
        "ttf",
        "eot",
        "otf",
        "zip",
        "gz",
        "tgz",
        "rar",
        "7z",
        "exe",
        "dmg",
        "apk",
        "msi",
        "iso",
        "bin",
        "doc",
        "docx",
        "xls",
        "xlsx",
        "ppt",
        "pptx",
        "odt",
        "ods",
        "pdf",
    ]
)


@functools.lru_cache(maxsize=4096)  # the same navigation links appear on every page of a site
def normalize_url(url: str) -> str:
    """Lower-case scheme and host, drop default ports, fragments and tracking parameters."""
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").lower()
    port = parts.port
    netloc = host if port is None or _DEFAULT_PORTS.get(scheme) == port else f"{host}:{port}"
    if parts.username:
        netloc = f"{parts.username}@{netloc}"
    query = urlencode(
        [
            (k, v)
            for k, v in parse_qsl(parts.query, keep_blank_values=True)
            if not TRACKING_PARAMETERS.match(k)
        ]
    )
    return urlunsplit((scheme, netloc, parts.path or "/", query, ""))


@functools.lru_cache(maxsize=4096)
def host_of(url: str) -> str:
    host = (urlsplit(url).hostname or "").lower()
    return host.removeprefix("www.")


def is_page_link(url: str) -> bool:
    """False for mailto:, javascript:, and links to media or documents."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https"):
        return False
    ending = parts.path.rsplit("/", 1)[-1]
    return "." not in ending or ending.rsplit(".", 1)[-1].lower() not in NON_PAGE_EXTENSIONS


def in_domains(url: str, domains: list[str]) -> bool:
    """Whether url's host is one of domains or under one ('www.' ignored on both sides)."""
    host = host_of(url)
    bare = [domain.lower().removeprefix("www.") for domain in domains]
    return any(host == d or host.endswith("." + d) for d in bare)


_AMP_QUERY = re.compile(r"^(amp|outputtype|output)$", re.IGNORECASE)


def variant_key(url: str) -> str:
    """The same key for an article URL and its AMP, trailing-slash and tracking variants.

    Used to avoid fetching a variant of a URL already fetched or scheduled; the stored article is still
    keyed by the page's own <link rel="canonical">.
    """
    parts = urlsplit(normalize_url(url))
    segments = [s for s in parts.path.split("/") if s and s.lower() != "amp"]
    if segments and segments[-1].lower().endswith(".amp"):
        segments[-1] = segments[-1][:-4]
    query = urlencode(
        [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if not _AMP_QUERY.match(k)]
    )
    return urlunsplit(("", parts.netloc, "/".join(segments), query, ""))
