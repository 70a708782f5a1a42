"""Cells for spreadsheets that people open: no text may run as a formula.

A CSV or xlsx cell of text that starts with =, +, -, @, a tab or a carriage return is read as a
formula by Excel and LibreOffice (CSV injection, OWASP). Every export writes its cells through
here: text that starts like a formula gets a leading single quote (OWASP's advice), and xlsx
text is written with write_string so that it is never a formula whatever it starts with.
Numbers stay numbers. The same test refuses such names at input (validate_not_formula).
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def looks_like_formula(text: str) -> bool:
    return text.startswith(FORMULA_PREFIXES)


def safe_text(value: Any) -> str:
    """A value as text that no spreadsheet will run as a formula."""
    text = "" if value is None else str(value)
    return "'" + text if looks_like_formula(text) else text


def safe_cell(value: Any) -> Any:
    """Numbers (not booleans) as they are, everything else as safe text."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return value
    return safe_text(value)


def csv_writer(out, **kwargs):
    """A csv.writer whose rows are made safe cell by cell."""
    return _SafeWriter(csv.writer(out, **kwargs))


class _SafeWriter:
    def __init__(self, writer):
        self._writer = writer

    def writerow(self, row: Iterable[Any]):
        return self._writer.writerow([safe_cell(v) for v in row])

    def writerows(self, rows: Iterable[Iterable[Any]]):
        for row in rows:
            self.writerow(row)


def xlsx_write(worksheet, row: int, col: int, value: Any, cell_format=None) -> None:
    """One xlsx cell: numbers as numbers, text always as a string (never a formula)."""
    value = safe_cell(value)
    if isinstance(value, str):
        worksheet.write_string(row, col, value, cell_format)
    else:
        worksheet.write_number(row, col, value, cell_format)


def xlsx_write_row(worksheet, row: int, col: int, values: Iterable[Any], cell_format=None) -> None:
    for offset, value in enumerate(values):
        xlsx_write(worksheet, row, col + offset, value, cell_format)


def validate_not_formula(value: str) -> None:
    """Refuse text that a spreadsheet would read as a formula (names, codes)."""
    if isinstance(value, str) and looks_like_formula(value):
        raise ValidationError(
            _(
                "Mag niet beginnen met =, +, -, @, een tab of een regeleinde "
                "(dit lijkt op een formule in een rekenblad)."
            ),
            code="formula",
        )


class SafeSheet:
    """An xlsxwriter worksheet whose write() and write_row() go through xlsx_write; every
    other method is the worksheet's own."""

    def __init__(self, worksheet):
        self._worksheet = worksheet

    def write(self, row: int, col: int, value: Any, cell_format=None) -> None:
        xlsx_write(self._worksheet, row, col, value, cell_format)

    def write_row(self, row: int, col: int, values: Iterable[Any], cell_format=None) -> None:
        xlsx_write_row(self._worksheet, row, col, values, cell_format)

    def __getattr__(self, name: str):
        return getattr(self._worksheet, name)
