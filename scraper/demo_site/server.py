"""DemoSite: The Daily Dispatch served over HTTP on loopback, for end-to-end crawls in tests and demos."""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import TYPE_CHECKING, Self
from urllib.parse import parse_qsl, urlsplit

from scraper.demo_site.site import Site

if TYPE_CHECKING:
    from types import TracebackType

    from scraper.demo_site.content import Article

RequestLogEntry = tuple[str, str, int]
#: How often the serving thread checks for stop(); short, so tests do not wait on teardown.
SHUTDOWN_POLL_SECONDS = 0.05


class _Handler(BaseHTTPRequestHandler):
    """Answers GET and HEAD from the owning DemoSite; keep-alive HTTP/1.1 like a real server."""

    protocol_version = "HTTP/1.1"
    server_version = "DispatchDemo/1.0"
    timeout = 10
    demo: DemoSite  # set on the per-server subclass

    def do_GET(self) -> None:  # noqa: N802 - http.server's naming
        self._answer(send_body=True)

    def do_HEAD(self) -> None:  # noqa: N802
        self._answer(send_body=False)

    def _answer(self, *, send_body: bool) -> None:
        parts = urlsplit(self.path)
        query = dict(parse_qsl(parts.query))
        response = self.demo.site.respond(parts.path or "/", query, self.headers, self.demo.base_url)
        self.demo._log(self.command, self.path, response.status)
        self.send_response(response.status)
        self.send_header("Content-Type", response.content_type)
        self.send_header("Content-Length", str(len(response.body)))
        for name, value in response.headers.items():
            self.send_header(name, value)
        self.end_headers()
        if send_body and response.body:
            self.wfile.write(response.body)

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - the base class's name
        """Silence http.server's per-request line on stderr; the DemoSite keeps its own log."""


class DemoSite:
    """The demo news site on a free loopback port: `with DemoSite() as site: crawl(site.base_url)`."""

    def __init__(self, host: str = "127.0.0.1", port: int = 0) -> None:
        self.host = host
        self.port = port
        self.site = Site()
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None
        self._base_url: str | None = None
        self._requests: list[RequestLogEntry] = []
        self._log_lock = threading.Lock()

    def start(self) -> str:
        """Bind, serve from a daemon thread, and return the base URL (with a trailing slash)."""
        if self._server is not None:
            return self.base_url
        handler = type("DemoSiteHandler", (_Handler,), {"demo": self})
        self._server = ThreadingHTTPServer((self.host, self.port), handler)
        self._server.daemon_threads = True
        host, port = self._server.server_address[:2]
        self.port = port
        self._base_url = f"http://{host}:{port}/"
        self._thread = threading.Thread(
            target=self._server.serve_forever,
            kwargs={"poll_interval": SHUTDOWN_POLL_SECONDS},
            name="demo-site",
            daemon=True,
        )
        self._thread.start()
        return self._base_url

    def stop(self) -> None:
        if self._server is None:
            return
        self._server.shutdown()
        self._server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)
        self._server = None
        self._thread = None

    def __enter__(self) -> Self:
        self.start()
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()

    @property
    def base_url(self) -> str:
        if self._base_url is None:
            raise RuntimeError("DemoSite is not started")
        return self._base_url

    @property
    def articles(self) -> dict[str, Article]:
        """Every article as currently served (after edits), by slug, newest first."""
        return dict(self.site.catalog.articles)

    def url_for(self, slug: str) -> str:
        return self.base_url.rstrip("/") + self.site.catalog.articles[slug].path

    def article_urls(self) -> list[str]:
        return [self.url_for(slug) for slug in self.site.catalog.articles]

    def article_at(self, url: str) -> Article | None:
        """The article served at an absolute URL of this site, or None."""
        path = "/" + url.removeprefix(self.base_url)
        return next((a for a in self.site.catalog.articles.values() if a.path == path), None)

    def edit_article(self, slug: str, paragraphs: list[str]) -> Article:
        """Change the served text and modified date of one article, so that a re-crawl sees a new revision."""
        return self.site.edit(slug, paragraphs)

    @property
    def requests(self) -> list[RequestLogEntry]:
        """(method, path with query, status) of every request answered so far, in order."""
        with self._log_lock:
            return list(self._requests)

    def clear_requests(self) -> None:
        with self._log_lock:
            self._requests.clear()

    def _log(self, method: str, path: str, status: int) -> None:
        with self._log_lock:
            self._requests.append((method, path, status))
