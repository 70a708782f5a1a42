"""The sample files of docs/import.md import as they are, in the documented order."""

from pathlib import Path

from terugkeer.accounts.access import SYSTEM
from terugkeer.imports.models import ImportRun
from terugkeer.imports.services import import_file
from terugkeer.organisations.models import Employee
from terugkeer.trajectories.models import Absence
from tests.factories import UserFactory

SAMPLES = Path(__file__).resolve().parents[2] / "docs" / "samples"


def test_the_samples_import(world):
    UserFactory(username="leidinggevende", organisation=world.vo)
    for name in ("eenheden.csv", "medewerkers.csv", "afwezigheden.csv", "afwezigheden.xlsx"):
        run = import_file(
            actor=SYSTEM,
            organisation=world.vo,
            path=SAMPLES / name,
            file_name=name,
            dry_run=False,
        )
        assert run.status == ImportRun.Status.IMPORTED, (name, run.errors)
    assert Employee.objects.get(personnel_number="100236").first_name == "Chloë"
    # 02/03–06/03 and 07/03–20/03 are adjacent: one absence.
    assert Absence.objects.filter(employee__personnel_number="100236").count() == 1
    assert run.unchanged == 2  # the xlsx repeats two rows of the CSV
