"""A 100,000-row absence file through the import page, checked and imported in the background
by the real task worker, while the browser watches the progress bar advance to the end.

Run on its own (about two minutes; not in the default run, see docs/import.md):

    make test-bigimport

Everything as in production on one machine: a SQLite file database (WAL), the web server and
`manage.py run_tasks` as two separate processes, chromium as the user. pytest-django's database
is not used: the server and the worker need a database that two processes can share.
"""

from __future__ import annotations

import importlib.util
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from tests.browser.conftest import assert_accessible, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.bigimport]

ROOT = Path(__file__).resolve().parents[2]
ROWS = 100_000
EMPLOYEES = 25_000
# The whole test (setup, dry run, import) must end within this; each phase has its own bound.
PHASE_SECONDS = 420
PASSWORD = "hr-Terugkeer-bigimport-2026"

SETUP = f"""
from terugkeer.accounts.models import Role, RoleAssignment, User
from terugkeer.organisations.models import Employee, Organisation
from terugkeer.organisations.services import unit_create

org = Organisation.objects.create(name="Groot bestuur", kind="vo")
entity = unit_create(organisation=org, name="Entiteit", code="E", kind="agency", is_entity=True)
teams = [
    unit_create(organisation=org, name=f"Team {{i}}", code=f"T{{i}}", kind="team", parent=entity)
    for i in range(20)
]
Employee.objects.bulk_create(
    (
        Employee(
            organisation=org,
            personnel_number=f"B{{i:07d}}",
            first_name="Voornaam",
            last_name=f"Naam{{i}}",
            unit=teams[i % 20],
            entity=entity,
            statute="statutair" if i % 3 else "contractueel",
        )
        for i in range({EMPLOYEES})
    ),
    batch_size=2000,
)
user = User.objects.create_user("hrgroot", password="{PASSWORD}", organisation=org)
RoleAssignment.objects.create(user=user, role=Role.HR, organisation=org)
"""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _bench_module():
    spec = importlib.util.spec_from_file_location("bench_import", ROOT / "bench/bench_import.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _wait_until_up(url: str, deadline: float) -> None:
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 (loopback)
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    pytest.fail(f"{url} did not answer")


@pytest.fixture
def site(tmp_path):
    env = {
        **os.environ,
        "TERUGKEER_VAR_DIR": str(tmp_path),
        "DEBUG": "1",  # runserver serves the static files (htmx)
        "TERUGKEER_MFA_REQUIRED": "0",
        "TERUGKEER_CACHE": "database",
    }
    env.pop("DATABASE_URL", None)
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    python = sys.executable
    subprocess.run(
        [python, "manage.py", "migrate", "--noinput", "-v0"], cwd=ROOT, env=env, check=True
    )
    subprocess.run([python, "manage.py", "shell", "-c", SETUP], cwd=ROOT, env=env, check=True)
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    logs = tmp_path / "logs"
    logs.mkdir()
    processes = [
        subprocess.Popen(
            [python, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload"],
            cwd=ROOT,
            env=env,
            stdout=open(logs / "server.log", "w"),  # noqa: SIM115
            stderr=subprocess.STDOUT,
        ),
        subprocess.Popen(
            [python, "manage.py", "run_tasks", "--interval", "0.2", "--no-reload"],
            cwd=ROOT,
            env=env,
            stdout=open(logs / "worker.log", "w"),  # noqa: SIM115
            stderr=subprocess.STDOUT,
        ),
    ]
    try:
        _wait_until_up(f"{url}/health/live", time.monotonic() + 60)
        yield type("Site", (), {"url": url, "tmp": tmp_path, "logs": logs})
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()


def _watch_progress(page, done_text: str, screenshot: Path | None = None) -> list[int]:
    """The progress bar's values as the page shows them, until done_text appears (with a
    screenshot of the page the first time the bar is past zero, to look at)."""
    seen: list[int] = []
    deadline = time.monotonic() + PHASE_SECONDS
    while time.monotonic() < deadline:
        if page.get_by_text(done_text).count():
            return seen
        bar = page.locator("#import-progress-bar")
        if bar.count():
            value = int(float(bar.get_attribute("value") or 0))
            if not seen or seen[-1] != value:
                seen.append(value)
            if screenshot and value and not screenshot.exists():
                page.screenshot(path=str(screenshot), full_page=True)
        page.wait_for_timeout(250)
    pytest.fail(f"no '{done_text}' within {PHASE_SECONDS} s; progress seen: {seen[-5:]}")


def test_a_100000_row_file_is_checked_and_imported_in_the_background(site, page):
    path = site.tmp / "afwezigheden-groot.csv"
    _bench_module().write_file(path, ROWS, EMPLOYEES)
    sign_in(page, site, "hrgroot", PASSWORD)
    page.goto(f"{site.url}/importeren/")
    page.get_by_label("Bestand").set_input_files(str(path))
    page.get_by_role("button", name="Controleren (proefdraai)").click()
    page.wait_for_load_state()
    # The page answers at once; the run's page shows the progress in a live region.
    assert page.locator("#import-progress[aria-live='polite']").count() == 1
    assert_accessible(page)
    checking = _watch_progress(page, "Bevestigen en inlezen", site.tmp / "progress.png")
    # The bar moved while the rows were checked and compared (two phases, each from 0 up).
    assert len(set(checking)) >= 3, checking
    summary = page.locator("table").first.inner_text()
    assert "100000" in summary.replace(".", "")  # rows
    assert "92490" in summary.replace(".", "")  # new absences (7,510 rows merged)

    page.get_by_role("button", name="Bevestigen en inlezen").click()
    page.wait_for_load_state()
    importing = _watch_progress(page, "Het bestand is ingelezen.")
    assert importing, "the import's progress was never shown"
    summary = page.locator("table").first.inner_text().replace(".", "")
    assert "92490" in summary  # new absences
    opened = page.get_by_role("row", name="Trajecten geopend of bijgewerkt").inner_text()
    assert int(opened.split()[-1].replace(".", "")) > 1000
    assert_accessible(page)
    with urllib.request.urlopen(f"{site.url}/health/ready", timeout=5) as response:  # noqa: S310
        assert b'"worker": true' in response.read()
