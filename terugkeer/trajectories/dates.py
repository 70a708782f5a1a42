"""Plausible dates: the one check that forms, the import and the API share.

An absence or event dated 01/01/0001, 31/12/9999 or 1900 is a typing error, and such a date
would open trajectories with deadlines a thousand years overdue or never due. A date must lie
on or after 1 January of settings.TERUGKEER["EARLIEST_YEAR"] (default 2000) and at most a year
after today. (Rules that are stricter, such as "an event is not in the future", stay where they
are and run as well.)
"""

from __future__ import annotations

from datetime import date, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

# How far ahead a date may lie.
HORIZON = timedelta(days=366)


def earliest() -> date:
    return date(settings.TERUGKEER.get("EARLIEST_YEAR", 2000), 1, 1)


def date_problem(day: date | None, *, on: date | None = None) -> str | None:
    """Why `day` is not a plausible date (a Dutch sentence), or None when it is."""
    if day is None:
        return None
    first = earliest()
    if day < first:
        return _("De datum ligt voor %(day)s: controleer het jaar.") % {
            "day": first.strftime("%d/%m/%Y")
        }
    last = (on or timezone.localdate()) + HORIZON
    if day > last:
        return _("De datum ligt meer dan een jaar in de toekomst (na %(day)s).") % {
            "day": last.strftime("%d/%m/%Y")
        }
    return None


def check_dates(*, on: date | None = None, **days: date | None) -> None:
    """Raise a ValidationError naming every field whose date is implausible."""
    errors = {name: problem for name, day in days.items() if (problem := date_problem(day, on=on))}
    if errors:
        raise ValidationError(errors)


def validate_plausible_date(value: date | None) -> None:
    """The same check as a form or model field validator."""
    if (problem := date_problem(value)) is not None:
        raise ValidationError(problem, code="implausible_date")
