"""The demo served on loopback for a script that drives a browser (scripts/screenshots.py,
scripts/axe.py): a throwaway database filled by `demo_data`, `runserver` in its own process
group, stopped and removed again on leaving the `with` block. MFA is off (demo accounts have no
second factor); nothing outside the temporary directory changes."""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "demo-Terugkeer-2026"  # noqa: S105 - the demo accounts' published password
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run"]


@dataclass
class Demo:
    base: str
    env: dict
    var_dir: Path

    def shell(self, code: str) -> str:
        """The last line `manage.py shell -c code` prints (a query against the demo)."""
        out = subprocess.run(
            [sys.executable, "manage.py", "shell", "-c", code],
            cwd=ROOT,
            env=self.env,
            check=True,
            capture_output=True,
            text=True,
        )
        return out.stdout.strip().splitlines()[-1]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_until_up(url: str, server: subprocess.Popen, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"the demo server stopped (exit {server.returncode})")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 - loopback
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise SystemExit(f"the demo server did not answer on {url}")


@contextlib.contextmanager
def demo_server(*, port: int = 0, employees: int | None = None, keep_var: bool = False):
    """Build the demo (seeded: same people every run; `employees` makes it smaller, for a
    quick run in CI) and serve it; yields a Demo."""
    port = port or free_port()
    var_dir = Path(tempfile.mkdtemp(prefix="terugkeer-demo-"))
    env = {
        **{k: v for k, v in os.environ.items() if k != "DATABASE_URL"},
        "TERUGKEER_VAR_DIR": str(var_dir),
        "DEBUG": "1",
        "TERUGKEER_MFA_REQUIRED": "0",
        "TERUGKEER_PRODUCTION": "0",
    }
    size = []
    if employees:
        size = ["--employees", str(employees), "--local-employees", str(max(employees // 5, 50))]
    server = None
    try:
        for args in (["migrate", "--noinput", "-v0"], ["demo_data", "--quiet", *size]):
            subprocess.run(
                [sys.executable, "manage.py", *args],
                cwd=ROOT,
                env=env,
                check=True,
                stdout=subprocess.DEVNULL,  # the demo accounts list; errors still show
            )
        server = subprocess.Popen(
            [sys.executable, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,  # its own process group: stopped as one below
        )
        base = f"http://127.0.0.1:{port}"
        _wait_until_up(f"{base}/health/live", server)
        yield Demo(base=base, env=env, var_dir=var_dir)
    finally:
        if server is not None and server.poll() is None:
            os.killpg(server.pid, signal.SIGTERM)
            try:
                server.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(server.pid, signal.SIGKILL)
        if keep_var:
            print(f"demo database kept in {var_dir}")
        else:
            shutil.rmtree(var_dir, ignore_errors=True)


@contextlib.contextmanager
def chromium_page(viewport: dict | None = None):
    """A page in Debian's chromium (Playwright), Dutch (Belgium)."""
    from playwright.sync_api import sync_playwright

    executable = shutil.which("chromium") or "/usr/bin/chromium"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(
                viewport=viewport or {"width": 1280, "height": 900}, locale="nl-BE"
            )
            yield page
        finally:
            browser.close()


def sign_in(page, base: str, username: str) -> None:
    page.context.clear_cookies()
    page.goto(f"{base}/aanmelden/")
    page.get_by_label("Gebruikersnaam").fill(username)
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Aanmelden").click()
    page.wait_for_load_state()
