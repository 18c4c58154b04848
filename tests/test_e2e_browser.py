"""End to end in a real browser: crawl the bundled demo site, revise one article, store one hostile
article, start `newsarchive serve`, and use the workbench in Debian's headless Chromium through Selenium:
search, filter by site, open an article, read a revision diff, download the CSV, draw the chart.
Nothing stored may run as script (window.__pwned stays undefined) and the Content-Security-Policy never
has to block anything on our own pages. Screenshots go to tests/artifacts/ (not committed).
"""

from __future__ import annotations

import csv
import os
import re
import shutil
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest

from scraper.demo_site.server import DemoSite
from storage.articles import save_article
from storage.db import open_archive
from tests.cli import run_newsarchive
from tests.conftest import REPO_ROOT, skip_or_fail

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
HOSTILE_TITLE = '<script>window.__pwned=1</script> Harbour <img src=x onerror="window.__pwned=1"> alert'
HOSTILE_BODY = (
    'Before <script>window.__pwned=1</script> and <img src=x onerror="window.__pwned=1"> after.\n'
    "A second paragraph about the harbour."
)
CHROMIUM_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--window-size=1280,1000",
)


def browser_or_skip():
    """Selenium's Chrome driver over Debian's chromium; skip (or fail under CI) when either is missing."""
    missing = [str(path) for path in (CHROMIUM, CHROMEDRIVER) if not path.exists()]
    if missing:
        skip_or_fail(
            f"needs Debian's chromium and chromium-driver ({', '.join(missing)} missing): "
            "apt-get install -y chromium chromium-driver"
        )
    try:
        from selenium import webdriver  # noqa: F401
    except ImportError:
        skip_or_fail("needs the selenium package (extra 'test')")


def start_browser(profile: Path, downloads: Path):
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for flag in (*CHROMIUM_FLAGS, f"--user-data-dir={profile}"):
        options.add_argument(flag)
    options.add_experimental_option(
        "prefs", {"download.default_directory": str(downloads), "download.prompt_for_download": False}
    )
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    return webdriver.Chrome(options=options, service=Service(executable_path=str(CHROMEDRIVER)))


def crawl(site: DemoSite, db_url: str) -> None:
    result = run_newsarchive("crawl", site.base_url, "--db", db_url, "--local", "--name", "demo", "--no-resume")
    assert result.returncode == 0, result.stderr[-3000:]


def build_demo_archive(db_url: str) -> str:
    """Crawl the demo site twice around one edit; add the hostile article. Returns the edited article's URL."""
    with DemoSite() as site:
        crawl(site, db_url)
        edited = site.articles[next(iter(site.articles))]
        site.edit_article(edited.slug, [*edited.paragraphs[:-1], "A correction was added to this report."])
        crawl(site, db_url)
        edited_url = site.url_for(edited.slug)
    record = {
        "url": "https://hostile.example/2025/03/harbour-alert",
        "title": HOSTILE_TITLE,
        "body": HOSTILE_BODY,
        "authors": ['<img src=x onerror="window.__pwned=1">Eve'],
        "published": datetime(2025, 3, 5, tzinfo=UTC),
        "related_links": [{"url": "javascript:window.__pwned=1", "text": "<script>window.__pwned=1</script>"}],
    }
    with open_archive(db_url) as archive, archive.sessions.begin() as session:
        save_article(session, record, site="demo", fetched_at=datetime.now(UTC), extractor_version="test")
    return edited_url


def start_serve(db_url: str) -> tuple[subprocess.Popen, str]:
    env = {**os.environ, "PYTHONPATH": str(REPO_ROOT)}
    env.pop("NEWSARCHIVE_TOKEN", None)
    process = subprocess.Popen(
        [sys.executable, "-m", "scraper.cli", "serve", "--db", db_url, "--host", "127.0.0.1", "--port", "0"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env, cwd=str(REPO_ROOT),
    )
    line = process.stdout.readline()
    found = re.search(r"at (http://127\.0\.0\.1:\d+/)", line)
    if not found:
        process.kill()
        pytest.fail(f"serve did not start: {line!r} {process.stderr.read()[-2000:]}")
    return process, found.group(1)


def wait_for_file(folder: Path, suffix: str, timeout: float = 20) -> Path:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        done = [path for path in folder.glob(f"*{suffix}") if path.stat().st_size > 0]
        if done and not list(folder.glob("*.crdownload")):
            return done[0]
        time.sleep(0.2)
    raise AssertionError(f"no {suffix} file downloaded into {folder}: {list(folder.iterdir())}")


def test_the_workbench_in_a_real_browser(tmp_path):
    browser_or_skip()
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.wait import WebDriverWait

    db_url = f"sqlite:///{tmp_path / 'demo.db'}"
    edited_url = build_demo_archive(db_url)
    with open_archive(db_url) as archive, archive.sessions() as session:
        from storage.reads import get_article

        edited = get_article(session, edited_url)
        assert edited is not None and len(edited.revisions) == 2
    ARTIFACTS.mkdir(exist_ok=True)
    downloads = tmp_path / "downloads"
    downloads.mkdir()
    server, base = start_serve(db_url)
    driver = start_browser(tmp_path / "profile", downloads)
    seen_pages: list[str] = []

    def visit_check() -> None:
        seen_pages.append(driver.current_url)
        assert driver.execute_script("return typeof window.__pwned") == "undefined", driver.current_url

    try:
        # search: type a query, submit the form
        driver.get(base)
        visit_check()
        box = driver.find_element(By.NAME, "q")
        box.send_keys("harbour")
        box.submit()
        # submit() returns before the results page has loaded: wait for it
        WebDriverWait(driver, 20).until(lambda d: "q=harbour" in d.current_url)
        WebDriverWait(driver, 20).until(lambda d: d.find_elements(By.CSS_SELECTOR, ".total"))
        total = driver.find_element(By.CSS_SELECTOR, ".total").text
        assert re.match(r"[\d,]+ articles?", total), total
        assert driver.find_elements(By.CSS_SELECTOR, ".hit mark"), "no highlighted word in the snippets"
        visit_check()

        # filter by site through the facet
        driver.find_element(By.CSS_SELECTOR, ".facets a[href*='site=demo']").click()
        WebDriverWait(driver, 20).until(lambda d: "site=demo" in d.current_url)
        assert driver.find_elements(By.CSS_SELECTOR, ".hit")
        visit_check()
        driver.save_screenshot(str(ARTIFACTS / "search.png"))

        # the hostile article: its title and body stay text
        driver.get(base + "?q=alert")
        visit_check()
        hostile_link = driver.find_element(By.CSS_SELECTOR, ".hit h3 a")
        assert "<script>" in hostile_link.text
        hostile_link.click()
        visit_check()
        assert "<script>window.__pwned=1</script>" in driver.find_element(By.TAG_NAME, "h1").text
        assert not driver.find_elements(By.CSS_SELECTOR, "main img, main script")
        assert not driver.find_elements(By.CSS_SELECTOR, "a[href^='javascript']")

        # open an article from the results, then the revised one with its diff
        driver.get(base)
        driver.find_element(By.CSS_SELECTOR, ".hit h3 a").click()
        assert driver.find_element(By.TAG_NAME, "h1").text
        visit_check()
        driver.get(f"{base}articles/{edited.id}")
        visit_check()
        inserted = [element.text for element in driver.find_elements(By.CSS_SELECTOR, ".diff ins")]
        assert any("correction" in text for text in inserted), inserted
        assert driver.find_elements(By.CSS_SELECTOR, ".diff del")
        driver.find_element(By.CSS_SELECTOR, "details#source summary").click()
        assert "<html" in driver.find_element(By.CSS_SELECTOR, "pre.source").text.lower()
        driver.find_element(By.CSS_SELECTOR, ".revisions").screenshot(str(ARTIFACTS / "revisions.png"))

        # download the CSV of a search and check the file
        driver.get(base + "?q=harbour")
        shown_total = int(re.match(r"([\d,]+)", driver.find_element(By.CSS_SELECTOR, ".total").text)[1].replace(",", ""))
        driver.find_element(By.LINK_TEXT, "Download CSV").click()
        downloaded = wait_for_file(downloads, ".csv")
        with downloaded.open(newline="", encoding="utf-8") as handle:
            rows = list(csv.DictReader(handle))
        assert len(rows) == shown_total
        assert any(row["title"] == HOSTILE_TITLE for row in rows)

        # the chart, with a second query to compare
        driver.find_element(By.LINK_TEXT, "Chart over time").click()
        visit_check()
        second = driver.find_element(By.NAME, "q2")
        second.send_keys("city")
        second.submit()
        # submit() returns before the next page has loaded: wait for the compared chart itself
        WebDriverWait(driver, 20).until(lambda d: "q2=city" in d.current_url)
        WebDriverWait(driver, 20).until(lambda d: d.find_elements(By.CSS_SELECTOR, "svg.chart-svg polyline"))
        visit_check()
        assert len(driver.find_elements(By.CSS_SELECTOR, "svg.chart-svg polyline")) == 2
        driver.find_element(By.CSS_SELECTOR, "svg.chart-svg").screenshot(str(ARTIFACTS / "chart-svg.png"))
        driver.save_screenshot(str(ARTIFACTS / "chart.png"))

        problems = [
            entry for entry in driver.get_log("browser")
            if entry["level"] == "SEVERE" or "Content Security Policy" in entry["message"]
        ]
        assert problems == [], problems
    finally:
        driver.quit()
        server.terminate()
        server.wait(timeout=20)
        server.stdout.close()
        server.stderr.close()
        shutil.rmtree(tmp_path / "profile", ignore_errors=True)
