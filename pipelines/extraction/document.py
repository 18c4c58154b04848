"""Parse a page once: the lxml tree, the <meta> map, <link> rels and JSON-LD objects, shared by every field."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urljoin

import lxml.html
from lxml import etree
from lxml.cssselect import SelectorError

from pipelines.extraction.decode import decode_html

_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>", re.IGNORECASE)
_JSON_COMMENTS = re.compile(r"^\s*(<!--|//<!\[CDATA\[|<!\[CDATA\[)|(-->|//\]\]>|\]\]>)\s*$")
_CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
#: lxml.html's parser, with its Python class lookup (called for every element proxy) swapped for lxml's
#: C one: the form-control element classes it would add are never used here.
_PARSER = lxml.html.HTMLParser()
_PARSER.set_element_class_lookup(
    etree.ElementDefaultClassLookup(
        element=lxml.html.HtmlElement,
        comment=lxml.html.HtmlComment,
        pi=lxml.html.HtmlProcessingInstruction,
        entity=lxml.html.HtmlEntity,
    )
)
_CONTROL_BYTES = bytes(range(0x09)) + b"\x0b\x0c" + bytes(range(0x0E, 0x20))
#: <link rel> values that load page resources; never metadata, so not resolved (urljoin is costly).
RESOURCE_RELS = frozenset(
    {
        "stylesheet",
        "preload",
        "prefetch",
        "dns-prefetch",
        "preconnect",
        "modulepreload",
        "icon",
        "shortcut",
        "apple-touch-icon",
        "apple-touch-icon-precomposed",
        "mask-icon",
        "manifest",
        "search",
    }
)


class ParseError(ValueError):
    """The page holds no HTML document we can read."""


@dataclass(slots=True)
class Document:
    url: str | None
    tree: lxml.html.HtmlElement
    #: lower-cased <meta> name / property / itemprop / http-equiv -> contents, in page order
    meta: dict[str, list[str]] = field(default_factory=dict)
    #: lower-cased rel -> hrefs (absolute), in page order
    links: dict[str, list[str]] = field(default_factory=dict)
    #: every JSON-LD object on the page, with @graph and lists flattened
    json_ld: list[dict[str, Any]] = field(default_factory=list)
    encoding: str = "utf-8"
    #: JSON-LD nodes by @id, so {"@id": ...} references (authors, publishers in a @graph) can be followed
    ld_index: dict[str, dict[str, Any]] = field(default_factory=dict)
    #: per-page memo for derived values several field functions share (the article object, site names ...)
    cache: dict[str, Any] = field(default_factory=dict)

    @property
    def base_url(self) -> str | None:
        if "base_url" in self.cache:
            return self.cache["base_url"]
        base = self.tree.xpath("string(//base/@href)")
        self.cache["base_url"] = urljoin(self.url or "", base) if base else self.url
        return self.cache["base_url"]

    def absolute(self, href: str | None) -> str | None:
        """Resolve href against the page URL; None for empty, javascript: and mailto: links."""
        if not href:
            return None
        href = href.strip()
        if not href or href.startswith(("javascript:", "mailto:", "tel:", "data:", "#")):
            return None
        return urljoin(self.base_url or "", href)

    def meta_first(self, *names: str) -> str | None:
        """First non-empty content among the given meta names, in the order asked."""
        for name in names:
            for value in self.meta.get(name.lower(), ()):
                value = value.strip()
                if value:
                    return value
        return None

    def select(self, selector: str) -> list[etree._Element]:
        """Elements matching a CSS selector from a site's extraction overrides ([] for an invalid one: the
        sites file checks selectors when it is loaded, and a page must never crash extraction)."""
        try:
            return list(self.tree.cssselect(selector))
        except SelectorError:
            return []

    def ld_objects(self, *types: str) -> list[dict[str, Any]]:
        """JSON-LD objects whose @type (a string or a list) ends with any of the given type names."""
        wanted = {t.lower() for t in types}
        found = []
        for obj in self.json_ld:
            obj_types = obj.get("@type")
            names = obj_types if isinstance(obj_types, list) else [obj_types]
            for name in names:
                if isinstance(name, str) and name.rsplit("/", 1)[-1].lower() in wanted:
                    found.append(obj)
                    break
        return found


def _flatten_ld(value: Any, into: list[dict[str, Any]]) -> None:
    if isinstance(value, list):
        for item in value:
            _flatten_ld(item, into)
    elif isinstance(value, dict):
        graph = value.get("@graph")
        if graph is not None:
            _flatten_ld(graph, into)
            rest = {k: v for k, v in value.items() if k not in ("@graph", "@context")}
            if "@type" in rest:
                into.append(rest)
        else:
            into.append(value)


def _load_json_ld(text: str) -> Any:
    text = "\n".join(line for line in text.splitlines() if not _JSON_COMMENTS.match(line))
    text = _CONTROL_CHARS.sub(" ", text).strip().rstrip(";")
    if not text:
        return None
    try:
        return json.loads(text, strict=False)
    except ValueError:
        # Several objects concatenated, or trailing garbage: decode what parses.
        decoder = json.JSONDecoder(strict=False)
        objects, index = [], 0
        while index < len(text):
            while index < len(text) and text[index] in " \t\r\n,":
                index += 1
            if index >= len(text):
                break
            try:
                obj, index = decoder.raw_decode(text, index)
            except ValueError:
                break
            objects.append(obj)
        return objects or None


def _read_json_ld(tree: lxml.html.HtmlElement) -> list[dict[str, Any]]:
    objects: list[dict[str, Any]] = []
    for script in tree.xpath('//script[contains(translate(@type, "LDJSON", "ldjson"), "ld+json")]'):
        data = _load_json_ld(script.text or "")
        if data is not None:
            _flatten_ld(data, objects)
    return objects


def _read_meta(tree: lxml.html.HtmlElement) -> dict[str, list[str]]:
    meta: dict[str, list[str]] = {}
    for element in tree.iter("meta"):
        content = element.get("content")
        if content is None:
            continue
        for attribute in ("property", "name", "itemprop", "http-equiv"):
            key = element.get(attribute)
            if key:
                meta.setdefault(key.strip().lower(), []).append(content)
    return meta


def _read_links(tree: lxml.html.HtmlElement, document_url: str | None) -> dict[str, list[str]]:
    links: dict[str, list[str]] = {}
    for element in tree.iter("link"):
        href = element.get("href")
        if not href:
            continue
        rels = [rel for rel in (element.get("rel") or "").lower().split() if rel not in RESOURCE_RELS]
        if rels:
            absolute = urljoin(document_url or "", href.strip())
            for rel in rels:
                links.setdefault(rel, []).append(absolute)
    return links


def _index_ld(objects: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """Nodes by @id; a node with more than an @id wins over a bare reference to it."""
    index: dict[str, dict[str, Any]] = {}
    pending: list[Any] = list(objects)
    while pending:
        obj = pending.pop()
        if isinstance(obj, list):
            pending.extend(obj)
            continue
        if not isinstance(obj, dict):
            continue
        node_id = obj.get("@id")
        if isinstance(node_id, str) and (node_id not in index or len(obj) > len(index[node_id])):
            index[node_id] = obj
        pending.extend(value for value in obj.values() if isinstance(value, dict | list))
    return index


def parse_document(data: bytes | str, url: str | None = None, header_charset: str | None = None) -> Document:
    """Decode and parse a page. Raises ParseError when there is no HTML to read."""
    clean_text = True
    if isinstance(data, bytes):
        if not data.startswith((b"\xff\xfe", b"\xfe\xff")):
            # Control characters break lxml; deleting them from bytes is far cheaper than from text
            # (safe for UTF-8 and single-byte charsets: these bytes never occur inside a multi-byte character).
            data = data.translate(None, _CONTROL_BYTES)
            clean_text = False
        text, encoding = decode_html(data, header_charset)
    else:
        text, encoding = data, "utf-8"
    text = _XML_DECLARATION.sub("", text, count=1)
    if clean_text:
        text = _CONTROL_CHARS.sub("", text)
    if not text.strip():
        raise ParseError("empty document")
    try:
        tree = lxml.html.document_fromstring(text, parser=_PARSER)
    except (etree.ParserError, ValueError) as error:
        raise ParseError(f"unparseable HTML: {error}") from error
    # Comments and processing instructions never carry content; drop them once for every field function.
    for node in tree.xpath("//comment() | //processing-instruction()"):
        parent = node.getparent()
        if parent is not None:
            node.drop_tree() if hasattr(node, "drop_tree") else parent.remove(node)
    json_ld = _read_json_ld(tree)
    return Document(
        url=url,
        tree=tree,
        meta=_read_meta(tree),
        links=_read_links(tree, url),
        json_ld=json_ld,
        encoding=encoding,
        ld_index=_index_ld(json_ld),
    )
