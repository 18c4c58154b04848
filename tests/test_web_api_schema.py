"""Schemathesis over /api/openapi.json, on SQLite and PostgreSQL: whatever parameters it makes up, valid
or not (NUL bytes, huge numbers, odd dates, query syntax), the API answers without a server error, and
every 4xx is `{"error": message}`."""

from __future__ import annotations

import pytest

schemathesis = pytest.importorskip("schemathesis", reason="schemathesis is not installed (extra 'test')")
from hypothesis import HealthCheck, given, settings  # noqa: E402
from schemathesis import GenerationMode  # noqa: E402
from schemathesis.specs.openapi.checks import positive_data_acceptance  # noqa: E402

from scraper.web.app import create_app  # noqa: E402
from storage.db import open_archive  # noqa: E402
from tests.test_web_archive import build_archive  # noqa: E402

EXAMPLES = 40


@pytest.fixture(scope="module")
def web_schema(module_db_url):
    build_archive(module_db_url)
    with open_archive(module_db_url) as archive:
        yield schemathesis.openapi.from_asgi("/api/openapi.json", create_app(archive))


def check(case) -> None:
    response = case.call()
    where = f"{case.method} {case.formatted_path} {case.query}"
    assert response.status_code < 500, f"{where} -> {response.status_code}\n{response.text[:500]}"
    if response.status_code >= 400:
        assert set(response.json()) == {"error"}, f"{where}: {response.text[:500]}"
    # every other check holds (status codes, content types, answers against their models, invalid
    # data rejected); a schema-valid string can still be a malformed query or date, which is a 400
    case.validate_response(response, excluded_checks=[positive_data_acceptance])


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE])
def test_no_parameter_makes_the_api_fail(web_schema, mode):
    operations = [result.ok() for result in web_schema.get_all_operations()]
    assert {operation.path for operation in operations} == {
        "/api/search", "/api/articles/{article_id}", "/api/counts", "/api/export"
    }
    for operation in operations:

        @given(case=operation.as_strategy(generation_mode=mode))
        @settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck), database=None)
        def run(case) -> None:
            check(case)

        run()
