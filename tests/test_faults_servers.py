"""Hostile and overloaded servers (real crawls, loopback servers): bounded time and memory, a failure row
each, and a rate-limited site does not stall the others.

Hazards: a slow-loris server that trickles its answer, an endless redirect chain, a 50 MB page, a gzip
bomb (a small body that inflates to 256 MB), and a site answering 429 with Retry-After while another
site of the same crawl keeps its pace.
"""

from __future__ import annotations

import gzip
import resource
import socket
import subprocess
import sys
import threading
import time

from tests.conftest import REPO_ROOT
from tests.dbquery import query
from tests.faults_support import child_env
from tests.routes_server import Route, RoutesServer, article_html, filler, many_articles_site

GOOD = "/news/a-perfectly-ordinary-story-here/"


def hostile_site() -> dict[str, Route]:
    links = " ".join(f'<a href="{p}">x</a>' for p in ("/redirect/0", "/huge/", "/bomb/", GOOD))
    routes = {
        "/": Route(body=f"<html><body>{links}</body></html>".encode()),
        "/huge/": Route(body=b"<html><body>" + b"<p>" + b"a" * (50 * 1024 * 1024) + b"</p></body></html>"),
        "/bomb/": Route(body=gzip.compress(b"\0" * (256 * 1024 * 1024), 9),
                        headers={"Content-Encoding": "gzip"}),
        GOOD: Route(body=article_html("An ordinary story", [filler("ordinary")]).encode()),
    }
    for i in range(60):  # an endless chain, as far as a client is concerned
        routes[f"/redirect/{i}"] = Route(status=302, headers={"Location": f"/redirect/{i + 1}"})
    return routes


class SlowLoris:
    """Answers every page with headers, then one byte a second, never finishing the body."""

    def __init__(self) -> None:
        self.sock = socket.create_server(("127.0.0.1", 0))
        self.stop = threading.Event()
        self.base_url = f"http://127.0.0.1:{self.sock.getsockname()[1]}/"
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self) -> None:
        self.sock.settimeout(0.2)
        while not self.stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except TimeoutError:
                continue
            except OSError:  # closed
                return
            threading.Thread(target=self._trickle, args=(conn,), daemon=True).start()

    def _trickle(self, conn: socket.socket) -> None:
        with conn:
            try:
                if b"GET /robots.txt " in conn.recv(65536):  # robots.txt answers at once: no rules
                    conn.sendall(b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
                    return
                conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 100000\r\n\r\n")
                while not self.stop.is_set():
                    conn.sendall(b"<")
                    time.sleep(1)
            except OSError:
                return

    def close(self) -> None:
        self.stop.set()
        self.sock.close()


class TimedLog(list):
    """A request log that also notes when each request came (time.time()), in `times`."""

    def __init__(self) -> None:
        super().__init__()
        self.times: list[float] = []

    def append(self, entry: object) -> None:
        self.times.append(time.time())
        super().append(entry)


def measured_crawl(*args: str, timeout: float = 240) -> tuple[int, float, float, str]:
    """(exit code, wall seconds, peak RSS in MB of the crawl and its workers, output) of one crawl."""
    started = time.monotonic()
    proc = subprocess.Popen([sys.executable, "-m", "scraper.cli", "crawl", *args], cwd=str(REPO_ROOT),
                            env=child_env(), stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    out, _ = proc.communicate(timeout=timeout)
    seconds = time.monotonic() - started
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024  # largest child so far
    return proc.returncode, seconds, peak, out.decode(errors="replace")


def test_hostile_pages_cost_bounded_time_and_memory_and_leave_a_failure_row_each(sqlite_url):
    loris = SlowLoris()
    try:
        with RoutesServer(hostile_site()) as server:
            base = server.base_url
            code, seconds, peak, out = measured_crawl(
                base, loris.base_url, "--db", sqlite_url, "--local", "--no-resume",
                "--set", "DOWNLOAD_TIMEOUT=5", "--set", "RETRY_TIMES=0",
            )
    finally:
        loris.close()
    assert code == 0, out[-3000:]
    assert seconds < 120, f"the crawl took {seconds:.0f} s"
    assert peak < 700, f"a crawl process grew to {peak:.0f} MB"
    failures = {row.url: row.reason for row in query(sqlite_url, "SELECT url, reason FROM fetch_failures")}
    assert failures[loris.base_url] == "timed out"
    chain = [reason for url, reason in failures.items() if url.startswith(base + "redirect/")]
    assert chain == ["redirect loop or chain too long (max redirections reached)"]
    assert base + "huge/" in failures and base + "bomb/" in failures
    assert "DOWNLOAD_MAXSIZE" in failures[base + "bomb/"]
    stored = [row.url for row in query(sqlite_url, "SELECT url FROM articles")]
    assert stored == [base.rstrip("/") + GOOD]


def test_a_rate_limited_site_does_not_stall_another(tmp_path, sqlite_url):
    limited_paths = [f"/news/limited-story-number-{i}/" for i in range(8)]
    home = " ".join(f'<a href="{p}">x</a>' for p in limited_paths).encode()
    limited = {"/": Route(body=b"<html><body>" + home + b"</body></html>")}
    for i, path in enumerate(limited_paths):
        limited[path] = Route(body=article_html(f"Limited {i}", [filler(f"limited{i}")]).encode(),
                              first=[429], headers={"Retry-After": "3"})
    steady_paths = [f"/news/steady-story-number-{i}/" for i in range(40)]
    steady = {"/": Route(body=b"<html><body>" + " ".join(f'<a href="{p}">x</a>' for p in steady_paths).encode()
                         + b"</body></html>")}
    for i, path in enumerate(steady_paths):
        steady[path] = Route(body=article_html(f"Steady {i}", [filler(f"steady{i}")]).encode())
    with RoutesServer(limited) as slow, RoutesServer(steady, delay=0.05) as fast:
        fast.requests = TimedLog()
        sites = tmp_path / "sites.toml"
        sites.write_text(
            f'[[sites]]\nname = "limited"\nurl = "{slow.base_url}"\n\n'
            f'[[sites]]\nname = "steady"\nurl = "{fast.base_url}"\ndownload_delay = 0.1\n',
            encoding="utf-8",
        )
        code, _seconds, _peak, out = measured_crawl(
            "--sites", str(sites), "--db", sqlite_url, "--local", "--no-resume",
            "--set", "CONCURRENT_REQUESTS=4", "--set", "AUTOTHROTTLE_ENABLED=False",
        )
        steady_times = list(fast.requests.times)
        steady_log = list(fast.requests)
        limited_log = list(slow.requests)
    assert code == 0, out[-3000:]
    # Every limited page was asked twice: 429, then 200 no sooner than Retry-After allowed.
    for path in limited_paths:
        assert [status for p, status in limited_log if p == path] == [429, 200]
    # Meanwhile the steady site kept its pace: no gap near the 3 s the limited site asked for.
    gaps = [b - a for a, b in zip(steady_times, steady_times[1:], strict=False)]
    assert sorted(p for p, _status in steady_log if p.startswith("/news/")) == sorted(steady_paths)
    assert max(gaps) < 1.5, f"the steady site stalled {max(gaps):.1f} s"
    assert len(query(sqlite_url, "SELECT id FROM articles")) == 48


def test_a_site_whose_robots_txt_fails_is_not_crawled_blind(sqlite_url):
    routes = many_articles_site(5)
    routes["/robots.txt"] = Route(status=503, body=b"busy")
    routes["/news/private-story/"] = Route(body=article_html("Private", [filler("private")]).encode())
    with RoutesServer(routes) as server:
        code, _seconds, _peak, out = measured_crawl(server.base_url, "--db", sqlite_url, "--local", "--no-resume",
                                                    "--set", "RETRY_TIMES=1")
    assert code == 1, out[-3000:]
    assert {path for path, _status in server.requests} == {"/robots.txt"}, "a page was fetched without rules"
    reasons = {row.reason for row in query(sqlite_url, "SELECT reason FROM fetch_failures")}
    assert reasons == {"robots.txt could not be read (server error or no answer): not fetched"}
