"""A loopback HTTP server answering from a route table, for crawl tests of bad and slow input."""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Route:
    status: int = 200
    body: bytes = b""
    content_type: str | None = "text/html; charset=utf-8"
    headers: dict[str, str] = field(default_factory=dict)
    #: answer with these statuses first, then with `status` (e.g. [500] for a 500-then-200)
    first: list[int] = field(default_factory=list)
    #: seconds to wait before answering (e.g. a robots.txt that keeps requests waiting for it)
    delay: float = 0.0


class RoutesServer:
    def __init__(self, routes: dict[str, Route], delay: float = 0.0) -> None:
        self.routes = routes
        self.delay = delay
        self.requests: list[tuple[str, int]] = []
        self._lock = threading.Lock()
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 (http.server's name)
                if server.delay:
                    time.sleep(server.delay)
                route = server.routes.get(self.path.split("?")[0])
                if route is None:
                    status, body, content_type, headers = 404, b"<html><body>Not found</body></html>", "text/html", {}
                else:
                    with server._lock:
                        status = route.first.pop(0) if route.first else route.status
                    body, content_type, headers = route.body, route.content_type, route.headers
                    time.sleep(route.delay)
                with server._lock:
                    server.requests.append((self.path, status))
                self.send_response(status)
                if content_type:
                    self.send_header("Content-Type", content_type)
                for name, value in headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: object) -> None:
                return

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}/"

    def __enter__(self) -> RoutesServer:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


def article_html(title: str, paragraphs: list[str], *, author: str = "Ada Reporter",
                 published: str = "2025-03-06T09:42:17+00:00", charset: str = "utf-8", links: str = "") -> str:
    """A small but complete article page with JSON-LD, a byline and a body."""
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    return (
        f'<!doctype html><html lang="en"><head><meta charset="{charset}"><title>{title} | Test Times</title>'
        f'<meta property="og:type" content="article"><script type="application/ld+json">'
        f'{{"@context":"https://schema.org","@type":"NewsArticle","headline":"{title}",'
        f'"datePublished":"{published}","author":{{"@type":"Person","name":"{author}"}}}}</script></head>'
        f'<body><header><nav><a href="/">Home</a></nav></header><main><article><h1>{title}</h1>'
        f'<p class="byline">By {author}</p>{body}</article>{links}</main><footer>Test Times</footer></body></html>'
    )


def filler(seed: str, sentences: int = 6) -> str:
    """Unique article-like text: enough words to read as an article paragraph."""
    return " ".join(
        f"The {seed} council reviewed item {i} of the {seed} plan and heard residents describe its effect on "
        f"schools, transport and local shops in some detail." for i in range(sentences)
    )


def many_articles_site(count: int) -> dict[str, Route]:
    """A front page linking to `count` article pages."""
    slugs = [f"/news/story-number-{i}-about-the-town/" for i in range(count)]
    home = "".join(f'<a href="{slug}">story {i}</a>' for i, slug in enumerate(slugs))
    routes = {"/": Route(body=f"<html><body>{home}</body></html>".encode())}
    for i, slug in enumerate(slugs):
        routes[slug] = Route(body=article_html(f"Story {i}", [filler(f"town{i}")]).encode())
    return routes
