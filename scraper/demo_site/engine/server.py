"""SiteServer: one fake site served over HTTP on loopback, with a request log, for crawl tests and demos.

    with SiteServer(site, router) as server:      # or: base = server.start(); ...; server.stop()
        base = server.base_url                    # "http://127.0.0.1:<port>", no trailing slash
        ...crawl...
        server.count(status=304); server.paths_requested(); server.requests; server.clear_log()

The site object holds the content and a `lock`; the router (`routing.Router`) turns a request target into a
`Response`, rendered per request while holding `site.lock`, so a test may change the site while it is served.
Conditional GET: a 200 with a Last-Modified or an ETag carries both validators (the ETag hashed from the body
unless the page set its own); `If-None-Match` (weak comparison, `*` matches) wins over `If-Modified-Since`,
and a match answers 304 with the validators and no body. Hazards, per server instance (so a fresh server
replays them): `fail_once` paths answer 500 to their first request (query ignored), `rate_limit_once` paths
429 with `Retry-After: 1`. HTTP/1.1 keep-alive, HEAD supported, nothing written to stderr.
"""

from __future__ import annotations

import hashlib
import threading
import time
from dataclasses import dataclass, replace
from datetime import UTC
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import TYPE_CHECKING, Any, Generic, Protocol, Self, TypeVar
from urllib.parse import urlsplit

from scraper.demo_site.engine.routing import Response
from scraper.http_dates import not_modified

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping
    from contextlib import AbstractContextManager
    from datetime import datetime
    from email.message import Message

    from scraper.demo_site.engine.routing import Router


class ServedSite(Protocol):
    """What the server needs of a site: a lock held while a page renders (the router does the rest)."""

    @property
    def lock(self) -> AbstractContextManager[Any]: ...


S = TypeVar("S", bound=ServedSite)

FLAKY_BODY = b"<!DOCTYPE html>\n<html><body><h1>Internal server error</h1></body></html>\n"
RATE_LIMIT_BODY = b"<!DOCTYPE html>\n<html><body><h1>Too many requests</h1></body></html>\n"
#: How often the serving thread checks for stop(); short, so tests do not wait on teardown.
SHUTDOWN_POLL_SECONDS = 0.05


@dataclass(frozen=True, slots=True)
class RequestRecord:
    method: str
    #: path with query, as sent
    path: str
    status: int
    headers: dict[str, str]
    #: time.time() when the request arrived, before the answer is built (building a page can take a while
    #: on a busy machine; the client's pacing is what the time measures)
    time: float


def strong_etag(body: bytes) -> str:
    return f'"{hashlib.sha1(body).hexdigest()[:20]}"'


def http_date(moment: datetime) -> str:
    return format_datetime(moment.astimezone(UTC), usegmt=True)


def _entity_headers(response: Response) -> list[tuple[str, str]]:
    return [("Content-Type", response.content_type), ("Content-Length", str(len(response.body)))]


class _HTTPServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 128
    owner: SiteServer[Any]

    def handle_error(self, request: Any, client_address: Any) -> None:
        """Stay quiet: clients hanging up mid-response are normal during crawls."""


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    #: seconds an idle keep-alive connection is kept, so stop() leaves no thread waiting for long
    timeout = 5
    server: _HTTPServer

    def do_GET(self) -> None:  # noqa: N802 - http.server's naming
        self._serve(send_body=True)

    def do_HEAD(self) -> None:  # noqa: N802
        self._serve(send_body=False)

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - signature of the base class
        """No stderr logging; `SiteServer.requests` is the log."""

    def _serve(self, *, send_body: bool) -> None:
        owner = self.server.owner
        arrived = time.time()
        response, headers = owner.respond(self.path, self.headers)
        # logged before answering, so a client that has its answer always finds it in the log
        owner.record(RequestRecord(self.command, self.path, response.status, dict(self.headers), arrived))
        self.send_response(response.status)
        for name, value in headers:
            self.send_header(name, value)
        self.end_headers()
        if send_body and response.body:
            self.wfile.write(response.body)


class SiteServer(Generic[S]):
    """A threaded HTTP server for one site and its router; see the module docstring."""

    def __init__(
        self,
        site: S,
        router: Router[S],
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        fail_once: Iterable[str] = (),
        rate_limit_once: Iterable[str] = (),
    ) -> None:
        self.site = site
        self.router = router
        self.host = host
        self.port = port
        self.fail_once = frozenset(fail_once)
        self.rate_limit_once = frozenset(rate_limit_once)
        self._tripped: set[tuple[str, str]] = set()
        self._log: list[RequestRecord] = []
        self._lock = threading.Lock()
        self._httpd: _HTTPServer | None = None
        self._thread: threading.Thread | None = None
        self._origin: str | None = None

    # ----- lifecycle -----

    def start(self) -> str:
        """Bind, serve in a daemon thread, return the base URL."""
        if self._httpd is None:
            httpd = _HTTPServer((self.host, self.port), _Handler)
            httpd.owner = self
            self._httpd = httpd
            host, self.port = httpd.server_address[:2]
            self._origin = f"http://{host}:{self.port}"
            self._thread = threading.Thread(
                target=httpd.serve_forever, kwargs={"poll_interval": SHUTDOWN_POLL_SECONDS}, daemon=True
            )
            self._thread.start()
        return self.base_url

    def stop(self) -> None:
        if self._httpd is None:
            return
        self._httpd.shutdown()
        self._httpd.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)
        self._httpd = None
        self._thread = None

    def __enter__(self) -> Self:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def origin(self) -> str:
        """The scheme, host and port, without a trailing slash: http://127.0.0.1:8123 (kept after stop)."""
        if self._origin is None:
            raise RuntimeError("server not started")
        return self._origin

    @property
    def base_url(self) -> str:
        return self.origin

    # ----- answering -----

    def _trip(self, kind: str, path: str, paths: frozenset[str]) -> bool:
        """True the first time this (kind, path) is seen, for paths in `paths`."""
        if path not in paths:
            return False
        with self._lock:
            if (kind, path) in self._tripped:
                return False
            self._tripped.add((kind, path))
            return True

    def respond(
        self, target: str, headers: Mapping[str, str] | Message
    ) -> tuple[Response, list[tuple[str, str]]]:
        """The response and its headers for one GET/HEAD target (the hazards, routing, conditional GET)."""
        path = urlsplit(target).path
        if self._trip("429", path, self.rate_limit_once):
            response = Response(429, RATE_LIMIT_BODY)
            return response, [*_entity_headers(response), ("Retry-After", "1")]
        if self._trip("500", path, self.fail_once):
            response = Response(500, FLAKY_BODY)
            return response, _entity_headers(response)
        try:
            with self.site.lock:
                response = self.router.resolve(self.site, target, self.origin)
        except Exception as error:  # a bug in a template must show as a 500, not a hung crawl
            response = Response(500, f"<h1>site error: {error!r}</h1>".encode())
        if response.status != 200 or (response.etag is None and response.last_modified is None):
            extra = [("Location", response.location)] if response.location else []
            return response, [*_entity_headers(response), *extra]
        etag = response.etag or strong_etag(response.body)
        validators = [("ETag", etag)]
        if response.last_modified is not None:
            validators.append(("Last-Modified", http_date(response.last_modified)))
        if not_modified(headers, etag, response.last_modified):
            return replace(response, status=304, body=b""), validators
        return response, [*_entity_headers(response), *validators]

    # ----- the request log -----

    def record(self, entry: RequestRecord) -> None:
        with self._lock:
            self._log.append(entry)

    def records(self) -> list[RequestRecord]:
        """A snapshot of every request answered so far, in order."""
        with self._lock:
            return list(self._log)

    @property
    def requests(self) -> list[RequestRecord]:
        return self.records()

    def paths_requested(self) -> list[str]:
        """Paths with query of every request, in order (repeats kept)."""
        return [r.path for r in self.records()]

    def count(self, status: int | None = None, *, path: str | None = None, method: str | None = None) -> int:
        """Requests matching every given filter (path compares the full path with query)."""
        return sum(
            1
            for r in self.records()
            if (status is None or r.status == status)
            and (path is None or r.path == path)
            and (method is None or r.method == method)
        )

    def clear_log(self) -> None:
        with self._lock:
            self._log.clear()
