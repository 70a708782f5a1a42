import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from terugkeer.rules.__main__ import main

ROOT = Path(__file__).resolve().parents[2]

INPUT = {
    "facts": {
        "absence_start": "2026-01-12",
        "trajectory_start": "2026-01-12",
        "events": [{"type": "conversation", "date": "2026-02-20", "outcome": "attention"}],
    },
    "policy": {"contact_interval_days": 7},
    "today": "2026-03-20",
}


def test_cli_file(tmp_path, capsys):
    f = tmp_path / "in.json"
    f.write_text(json.dumps(INPUT))
    assert main([str(f)]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["law"] == "RIT3.0" and out["today"] == "2026-03-20"
    assert out["policy"]["contact_interval_days"] == 7
    codes = {o["code"]: o for o in out["obligations"]}
    assert codes["step_plan_2m"]["due"] == "2026-04-20"
    assert out["next"]["status"] == "overdue"


def test_cli_stdin(monkeypatch, capsys):
    monkeypatch.setattr(sys, "stdin", io.StringIO(json.dumps(INPUT)))
    assert main(["-"]) == 0
    assert json.loads(capsys.readouterr().out)["law"] == "RIT3.0"


@pytest.mark.parametrize(
    ("text", "needle"),
    [
        ("{not json", "invalid JSON"),
        ("[]", "JSON object"),
        ('{"today": "2026-01-01"}', "'facts' is missing"),
        ('{"facts": {"absence_start": "2026-13-01"}}', "absence_start"),
        ('{"facts": {"absence_start": "2020-01-01"}}', "no law version"),
        ('{"facts": {"absence_start": "2026-01-01"}, "policy": {"four_week_days": 60}}', "looser"),
        ('{"facts": {"absence_start": "2026-01-01"}, "today": "tomorrow"}', "today"),
        ('{"facts": {"absence_start": "2026-01-01"}, "extra": 1}', "unknown top-level"),
    ],
)
def test_cli_bad_input_exit_2(text, needle, monkeypatch, capsys):
    monkeypatch.setattr(sys, "stdin", io.StringIO(text))
    assert main(["-"]) == 2
    err = capsys.readouterr().err
    assert needle in err


def test_cli_usage_and_missing_file(capsys, tmp_path):
    assert main([]) == 2
    assert main([str(tmp_path / "nope.json")]) == 2
    assert "cannot read" in capsys.readouterr().err


def test_cli_as_module():
    proc = subprocess.run(
        [sys.executable, "-m", "terugkeer.rules", "-"],
        input=json.dumps(INPUT),
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["law"] == "RIT3.0"
    bad = subprocess.run(
        [sys.executable, "-m", "terugkeer.rules", "-"],
        input="{}",
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )
    assert bad.returncode == 2 and "error:" in bad.stderr


def test_rules_import_no_django():
    code = (
        "import sys, terugkeer.rules, terugkeer.rules.__main__; "
        "bad = [m for m in sys.modules if m.split('.')[0] in ('django', 'sqlite3', 'psycopg')]; "
        "print(bad); sys.exit(1 if bad else 0)"
    )
    proc = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout + proc.stderr
