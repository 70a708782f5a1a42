"""Regenerate the screenshots in docs/screenshots/ (README and docs/ show them): `make screenshots`.

Builds the demo in a throwaway database, starts the demo server on loopback itself, signs in with
Playwright on Debian's chromium as the coach and as the employee, saves the coach's home, the
trajectory page and the portal, and stops the server again. Nothing outside docs/screenshots/
changes; the throwaway database is removed. Same data every run (the demo generator is seeded),
except for the dates, which follow today.

    python scripts/screenshots.py [--out docs/screenshots] [--port 8199] [--keep-var]
"""

import argparse
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "demo-Terugkeer-2026"  # noqa: S105 - the demo accounts' published password
VIEWPORT = {"width": 1280, "height": 900}
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run"]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def run(env, *args):
    subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True)


def wait_until_up(url: str, server: subprocess.Popen, seconds: float = 60) -> None:
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


def portal_trajectory_id(env) -> int:
    """The demo employee's own trajectory: the coach's trajectory page shows the same case as the
    portal screenshot."""
    code = (
        "from terugkeer.accounts.models import User;"
        "u = User.objects.get(username='medewerker');"
        "print(u.employee.trajectories.filter(closed_on__isnull=True).get().pk)"
    )
    out = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", code],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    return int(out.stdout.strip().splitlines()[-1])


def sign_in(page, base: str, username: str) -> None:
    page.context.clear_cookies()
    page.goto(f"{base}/aanmelden/")
    page.get_by_label("Gebruikersnaam").fill(username)
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Aanmelden").click()
    page.wait_for_load_state()


def shoot(base: str, trajectory_id: int, out: Path) -> list[Path]:
    from playwright.sync_api import sync_playwright

    executable = shutil.which("chromium") or "/usr/bin/chromium"
    shots = [
        ("coach", "/", "home.png"),
        ("coach", f"/trajecten/{trajectory_id}/", "trajectory.png"),
        ("medewerker", "/mijn-traject/", "portal.png"),
    ]
    saved = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport=VIEWPORT, locale="nl-BE")
        signed_in_as = None
        for username, path, name in shots:
            if username != signed_in_as:
                sign_in(page, base, username)
                signed_in_as = username
            response = page.goto(base + path)
            if response is None or response.status != 200:
                raise SystemExit(f"{path} as {username}: {response and response.status}")
            page.wait_for_load_state("networkidle")
            target = out / name
            page.screenshot(path=str(target))  # the first screen, as a visitor sees it
            saved.append(target)
        browser.close()
    return saved


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    parser.add_argument("--port", type=int, default=0, help="default: a free port")
    parser.add_argument("--keep-var", action="store_true", help="keep the demo database")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    port = args.port or free_port()
    var_dir = Path(tempfile.mkdtemp(prefix="terugkeer-screenshots-"))
    env = {
        **{k: v for k, v in os.environ.items() if k != "DATABASE_URL"},
        "TERUGKEER_VAR_DIR": str(var_dir),
        "DEBUG": "1",
        "TERUGKEER_MFA_REQUIRED": "0",
        "TERUGKEER_PRODUCTION": "0",
    }
    server = None
    try:
        run(env, "migrate", "--noinput", "-v0")
        run(env, "demo_data", "--quiet")
        trajectory_id = portal_trajectory_id(env)
        server = subprocess.Popen(
            [sys.executable, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,  # its own process group: stopped as one below
        )
        base = f"http://127.0.0.1:{port}"
        wait_until_up(f"{base}/health/live", server)
        for path in shoot(base, trajectory_id, args.out):
            print(path.relative_to(ROOT) if path.is_relative_to(ROOT) else path)
    finally:
        if server is not None and server.poll() is None:
            os.killpg(server.pid, signal.SIGTERM)
            try:
                server.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(server.pid, signal.SIGKILL)
        if args.keep_var:
            print(f"demo database kept in {var_dir}")
        else:
            shutil.rmtree(var_dir, ignore_errors=True)


if __name__ == "__main__":
    main()
