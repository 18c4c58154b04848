"""The layout keeps its promises: which package may import which, and modules small enough to read.

storage imports neither Scrapy nor pipelines nor scraper; the extraction library imports neither Scrapy nor
storage. Each check imports every module of the package in a fresh interpreter and lists what came along.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import REPO_ROOT

#: Modules that are data (phrases, patterns, tag sets) rather than logic, exempt from the size limit.
DATA_MODULES = {"pipelines/extraction/boilerplate.py"}
#: Longest module, in lines, before it should be split by concern.
MAX_MODULE_LINES = 470


def _modules(package: str) -> list[str]:
    root = REPO_ROOT / package.replace(".", "/")
    return sorted(
        ".".join(path.relative_to(REPO_ROOT).with_suffix("").parts).removesuffix(".__init__")
        for path in root.rglob("*.py")
        if "migrations" not in path.parts and path.name != "__main__.py"
    )


def _imported_roots(modules: list[str]) -> set[str]:
    code = (
        "import importlib, sys\n"
        f"for name in {modules!r}: importlib.import_module(name)\n"
        "print(' '.join(sorted({m.split('.')[0] for m in sys.modules})))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=REPO_ROOT, capture_output=True, text=True, check=True, timeout=120
    )
    return set(done.stdout.split())


@pytest.mark.parametrize(
    ("package", "forbidden"),
    [
        ("storage", {"scrapy", "twisted", "pipelines", "scraper"}),
        ("pipelines.extraction", {"scrapy", "twisted", "storage", "scraper", "sqlalchemy"}),
    ],
)
def test_package_imports_stay_on_their_side(package: str, forbidden: set[str]) -> None:
    modules = _modules(package)
    assert len(modules) > 5, modules
    assert not _imported_roots(modules) & forbidden


def test_no_code_module_is_too_long_to_read() -> None:
    too_long = {
        str(path.relative_to(REPO_ROOT)): lines
        for package in ("scraper", "pipelines", "storage")
        for path in (REPO_ROOT / package).rglob("*.py")
        if "migrations" not in path.parts
        and str(path.relative_to(REPO_ROOT)) not in DATA_MODULES
        and (lines := len(Path(path).read_text(encoding="utf-8").splitlines())) > MAX_MODULE_LINES
    }
    assert not too_long, f"split these by concern: {too_long}"
