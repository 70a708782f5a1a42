"""Reading HR files: CSV (comma or semicolon; UTF-8 with or without BOM, or Windows-1252) and
xlsx, streamed row by row so that memory does not grow with the file.

Columns are found by their header (Dutch or English names, see docs/import.md). The file's kind
(units, employees or absences) follows from the columns it has.
"""

from __future__ import annotations

import codecs
import csv
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _

from terugkeer.spreadsheets import looks_like_formula, safe_text

# A cell longer than this is refused (no field of ours is longer; a huge cell is an attack).
MAX_CELL = 1000

UNITS, EMPLOYEES, ABSENCES = "units", "employees", "absences"
KIND_LABELS = {UNITS: "eenheden", EMPLOYEES: "medewerkers", ABSENCES: "afwezigheden"}

# field -> accepted header names (compared after normalise()).
COLUMNS: dict[str, dict[str, tuple[str, ...]]] = {
    UNITS: {
        "code": ("code", "eenheidscode", "unit code", "unitcode"),
        "name": ("naam", "name", "eenheid", "unit", "unit name", "naam eenheid"),
        "kind": ("soort", "type", "kind"),
        "parent": (
            "bovenliggende eenheid",
            "bovenliggende code",
            "bovenliggend",
            "parent",
            "parent code",
        ),
        "is_entity": ("entiteit", "is entiteit", "entity", "is entity"),
    },
    EMPLOYEES: {
        "personnel_number": (
            "personeelsnummer",
            "personeelsnr",
            "stamnummer",
            "personnel number",
            "employee number",
            "employee id",
        ),
        "first_name": ("voornaam", "first name", "given name"),
        "last_name": ("achternaam", "familienaam", "last name", "surname", "family name"),
        "email": ("e-mail", "email", "mail", "e-mailadres", "email address"),
        "unit": ("eenheid", "eenheidscode", "dienst", "unit", "unit code"),
        "manager": ("leidinggevende", "manager"),
        "statute": ("statuut", "statute"),
        "work_regime": ("arbeidsregime", "regime", "work regime", "work percentage"),
        "active": ("actief", "active", "in dienst"),
    },
    ABSENCES: {
        "personnel_number": (
            "personeelsnummer",
            "personeelsnr",
            "stamnummer",
            "personnel number",
            "employee number",
            "employee id",
        ),
        "first_day": ("eerste dag", "begindatum", "startdatum", "van", "first day", "start date"),
        "end_day": ("laatste dag", "einddatum", "tot", "last day", "end date"),
        "expected_end": (
            "verwachte einddatum",
            "verwacht einde",
            "verwachte laatste dag",
            "expected end",
            "expected end date",
        ),
    },
}
REQUIRED = {
    UNITS: ("code", "name", "kind"),
    EMPLOYEES: ("personnel_number", "first_name", "last_name", "unit", "statute"),
    ABSENCES: ("personnel_number", "first_day"),
}


class FileError(Exception):
    """The file as a whole cannot be read (encoding, format, columns)."""


@dataclass
class RowError:
    row: int
    column: str
    value: str
    message: str

    def as_list(self) -> list[Any]:
        return [self.row, self.column, self.value, self.message]


def normalise(header: str) -> str:
    text = unicodedata.normalize("NFKD", str(header)).encode("ascii", "ignore").decode()
    text = re.sub(r"[\s_.]+", " ", text.strip().lower())
    return text.strip()


@dataclass
class Table:
    kind: str
    # field name -> column index
    columns: dict[str, int]
    # field name -> the header as written in the file (for error messages)
    headers: dict[str, str]
    rows: Iterator[tuple[int, list[Any]]]


def _detect_kind(names: set[str]) -> str:
    if names & set(COLUMNS[ABSENCES]["first_day"]):
        return ABSENCES
    if names & (set(COLUMNS[EMPLOYEES]["first_name"]) | set(COLUMNS[EMPLOYEES]["last_name"])):
        return EMPLOYEES
    if names & set(COLUMNS[UNITS]["code"]) and names & set(COLUMNS[UNITS]["kind"]):
        return UNITS
    raise FileError(
        _(
            "Onbekend soort bestand: de kolommen passen niet bij eenheden, medewerkers of "
            "afwezigheden (zie de handleiding voor de kolomnamen)."
        )
    )


def map_headers(raw_headers: list[Any]) -> tuple[str, dict[str, int], dict[str, str]]:
    headers = ["" if h is None else str(h) for h in raw_headers]
    while headers and not headers[-1].strip():
        headers.pop()
    if not headers or not any(h.strip() for h in headers):
        raise FileError(_("Het bestand is leeg: er is geen kopregel met kolomnamen."))
    names = [normalise(h) for h in headers]
    kind = _detect_kind(set(names))
    alias_to_field = {a: field for field, aliases in COLUMNS[kind].items() for a in aliases}
    columns: dict[str, int] = {}
    written: dict[str, str] = {}
    unknown = []
    for index, (name, header) in enumerate(zip(names, headers, strict=True)):
        if not name:
            unknown.append(_("(lege kolomnaam in kolom %(n)s)") % {"n": index + 1})
            continue
        field = alias_to_field.get(name)
        if field is None:
            unknown.append(header.strip()[:60])
            continue
        if field in columns:
            raise FileError(
                _("De kolom “%(col)s” komt twee keer voor.") % {"col": header.strip()[:60]}
            )
        columns[field] = index
        written[field] = header.strip()
    if unknown:
        raise FileError(
            _("Onbekende kolommen: %(cols)s. Toegelaten kolommen voor %(kind)s: %(allowed)s.")
            % {
                "cols": ", ".join(f"“{u}”" for u in unknown),
                "kind": KIND_LABELS[kind],
                "allowed": ", ".join(aliases[0] for aliases in COLUMNS[kind].values()),
            }
        )
    missing = [COLUMNS[kind][f][0] for f in REQUIRED[kind] if f not in columns]
    if missing:
        raise FileError(
            _("Verplichte kolommen ontbreken: %(cols)s.") % {"cols": ", ".join(missing)}
        )
    return kind, columns, written


# --- CSV ----------------------------------------------------------------------------------------


def _detect_encoding(path: Path) -> str:
    """UTF-8 (with or without BOM) when the whole file decodes as such, else Windows-1252.

    Read in blocks with an incremental decoder: constant memory.
    """
    with open(path, "rb") as fh:
        head = fh.read(4)
        if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) or b"\x00" in head:
            raise FileError(
                _("Het bestand is in UTF-16 of een binair formaat: bewaar het als CSV in UTF-8.")
            )
        fh.seek(0)
        decoder = codecs.getincrementaldecoder("utf-8")()
        utf8 = True
        while block := fh.read(1 << 20):
            if b"\x00" in block:
                raise FileError(_("Het bestand bevat binaire gegevens: het is geen CSV-bestand."))
            if utf8:
                try:
                    decoder.decode(block)
                except UnicodeDecodeError:
                    utf8 = False
        if utf8:
            try:
                decoder.decode(b"", final=True)
            except UnicodeDecodeError:
                utf8 = False
    if utf8:
        return "utf-8-sig"
    # Windows-1252 leaves five bytes undefined; a file with those is in no encoding we know.
    with open(path, "rb") as fh:
        decoder = codecs.getincrementaldecoder("cp1252")()
        try:
            while block := fh.read(1 << 20):
                decoder.decode(block)
        except UnicodeDecodeError as exc:
            raise FileError(
                _("Het bestand is niet in UTF-8 of Windows-1252 gecodeerd; bewaar het als UTF-8.")
            ) from exc
    return "cp1252"


def _csv_rows(path: Path) -> tuple[list[str], Iterator[tuple[int, list[Any]]]]:
    encoding = _detect_encoding(path)
    fh = open(path, encoding=encoding, newline="")  # noqa: SIM115 (closed by the generator)
    first = fh.readline()
    if not first.strip():
        fh.close()
        raise FileError(_("Het bestand is leeg: er is geen kopregel met kolomnamen."))
    delimiter = ";" if first.count(";") > first.count(",") else ","
    csv.field_size_limit(MAX_CELL * 10)
    header = next(csv.reader([first], delimiter=delimiter))

    def rows() -> Iterator[tuple[int, list[Any]]]:
        reader = csv.reader(fh, delimiter=delimiter)
        try:
            number = 1
            while True:
                try:
                    values = next(reader)
                except StopIteration:
                    return
                except csv.Error as exc:
                    raise FileError(
                        _("Rij %(row)s kan niet gelezen worden: een cel is te lang of onleesbaar.")
                        % {"row": number + 1}
                    ) from exc
                number += 1
                if any(v.strip() for v in values):
                    yield number, values
        finally:
            fh.close()

    return header, rows()


# --- xlsx ---------------------------------------------------------------------------------------


def _xlsx_rows(path: Path) -> tuple[list[Any], Iterator[tuple[int, list[Any]]]]:
    import zipfile

    from openpyxl import load_workbook

    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise FileError(_("Het Excel-bestand kan niet geopend worden.")) from exc
    sheet = workbook.worksheets[0]
    iterator = sheet.iter_rows(values_only=True)
    try:
        header = list(next(iterator))
    except StopIteration:
        workbook.close()
        raise FileError(_("Het bestand is leeg: er is geen kopregel met kolomnamen.")) from None

    def rows() -> Iterator[tuple[int, list[Any]]]:
        try:
            for number, values in enumerate(iterator, start=2):
                cells = ["" if v is None else v for v in values]
                if any(str(v).strip() for v in cells):
                    yield number, cells
        finally:
            workbook.close()

    return header, rows()


def open_table(path: Path | str) -> Table:
    path = Path(path)
    if path.stat().st_size == 0:
        raise FileError(_("Het bestand is leeg."))
    with open(path, "rb") as fh:
        magic = fh.read(8)
    if magic.startswith(b"PK\x03\x04"):
        header, rows = _xlsx_rows(path)
    elif magic.startswith(b"\xd0\xcf\x11\xe0"):
        raise FileError(_("Oude Excel-bestanden (.xls) worden niet aanvaard: bewaar als .xlsx."))
    else:
        header, rows = _csv_rows(path)
    kind, columns, written = map_headers(header)
    return Table(kind=kind, columns=columns, headers=written, rows=rows)


# --- cell values --------------------------------------------------------------------------------

_DMY = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$")
_ISO = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?:[T ]00:00(?::00)?)?$")


class CellError(ValueError):
    pass


def cell_text(value: Any, *, max_length: int, required: bool = False) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value).strip() if value is not None else ""
    if len(text) > MAX_CELL:
        raise CellError(_("De cel is te lang (%(n)s tekens).") % {"n": len(text)})
    if required and not text:
        raise CellError(_("Dit veld is verplicht."))
    if looks_like_formula(text):
        raise CellError(
            _("Een tekstveld mag niet beginnen met =, +, -, @ (dit lijkt op een formule).")
        )
    if len(text) > max_length:
        raise CellError(_("Te lang: ten hoogste %(n)s tekens.") % {"n": max_length})
    return text


def cell_date(value: Any, *, required: bool = False) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = str(value).strip() if value is not None else ""
    if not text:
        if required:
            raise CellError(_("Dit veld is verplicht."))
        return None
    if len(text) > 40:
        raise CellError(_("Geen geldige datum (verwacht dd/mm/jjjj of jjjj-mm-dd)."))
    if match := _DMY.match(text):
        day, month, year = (int(g) for g in match.groups())
    elif match := _ISO.match(text):
        year, month, day = (int(g) for g in match.groups())
    else:
        raise CellError(_("Geen geldige datum (verwacht dd/mm/jjjj of jjjj-mm-dd)."))
    try:
        result = date(year, month, day)
    except ValueError:
        raise CellError(_("Deze datum bestaat niet.")) from None
    # Whether the date is plausible (not before the configured year, not more than a year
    # ahead) is decided by trajectories.dates, the check the forms and the API use too.
    return result


def cell_bool(value: Any, *, default: bool) -> bool:
    text = str(value).strip().lower() if value is not None else ""
    if not text:
        return default
    if text in {"ja", "j", "yes", "y", "1", "waar", "true", "x"}:
        return True
    if text in {"nee", "n", "no", "0", "onwaar", "false"}:
        return False
    raise CellError(_("Verwacht ja of nee."))


def cell_int(value: Any, *, low: int, high: int, default: int) -> int:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value).strip().rstrip("%").strip() if value is not None else ""
    if not text:
        return default
    try:
        number = int(text)
    except ValueError:
        raise CellError(_("Verwacht een geheel getal.")) from None
    if not low <= number <= high:
        raise CellError(
            _("Verwacht een getal van %(low)s tot %(high)s.") % {"low": low, "high": high}
        )
    return number


def shown(value: Any) -> str:
    """A cell's value as shown in an error report (shortened)."""
    text = "" if value is None else str(value)
    return text if len(text) <= 80 else text[:77] + "…"


# Kept for the error list's writer; the rule itself lives in terugkeer.spreadsheets.
csv_safe = safe_text
