"""Reading one date string: ISO 8601 and its relatives (structured data), and dates as people print them
(bylines and datelines in several languages), with regexes only: fast, and never relative or time-only.

A string without a year, month and day ("2 hours ago", "14:05", "yesterday") gives None: a date the page does
not state is never made up from the clock.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone, tzinfo

ISO_LIKE = re.compile(
    r"(?P<y>(?:19|20)\d{2})[-/.](?P<m>\d{1,2})[-/.](?P<d>\d{1,2})"
    r"(?:[T\s,]+(?P<H>\d{1,2}):(?P<M>\d{2})(?::(?P<S>\d{2})(?:[.,]\d+)?)?)?"
    r"\s*(?P<tz>Z|UTC|GMT|[+-]\d{2}:?\d{2}|[+-]\d{2}(?!\d))?",
    re.IGNORECASE,
)
COMPACT = re.compile(
    r"(?<!\d)(?P<y>(?:19|20)\d{2})(?P<m>[01]\d)(?P<d>[0-3]\d)(?:T?(?P<H>[0-2]\d)(?P<M>[0-5]\d))?"
)
URL_DATE = re.compile(r"/(?P<y>(?:19|20)\d{2})[/-](?P<m>[01]?\d)[/-](?P<d>[0-3]?\d)(?:[/-]|$)")
_EPOCH = re.compile(r"^\d{10}(?:\d{3})?$")

#: Zone abbreviations printed next to times (unambiguous ones only).
ZONES: dict[str, int] = {
    "UTC": 0, "GMT": 0, "WET": 0, "BST": 60, "CET": 60, "MEZ": 60, "CEST": 120, "MESZ": 120, "EET": 120,
    "EEST": 180, "MSK": 180, "EST": -300, "EDT": -240, "CST": -360, "CDT": -300, "MST": -420,
    "MDT": -360, "PST": -480, "PDT": -420, "AKST": -540, "AKDT": -480, "HST": -600, "JST": 540,
    "KST": 540, "AEST": 600, "AEDT": 660,
}  # fmt: skip
_ZONE = "|".join(sorted(ZONES, key=len, reverse=True))

#: Month names and usual abbreviations (en, de, fr, es, it, pt, nl, pl, cs, ro, tr, da/no/sv, ru, uk), lower-case.
MONTHS: dict[str, int] = {}
for _number, _names in enumerate(
    (
        "january jan januar janvier enero ene gennaio gen janeiro januari jänner jän stycznia styczeń "
        "ledna leden ianuarie ocak января январь січня",
        "february feb februar février fevrier févr fevr febrero febbraio fevereiro fev februari lutego luty "
        "února únor februarie şubat subat февраля февраль лютого",
        "march mar märz maerz mars marzo março marco maart marca marzec března březen martie mart marts "
        "мар марта март березня",
        "april apr avril avr abril aprile abr kwietnia kwiecień dubna duben aprilie nisan апреля апрель "
        "квітня",
        "may mai mayo maggio mag maio mei maja maj května květen mayıs mayis мая май травня",
        "june jun juni juin junio giugno giu junho czerwca czerwiec června červen iunie haziran июня июнь "
        "червня",
        "july jul juli juillet juil julio luglio lug julho lipca lipiec července červenec iulie temmuz "
        "июля июль липня",
        "august aug août aout agosto ago augustus sierpnia sierpień srpna srpen augusti ağustos agustos "
        "августа август серпня",
        "september sep sept septembre septiembre setiembre settembre set setembro września wrzesień září "
        "septembrie eylül eylul сентября сентябрь вересня",
        "october oct oktober octobre octubre ottobre ott outubro out okt października październik října "
        "říjen octombrie ekim октября октябрь жовтня",
        "november nov novembre noviembre novembro listopada listopad listopadu noiembrie kasım kasim "
        "ноября ноябрь",
        "december dec dezember décembre decembre déc diciembre dic dicembre dezembro dez grudnia "
        "grudzień desember prosince prosinec decembrie aralık aralik декабря декабрь грудня",
    ),
    start=1,
):
    for _name in _names.split():
        MONTHS.setdefault(_name, _number)
_MONTH = "|".join(sorted(map(re.escape, MONTHS), key=len, reverse=True))
_TIME = (
    r"(?:\s*(?:,|T|\||·|-|–|/|um|à|at|a las|alle|às|om|kl\.?|o)?\s*"
    r"(?P<H>[0-2]?\d)\s?(?:[:h.]\s?(?P<M>[0-5]\d))(?::(?P<S>[0-5]\d))?"
    r"(?:\s*(?P<ampm>[ap]\.?\s?m\.?))?(?:\s*(?:uhr|h|hrs))?"
    # A zone name, or a numeric offset written right after the time ("10:00 - 11:30" is a range, not -11:30).
    r"(?:\s*\(?(?P<tz>(?:" + _ZONE + r")\b)\)?|(?P<offset>[+-]\d{2}:?\d{2}))?)?"
)
#: 3. November 2023 / 12 mars 2020 / 5 de mayo de 2020 / 4 Mar 2024, 18:20
DMY_WORDS = re.compile(
    r"(?<![\w.])(?P<d>[0-3]?\d)(?:\.|er|st|nd|rd|th|º)?[\s-]*(?:de\s+)?(?P<mon>" + _MONTH + r")\.?,?[\s-]*"
    r"(?:de\s+|del\s+)?(?P<y>(?:19|20)\d{2})(?!\d)" + _TIME,
    re.IGNORECASE,
)
#: March 4, 2024 / Nov. 8, 2023 / November 9th 2023
MDY_WORDS = re.compile(
    r"(?<!\w)(?P<mon>" + _MONTH + r")\.?\s+(?P<d>[0-3]?\d)(?:st|nd|rd|th)?,?\s+(?P<y>(?:19|20)\d{2})(?!\d)"
    + _TIME,
    re.IGNORECASE,
)
#: 05.01.2025, 15:23 / 5/1/2025 / 26 | 01 | 2022 / 2024-11-22 08:12 / 8.5.12 (two-digit year: day first)
NUMERIC = re.compile(
    r"(?<![\d.])(?:(?P<y1>(?:19|20)\d{2})[-/.](?P<m1>[01]?\d)[-/.](?P<d1>[0-3]?\d)"
    r"|(?P<a>[0-3]?\d)\s?(?P<sep>[./|-])\s?(?P<b>[01]?\d)\s?(?P=sep)\s?(?P<y2>(?:19|20)\d{2})"
    r"|(?<![^\W\d_])(?P<a2>[0-3]?\d)\.(?P<b2>[01]?\d)\.(?P<yy>\d{2})(?![\d.]))(?![\d])" + _TIME,
    re.IGNORECASE,
)
#: 2019年6月24日 / 2019년 6월 24일
CJK = re.compile(r"(?P<y>(?:19|20)\d{2})\s*[年년]\s*(?P<m>\d{1,2})\s*[月월]\s*(?P<d>\d{1,2})\s*[日일]")



@dataclass(frozen=True, slots=True)
class Found:
    """One date found in a string: its value, where it starts and whether it carries a time of day."""

    value: datetime
    start: int
    end: int
    has_time: bool


def offset(text: str | None) -> tzinfo | None:
    """'Z', 'UTC', '+01:00', '-0800', 'PST' -> a fixed offset; None when unknown."""
    if not text:
        return None
    text = text.upper()
    if text in ZONES:
        return UTC if ZONES[text] == 0 else timezone(timedelta(minutes=ZONES[text]))
    if text == "Z":
        return UTC
    if text[0] not in "+-":
        return None
    sign = -1 if text[0] == "-" else 1
    digits = text[1:].replace(":", "")
    hours, minutes = int(digits[:2]), int(digits[2:4] or 0)
    if hours > 14 or minutes > 59:
        return None
    return timezone(sign * timedelta(hours=hours, minutes=minutes))


def _make(
    y: str | int, m: str | int, d: str | int, parts: dict[str, str | None] | None = None
) -> datetime | None:
    parts = parts or {}
    hour = int(parts.get("H") or 0)
    if (ampm := parts.get("ampm")) and hour <= 12:
        hour = hour % 12 + (12 if ampm.lower().startswith("p") else 0)
    try:
        value = datetime(int(y), int(m), int(d), hour, int(parts.get("M") or 0), int(parts.get("S") or 0))
    except ValueError:
        return None
    zone = offset(parts.get("tz") or parts.get("offset")) if parts.get("H") else None
    return value.replace(tzinfo=zone) if zone else value


def _build(match: re.Match[str]) -> datetime | None:
    parts = match.groupdict()
    return _make(parts["y"], parts["m"], parts["d"], parts)


def parse_iso(text: str | None) -> datetime | None:
    """ISO 8601 and close relatives ('2024-11-22 08:12', '2024/11/22', epoch seconds); naive when no offset."""
    if not text:
        return None
    text = text.strip()
    if _EPOCH.match(text):
        return datetime.fromtimestamp(int(text[:10]), tz=UTC)
    try:
        return datetime.fromisoformat(text.replace("Z", "+00:00") if text.endswith("Z") else text)
    except ValueError:
        pass
    match = ISO_LIKE.search(text) or COMPACT.fullmatch(text)
    return _build(match) if match else None


def parse_structured(text: str | None) -> datetime | None:
    """A date from structured data: ISO 8601 as the standards ask, else the English-language forms some
    publishers write there ('19 Nov 2019 05:44 GMT', 'Fri Apr 28 19:20:36 CEST 2023')."""
    found = parse_iso(text)
    if found is not None or not text or len(text) > 60:
        return found
    visible = find_dates(text)
    if visible and visible[0].has_time:
        return visible[0].value
    import dateparser  # slow: only for the rare structured value in words that the regexes do not read

    settings = {"REQUIRE_PARTS": ["year", "month", "day"]}
    try:
        parsed = dateparser.parse(text, languages=["en"], settings=settings)  # type: ignore[arg-type]
    except (ValueError, OverflowError, TypeError):
        return None
    return parsed or (visible[0].value if visible else None)


def from_url(url: str | None) -> datetime | None:
    match = URL_DATE.search(url) if url else None
    return _build(match) if match else None


def _numeric(match: re.Match[str], month_first: bool) -> datetime | None:
    parts = match.groupdict()
    if parts["y1"]:
        return _make(parts["y1"], parts["m1"], parts["d1"], parts)
    if parts["yy"]:
        year = 2000 + int(parts["yy"])
        return _make(year if year <= datetime.now().year else year - 100, parts["b2"], parts["a2"], parts)
    a, b = int(parts["a"]), int(parts["b"])
    if a > 12 or not month_first or parts["sep"] in ".|":
        day, month = a, b
    else:
        day, month = b, a
    if month > 12:
        day, month = month, day
    return _make(parts["y2"], month, day, parts)


def find_dates(text: str, month_first: bool = False) -> list[Found]:
    """Every full date (year, month, day) printed in a string, in order; an optional time and zone after it.
    month_first reads an ambiguous 03/04/2024 as US-style March 4."""
    found: list[Found] = []
    if not any(char.isdigit() for char in text):
        return found
    for pattern in (DMY_WORDS, MDY_WORDS, NUMERIC, CJK):
        for match in pattern.finditer(text):
            if any(f.start <= match.start() < f.end for f in found):
                continue
            if pattern is NUMERIC:
                value = _numeric(match, month_first)
            elif pattern is CJK:
                value = _build(match)
            else:
                parts = match.groupdict()
                value = _make(parts["y"], MONTHS[parts["mon"].lower()], parts["d"], parts)
            if value is not None:
                has_time = bool(match.groupdict().get("H"))
                found.append(Found(value, match.start(), match.end(), has_time))
    found.sort(key=lambda f: f.start)
    return found
