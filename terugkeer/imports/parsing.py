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
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop, ngettext

from terugkeer.spreadsheets import looks_like_formula, safe_text

# A cell longer than this is refused (no field of ours is longer; a huge cell is an attack).
MAX_CELL = 1000

UNITS, EMPLOYEES, ABSENCES = "units", "employees", "absences"
# Dutch message ids, translated where shown (imports.views).
KIND_LABELS = {
    UNITS: gettext_noop("eenheden"),
    EMPLOYEES: gettext_noop("medewerkers"),
    ABSENCES: gettext_noop("afwezigheden"),
}

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
    """The file as a whole cannot be read (encoding, format, columns).

    `row` and `column` name where, when that is known (the header is row 1; 0 = the file).
    """

    def __init__(self, message: str, *, row: int = 0, column: str = "") -> None:
        super().__init__(message)
        self.row = row
        self.column = column


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


# Column names that announce the cause of an absence. Terugkeer keeps no medical data, so a file
# with such a column is refused whole rather than having the column silently ignored: whoever
# made the export should take it out (see docs/import.md). Besides these, any header that the
# medical word list flags (trajectories/medical.py) is refused the same way.
CAUSE_WORDS = (
    "reden",
    "oorzaak",
    "motief",
    "motivering",
    "diagnose",
    "diagnosis",
    "aandoening",
    "ziekte",
    "ongeval",
    "klacht",
    "reason",
    "cause",
    "illness",
    "sickness",
    "condition",
    "medisch",
    "medical",
)


@dataclass
class Table:
    kind: str
    # field name -> column index
    columns: dict[str, int]
    # field name -> the header as written in the file (for error messages)
    headers: dict[str, str]
    rows: Iterator[tuple[int, list[Any]]]
    # headers that are not ours: their cells are not read (listed in the preview)
    ignored: list[str] = field(default_factory=list)
    # the number of columns in the header row, and those with an empty header: a cell there
    # has no column, and its row is refused
    width: int = 0
    blank: frozenset[int] = frozenset()
    # data rows in the file, counted before reading (blank lines included): for progress only
    estimated_rows: int = 0

    def stray_cell(self, values: list[Any]) -> tuple[int, Any] | None:
        """The first non-empty cell without a header (1-based position, value), if any."""
        for index, value in enumerate(values):
            if (index >= self.width or index in self.blank) and str(value).strip():
                return index + 1, value
        return None


def suggests_cause(header: str) -> bool:
    """Does this column name announce the cause of an absence or other medical content?"""
    from terugkeer.trajectories.medical import medical_terms

    words = normalise(header).replace("-", " ").split()
    if any(word.startswith(CAUSE_WORDS) for word in words):
        return True
    return bool(medical_terms(str(header)))


# The kind of a file follows from the columns it has: the kind with the most recognised
# columns wins (ties in this order). A file that recognises fewer than two columns of any kind,
# and none of the columns that only one kind has, is of no known kind.
_DISTINCTIVE = {
    ABSENCES: ("first_day",),
    EMPLOYEES: ("first_name", "last_name"),
    UNITS: ("kind",),
}


def _detect_kind(names: set[str]) -> str:
    best, best_score = "", 0
    for kind in (ABSENCES, EMPLOYEES, UNITS):
        score = sum(1 for aliases in COLUMNS[kind].values() if names & set(aliases))
        distinctive = any(names & set(COLUMNS[kind][f]) for f in _DISTINCTIVE[kind])
        if score > best_score and (score >= 2 or distinctive):
            best, best_score = kind, score
    if best:
        return best
    raise FileError(
        _(
            "Onbekend soort bestand: de kolommen passen niet bij eenheden, medewerkers of "
            "afwezigheden (zie de handleiding voor de kolomnamen)."
        ),
        row=1,
    )


def map_headers(raw_headers: list[Any]) -> tuple[str, dict[str, int], dict[str, str], list[str]]:
    """The file's kind, field -> column index, field -> header as written, ignored headers."""
    headers = ["" if h is None else str(h) for h in raw_headers]
    while headers and not headers[-1].strip():
        headers.pop()
    if not headers or not any(h.strip() for h in headers):
        raise FileError(_("Het bestand is leeg: er is geen kopregel met kolomnamen."), row=1)
    names = [normalise(h) for h in headers]
    for header in headers:
        if header.strip() and suggests_cause(header):
            raise FileError(
                _(
                    "De kolom “%(col)s” lijkt een reden of medische gegevens te bevatten. "
                    "Terugkeer bewaart geen medische gegevens: verwijder de kolom uit het bestand."
                )
                % {"col": header.strip()[:60]},
                row=1,
                column=header.strip()[:60],
            )
    kind = _detect_kind(set(names))
    alias_to_field = {a: field for field, aliases in COLUMNS[kind].items() for a in aliases}
    columns: dict[str, int] = {}
    written: dict[str, str] = {}
    ignored: list[str] = []
    for index, (name, header) in enumerate(zip(names, headers, strict=True)):
        if not name:
            continue
        field_name = alias_to_field.get(name)
        if field_name is None:
            ignored.append(header.strip()[:60])
            continue
        if field_name in columns:
            raise FileError(
                _("De kolom “%(col)s” komt twee keer voor.") % {"col": header.strip()[:60]},
                row=1,
                column=header.strip()[:60],
            )
        columns[field_name] = index
        written[field_name] = header.strip()
    missing = [COLUMNS[kind][f][0] for f in REQUIRED[kind] if f not in columns]
    if missing:
        raise FileError(
            ngettext(
                "Verplichte kolom ontbreekt: %(cols)s.",
                "Verplichte kolommen ontbreken: %(cols)s.",
                len(missing),
            )
            % {"cols": ", ".join(missing)},
            row=1,
            column=missing[0],
        )
    return kind, columns, written, ignored


# --- CSV ----------------------------------------------------------------------------------------


# After decoding as UTF-8 with errors="surrogateescape": a byte that is not UTF-8 becomes a lone
# surrogate; any other character above ASCII came from a valid multi-byte UTF-8 sequence.
_NOT_UTF8 = re.compile("[\udc80-\udcff]")
_UTF8_MULTIBYTE = re.compile("[^\x00-\x7f\udc80-\udcff]")


def _delimiter(first_line: str) -> str:
    return ";" if first_line.count(";") > first_line.count(",") else ","


def _first_row_where(path: Path, found) -> int:
    """The number of the first CSV row (header = 1) with a cell for which found(cell) holds,
    reading the bytes as UTF-8 with the bad bytes kept as surrogates (so nothing fails)."""
    csv.field_size_limit(MAX_CELL * 10)
    with open(path, encoding="utf-8", errors="surrogateescape", newline="") as fh:
        delimiter = _delimiter(fh.readline())
        fh.seek(0)
        reader = csv.reader(fh, delimiter=delimiter)
        number = 0
        while True:
            try:
                values = next(reader)
            except StopIteration:
                return 0
            except csv.Error:
                return number + 1
            number += 1
            if any(found(v) for v in values):
                return number


def _detect_encoding(path: Path) -> str:
    """UTF-8 (with or without BOM) or Windows-1252, decided for the file as a whole.

    A file with valid UTF-8 multi-byte characters *and* bytes that are not UTF-8 was put
    together from two sources (one row typed in Excel, say): decoding it either way would
    corrupt some names, so it is refused, naming the first row that is not UTF-8.
    Read in blocks with an incremental decoder: constant memory.
    """
    with open(path, "rb") as fh:
        head = fh.read(4)
        if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) or b"\x00" in head:
            raise FileError(
                _("Het bestand is in UTF-16 of een binair formaat: bewaar het als CSV in UTF-8.")
            )
        fh.seek(0)
        decoder = codecs.getincrementaldecoder("utf-8")(errors="surrogateescape")
        multibyte = not_utf8 = nul = False
        while True:
            block = fh.read(1 << 20)
            text = decoder.decode(block, final=not block)
            if "\x00" in text:
                nul = True
                break
            multibyte = multibyte or bool(_UTF8_MULTIBYTE.search(text))
            not_utf8 = not_utf8 or bool(_NOT_UTF8.search(text))
            if not block:
                break
    if nul:
        row = _first_row_where(path, lambda cell: "\x00" in cell)
        raise FileError(
            _("Rij %(row)s bevat binaire gegevens (een NUL-teken): dit is geen CSV-bestand.")
            % {"row": row},
            row=row,
        )
    if not not_utf8:
        return "utf-8-sig"
    if multibyte:
        row = _first_row_where(path, lambda cell: bool(_NOT_UTF8.search(cell)))
        raise FileError(
            _(
                "Het bestand mengt twee tekencoderingen: het meeste is UTF-8, maar rij %(row)s "
                "niet (vermoedelijk Windows-1252). Zo zouden namen verminkt worden. Bewaar het "
                "hele bestand opnieuw als CSV in UTF-8."
            )
            % {"row": row},
            row=row,
        )
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
    delimiter = _delimiter(first)
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
                        % {"row": number + 1},
                        row=number + 1,
                    ) from exc
                number += 1
                if any(v.strip() for v in values):
                    yield number, values
        finally:
            fh.close()

    return header, rows()


# --- xlsx ---------------------------------------------------------------------------------------


def _xlsx_rows(path: Path) -> tuple[list[Any], Iterator[tuple[int, list[Any]]], int]:
    import zipfile

    from openpyxl import load_workbook

    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise FileError(_("Het Excel-bestand kan niet geopend worden.")) from exc
    sheet = workbook.worksheets[0]
    # From the sheet's stated dimensions (for progress; the rows themselves are what count).
    estimated = max(0, (sheet.max_row or 1) - 1)
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

    return header, rows(), estimated


def open_table(path: Path | str) -> Table:
    path = Path(path)
    if path.stat().st_size == 0:
        raise FileError(_("Het bestand is leeg."))
    with open(path, "rb") as fh:
        magic = fh.read(8)
    if magic.startswith(b"PK\x03\x04"):
        header, rows, estimated = _xlsx_rows(path)
    elif magic.startswith(b"\xd0\xcf\x11\xe0"):
        raise FileError(_("Oude Excel-bestanden (.xls) worden niet aanvaard: bewaar als .xlsx."))
    else:
        header, rows = _csv_rows(path)
        estimated = _count_lines(path) - 1
    kind, columns, written, ignored = map_headers(header)
    width = len(header)
    while width and not str(header[width - 1] or "").strip():
        width -= 1
    blank = frozenset(i for i in range(width) if not str(header[i] or "").strip())
    return Table(
        kind=kind,
        columns=columns,
        headers=written,
        rows=rows,
        ignored=ignored,
        width=width,
        blank=blank,
        estimated_rows=max(0, estimated),
    )


def _count_lines(path: Path) -> int:
    """Lines in a text file (a last line without a newline counts too), in blocks."""
    lines = 0
    last = b"\n"
    with open(path, "rb") as fh:
        while block := fh.read(1 << 20):
            lines += block.count(b"\n")
            last = block[-1:]
    return lines + (last != b"\n")


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


# Excel counts days from 30 December 1899; 20000–80000 is 1954–2119.
_EXCEL_EPOCH = date(1899, 12, 30)
_EXCEL_SERIAL = re.compile(r"^\d{5}(?:\.0+)?$")


def _excel_serial_hint(text: str) -> CellError | None:
    """A date typed as Excel's day number (46027): refused, with the date it stands for."""
    if not _EXCEL_SERIAL.match(text) or not 20000 <= float(text) <= 80000:
        return None
    meant = _EXCEL_EPOCH.fromordinal(_EXCEL_EPOCH.toordinal() + int(float(text)))
    return CellError(
        _(
            "Dit lijkt een datum als Excel-getal (%(number)s = %(date)s): zet de kolom in Excel "
            "op ‘Datum’ of ‘Tekst’ (dd/mm/jjjj) en bewaar opnieuw."
        )
        % {"number": text, "date": meant.strftime("%d/%m/%Y")}
    )


def cell_date(value: Any, *, required: bool = False) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value).strip() if value is not None else ""
    if hint := _excel_serial_hint(text):
        raise hint
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
