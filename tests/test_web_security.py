"""Security of the workbench: headers on every answer, the token, the Host check, and `newsarchive serve`
as a real process (loopback by default, no start off loopback without a token, one-line errors)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import urllib.error
import urllib.request

import pytest
from fastapi.testclient import TestClient

from scraper.web.app import create_app
from scraper.web.security import CONTENT_SECURITY_POLICY, LOOPBACK_HOSTS
from storage.db import open_archive
from tests.cli import run_newsarchive
from tests.conftest import REPO_ROOT
from tests.test_web_archive import build_archive

TOKEN = "s3cret-token"


@pytest.fixture(scope="module")
def archive(tmp_path_factory):
    url = f"sqlite:///{tmp_path_factory.mktemp('web') / 'archive.db'}"
    ids = build_archive(url)
    with open_archive(url) as opened:
        yield opened, ids, url


def test_every_answer_carries_the_policy_headers(archive):
    with TestClient(create_app(archive[0])) as client:
        for path in ("/", "/chart", f"/articles/{archive[1]['storm']}", "/static/style.css", "/api/search",
                     "/api/openapi.json", "/nowhere", "/api/articles/0", "/api/export?format=csv"):
            response = client.get(path)
            assert response.status_code < 500, path
            policy = response.headers["content-security-policy"]
            assert policy == CONTENT_SECURITY_POLICY, path
            assert "script-src 'self'" in policy and "'unsafe-inline'" not in policy
            assert "frame-ancestors 'none'" in policy and "object-src 'none'" in policy
            assert response.headers["x-content-type-options"] == "nosniff", path
            assert response.headers["referrer-policy"] == "no-referrer", path


def test_with_a_token_every_request_must_carry_it(archive):
    with TestClient(create_app(archive[0], token=TOKEN), follow_redirects=False) as client:
        page = client.get("/")
        assert page.status_code == 401 and "token" in page.text
        api = client.get("/api/search")
        assert api.status_code == 401 and "error" in api.json()
        assert client.get("/api/search", headers={"Authorization": "Bearer wrong"}).status_code == 401
        assert client.get("/api/search", headers={"Authorization": f"Bearer {TOKEN}"}).status_code == 200
        assert client.get("/static/style.css").status_code == 401
        assert client.get("/?q=bridge&token=wrong").status_code == 401

        link = client.get(f"/?q=bridge&token={TOKEN}")
        assert link.status_code == 303
        assert link.headers["location"] == "/?q=bridge"
        cookie = link.headers["set-cookie"]
        assert cookie.startswith(f"token={TOKEN};") and "HttpOnly" in cookie and "SameSite=strict" in cookie
        client.cookies.set("token", TOKEN)
        assert client.get("/?q=bridge").status_code == 200


def test_bound_to_loopback_only_loopback_host_names_are_served(archive):
    with TestClient(create_app(archive[0], allowed_hosts=LOOPBACK_HOSTS)) as client:
        assert client.get("/", headers={"host": "127.0.0.1:8080"}).status_code == 200
        assert client.get("/", headers={"host": "localhost"}).status_code == 200
        assert client.get("/", headers={"host": "[::1]:8080"}).status_code == 200
        assert client.get("/", headers={"host": "attacker.example"}).status_code == 400


def test_serve_refuses_another_address_without_a_token(archive):
    result = run_newsarchive("serve", "--db", archive[2], "--host", "0.0.0.0", "--port", "0")
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and "without a token" in result.stderr


def test_serve_without_an_archive_is_a_one_line_error_exit_3(tmp_path):
    result = run_newsarchive("serve", "--db", str(tmp_path / "missing.db"))
    assert result.returncode == 3
    assert result.stderr.count("\n") == 1 and "no archive at" in result.stderr
    bad = run_newsarchive("serve", "--db", "mysql://nobody@localhost/x")
    assert bad.returncode == 3 and "Traceback" not in bad.stderr


def test_serve_on_a_taken_port_is_a_one_line_error_exit_3(archive):
    import socket

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen(1)
        port = taken.getsockname()[1]
        result = run_newsarchive("serve", "--db", archive[2], "--port", str(port))
    assert result.returncode == 3
    assert result.stderr == f"newsarchive: error: cannot listen on 127.0.0.1:{port}: Address already in use\n"


def start_server(*args: str, env_extra: dict[str, str] | None = None) -> tuple[subprocess.Popen, str]:
    env = {**os.environ, "PYTHONPATH": str(REPO_ROOT), **(env_extra or {})}
    process = subprocess.Popen(
        [sys.executable, "-m", "scraper.cli", "serve", "--port", "0", *args],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env, cwd=str(REPO_ROOT),
    )
    line = process.stdout.readline()
    found = re.search(r"at (http://[^ ]+/)", line)
    if not found:
        process.kill()
        raise AssertionError(f"no address in {line!r}: {process.stderr.read()}")
    return process, found.group(1)


def stop(process: subprocess.Popen) -> int:
    process.terminate()
    try:
        return process.wait(timeout=20)
    finally:
        process.stdout.close()
        process.stderr.close()


def test_serve_answers_on_loopback_and_stops_cleanly(archive):
    process, base = start_server("--db", archive[2])
    try:
        assert base.startswith("http://127.0.0.1:")
        with urllib.request.urlopen(base + "?q=storm", timeout=10) as response:
            html = response.read().decode()
            assert response.headers["content-security-policy"] == CONTENT_SECURITY_POLICY
        assert "Storm closes harbour" in html
    finally:
        assert stop(process) == 0


def test_serve_with_a_token_from_the_environment_refuses_requests_without_it(archive):
    process, base = start_server("--db", archive[2], env_extra={"NEWSARCHIVE_TOKEN": TOKEN})
    try:
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(base + "api/search", timeout=10)
        assert refused.value.code == 401
        refused.value.close()
        request = urllib.request.Request(base + "api/search", headers={"Authorization": f"Bearer {TOKEN}"})
        with urllib.request.urlopen(request, timeout=10) as response:
            assert response.status == 200
    finally:
        stop(process)
