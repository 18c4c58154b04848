from datetime import UTC, datetime

from scraper.http_dates import not_modified, parse_http_date

LAST = datetime(2025, 3, 6, 9, 0, 0, tzinfo=UTC)


def test_if_none_match_compares_weakly_and_wins_over_if_modified_since():
    assert not_modified({"If-None-Match": 'W/"abc"'}, '"abc"', LAST)
    assert not_modified({"If-None-Match": '"x", "abc"'}, 'W/"abc"', LAST)
    assert not not_modified(
        {"If-None-Match": '"other"', "If-Modified-Since": "Thu, 06 Mar 2025 10:00:00 GMT"}, '"abc"', LAST
    )
    assert not_modified({"If-None-Match": "*"}, None, None)


def test_if_modified_since():
    assert not_modified(
        {"If-Modified-Since": "Thu, 06 Mar 2025 09:00:00 GMT"}, None, LAST.replace(microsecond=5)
    )
    assert not not_modified({"If-Modified-Since": "Thu, 06 Mar 2025 08:59:59 GMT"}, None, LAST)
    assert not not_modified({"If-Modified-Since": "garbage"}, None, LAST)
    assert not not_modified({}, '"abc"', LAST)


def test_parse_http_date():
    assert parse_http_date("Thu, 06 Mar 2025 09:00:00 GMT") == LAST
    assert parse_http_date("not a date") is None and parse_http_date(None) is None
