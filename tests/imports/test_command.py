import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from terugkeer.imports.models import ImportRun
from terugkeer.trajectories.models import Absence


def test_import_hr_command(world, tmp_path, capsys):
    path = tmp_path / "afwezigheden.csv"
    number = world.emp_a.personnel_number
    path.write_text(f"Personeelsnummer;Eerste dag\n{number};02/03/2026\n", encoding="utf-8")
    call_command("import_hr", str(path), organisation=world.vo.name, dry_run=True)
    out = capsys.readouterr().out
    assert "proefdraai" in out and "new 1" in out and "rijen gelezen" in out
    assert not Absence.objects.exists()
    call_command("import_hr", str(path), organisation=world.vo.name)
    assert "new 1" in capsys.readouterr().out
    assert Absence.objects.count() == 1
    run = ImportRun.objects.filter(dry_run=False).get()
    assert run.username == "systeem"


def test_import_hr_command_fails_on_bad_rows(world, tmp_path, capsys):
    path = tmp_path / "afwezigheden.csv"
    path.write_text("Personeelsnummer;Eerste dag\nZZZ;02/03/2026\n", encoding="utf-8")
    with pytest.raises(CommandError):
        call_command("import_hr", str(path), organisation=world.vo.name)
    assert "row 2 [Personeelsnummer] 'ZZZ'" in capsys.readouterr().out
    with pytest.raises(CommandError):
        call_command("import_hr", str(path), organisation="Bestaat niet")


def test_import_hr_lists_ignored_columns_and_says_when_nothing_changed(world, tmp_path, capsys):
    path = tmp_path / "afwezigheden.csv"
    number = world.emp_a.personnel_number
    path.write_text(
        f"Personeelsnummer;Eerste dag;Opmerking\n{number};02/03/2026;bel eerst\n", encoding="utf-8"
    )
    call_command("import_hr", str(path), organisation=world.vo.name)
    first = capsys.readouterr().out
    assert "ignored columns: Opmerking" in first and "nothing changed" not in first
    call_command("import_hr", str(path), organisation=world.vo.name)
    assert "nothing changed (niets gewijzigd)" in capsys.readouterr().out
