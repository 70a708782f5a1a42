"""Issue 12 point 6 in the import: an implausible date is refused with its row and column."""

from terugkeer.accounts.access import SYSTEM
from terugkeer.imports.models import ImportRun
from terugkeer.imports.services import import_file
from terugkeer.trajectories.models import Absence


def test_implausible_dates_are_refused_row_and_column_named(world, tmp_path):
    number = world.emp_a.personnel_number
    path = tmp_path / "afwezigheden.csv"
    path.write_text(
        "Personeelsnummer;Eerste dag;Laatste dag;Verwachte einddatum\n"
        f"{number};01/01/0001;;\n"
        f"{number};31/12/9999;;\n"
        f"{number};02/03/2026;31/12/9999;\n"
        f"{number};09/03/2026;;1900-01-01\n"
        f"{number};16/03/2026;20/03/2026;\n",
        encoding="utf-8",
    )
    run = import_file(
        actor=SYSTEM, organisation=world.vo, path=path, file_name=path.name, dry_run=False
    )
    assert run.status != ImportRun.Status.IMPORTED
    errors = {(int(row), column): reason for row, column, _value, reason in run.errors}
    assert "controleer het jaar" in errors[(2, "Eerste dag")]
    assert "meer dan een jaar in de toekomst" in errors[(3, "Eerste dag")]
    assert "meer dan een jaar in de toekomst" in errors[(4, "Laatste dag")]
    assert "controleer het jaar" in errors[(5, "Verwachte einddatum")]
    assert (6, "Eerste dag") not in errors
    assert not Absence.objects.exists()
