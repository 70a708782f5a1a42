"""Date arithmetic for legal terms: calendar months, calendar days, Belgian working days.

Pure stdlib plus the optional ``holidays`` package. If ``holidays`` cannot be imported, the
Belgian public holidays are computed here from the Easter date (the list is short and fixed
by the law of 4 January 1974).
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

try:  # pragma: no cover - exercised implicitly
    import holidays as _holidays_pkg
except ImportError:  # pragma: no cover
    _holidays_pkg = None

_ONE_DAY = timedelta(days=1)
_DAYS_IN_MONTH = (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def is_leap(year: int) -> bool:
    return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)


def days_in_month(year: int, month: int) -> int:
    if month == 2 and is_leap(year):
        return 29
    return _DAYS_IN_MONTH[month - 1]


def add_days(d: date, days: int) -> date:
    """A term of ``days`` calendar days, counted from the day after ``d``.

    Day 1 is the day after the document was received, so the last day of the term is
    ``d + days``.
    """
    return d + timedelta(days=days)


def add_months(d: date, months: int) -> date:
    """``d`` plus calendar months, clamped to the last day of a shorter month.

    31 December + 2 months = 28 February (29 in a leap year); 31 August + 1 month = 30 September.
    """
    idx = d.month - 1 + months
    year = d.year + idx // 12
    month = idx % 12 + 1
    day = d.day
    if day > 28:
        last = days_in_month(year, month)
        if day > last:
            day = last
    return date(year, month, day)


def easter(year: int) -> date:
    """Gregorian Easter Sunday (anonymous Gregorian algorithm)."""
    a = year % 19
    b, c = divmod(year, 100)
    d, e = divmod(b, 4)
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    leap = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * leap) // 451
    month, day = divmod(h + leap - 7 * m + 114, 31)
    return date(year, month, day + 1)


def _computed_holidays(year: int) -> dict[date, str]:
    e = easter(year)
    return {
        date(year, 1, 1): "Nieuwjaar",
        e: "Pasen",
        e + timedelta(days=1): "Paasmaandag",
        date(year, 5, 1): "Dag van de Arbeid",
        e + timedelta(days=39): "O. L. H. Hemelvaart",
        e + timedelta(days=49): "Pinksteren",
        e + timedelta(days=50): "Pinkstermaandag",
        date(year, 7, 21): "Nationale feestdag",
        date(year, 8, 15): "O. L. V. Hemelvaart",
        date(year, 11, 1): "Allerheiligen",
        date(year, 11, 11): "Wapenstilstand",
        date(year, 12, 25): "Kerstmis",
    }


_HOLIDAY_CACHE: dict[int, dict[date, str]] = {}


def belgian_holidays(year: int) -> dict[date, str]:
    """Belgian public holidays of ``year`` with their Dutch names (cached per year)."""
    found = _HOLIDAY_CACHE.get(year)
    if found is not None:
        return found
    result: dict[date, str] | None = None
    if _holidays_pkg is not None:
        try:
            cal = _holidays_pkg.country_holidays("BE", years=year, language="nl")
            result = {d: str(name) for d, name in cal.items()}
        except Exception:  # noqa: BLE001 - any failure of the optional package: fall back
            result = None
    if not result:
        result = _computed_holidays(year)
    _HOLIDAY_CACHE[year] = result
    return result


def is_working_day(d: date) -> bool:
    return d.weekday() < 5 and d not in belgian_holidays(d.year)


def next_working_day(d: date) -> date:
    """``d`` itself when it is a working day, else the first working day after it."""
    while d.weekday() >= 5 or d in belgian_holidays(d.year):
        d += _ONE_DAY
    return d


_FMT_CACHE: dict[date, str] = {}


def fmt(d: date | None) -> str:
    """Belgian notation dd/mm/jjjj, as used in the Dutch 'why' lines."""
    if d is None:
        return "-"
    text = _FMT_CACHE.get(d)
    if text is None:
        if len(_FMT_CACHE) > 50_000:  # a few decades of days: never in practice
            _FMT_CACHE.clear()
        text = _FMT_CACHE[d] = f"{d.day:02d}/{d.month:02d}/{d.year}"
    return text


def today_in_belgium() -> date:
    """Today's date in Brussels (the engine's default 'today')."""
    try:
        from zoneinfo import ZoneInfo

        return datetime.now(ZoneInfo("Europe/Brussels")).date()
    except Exception:  # noqa: BLE001 - no tz database: UTC is at most one day off
        return datetime.now(UTC).date()
