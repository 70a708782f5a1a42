from datetime import date

import pytest

from terugkeer.rules import calendar as cal

D = date.fromisoformat


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        ("2025-12-31", 2, "2026-02-28"),  # end-of-month clamp
        ("2023-12-31", 2, "2024-02-29"),  # leap year
        ("2026-01-31", 1, "2026-02-28"),
        ("2026-08-31", 1, "2026-09-30"),
        ("2026-03-31", -1, "2026-02-28"),
        ("2026-01-12", 4, "2026-05-12"),
        ("2025-11-30", 3, "2026-02-28"),
        ("2026-06-15", 6, "2026-12-15"),
        ("2026-07-31", 6, "2027-01-31"),
        ("2026-01-29", 1, "2026-02-28"),
        ("2024-02-29", 12, "2025-02-28"),
        ("2026-12-01", 0, "2026-12-01"),
    ],
)
def test_add_months(start, months, expected):
    assert cal.add_months(D(start), months) == D(expected)


@pytest.mark.parametrize(
    ("start", "days", "expected"),
    [
        ("2026-01-01", 49, "2026-02-19"),  # day 1 is the day after receipt
        ("2026-02-20", 14, "2026-03-06"),
        ("2025-12-20", 21, "2026-01-10"),  # across the year end
        ("2024-02-15", 14, "2024-02-29"),
    ],
)
def test_add_days_counts_from_the_day_after(start, days, expected):
    assert cal.add_days(D(start), days) == D(expected)


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        ("2026-04-04", "2026-04-07"),  # Saturday, Easter Sunday, Easter Monday
        ("2026-12-25", "2026-12-28"),  # Christmas on a Friday, then weekend
        ("2026-07-21", "2026-07-22"),  # national holiday on a Tuesday
        ("2026-05-14", "2026-05-15"),  # Ascension Thursday
        ("2026-05-23", "2026-05-26"),  # Saturday before Whit Monday
        ("2026-11-11", "2026-11-12"),  # Armistice
        ("2026-03-10", "2026-03-10"),  # ordinary Tuesday
    ],
)
def test_next_working_day(day, expected):
    assert cal.next_working_day(D(day)) == D(expected)


def test_easter():
    assert cal.easter(2025) == D("2025-04-20")
    assert cal.easter(2026) == D("2026-04-05")
    assert cal.easter(2027) == D("2027-03-28")


@pytest.mark.parametrize("year", range(2022, 2032))
def test_fallback_holidays_match_package(year):
    # The computed fallback list equals what the holidays package gives for Belgium.
    assert set(cal._computed_holidays(year)) == set(cal.belgian_holidays(year))


def test_holiday_names_are_dutch():
    names = cal.belgian_holidays(2026)
    assert names[D("2026-07-21")] == "Nationale feestdag"


def test_is_working_day():
    assert cal.is_working_day(D("2026-03-10"))
    assert not cal.is_working_day(D("2026-03-14"))
    assert not cal.is_working_day(D("2026-01-01"))


def test_fmt():
    assert cal.fmt(D("2026-02-03")) == "03/02/2026"
    assert cal.fmt(None) == "-"
