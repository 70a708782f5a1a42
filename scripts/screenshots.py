"""Regenerate the screenshots: `make screenshots`.

Two sets, from the same demo:
- docs/screenshots/ (README and docs/ show them): the coach's home, the trajectory page and the
  employee's portal;
- docs/guide/img/<guide>-<page>.png: one or two per role for the user guides in docs/guide/
  (the in-app help serves them as static files under /static/guide/img/).

Builds the demo in a throwaway database, serves it on loopback (scripts/demo_server.py), signs in
with Playwright on Debian's chromium as each demo account, saves the first screen of each page,
and stops the server again. Same data every run (the demo generator is seeded), except for the
dates, which follow today. `--employees` builds a smaller demo (the CI test uses it: faster,
the same pages).

    python scripts/screenshots.py [--out docs/screenshots] [--guide-out docs/guide/img]
                                  [--port 8199] [--employees N] [--keep-var]
"""

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from demo_server import ROOT, chromium_page, demo_server, sign_in  # noqa: E402

# The demo employee's own trajectory: the coach's trajectory page shows the same case as the
# portal screenshot. The demo manager: HR's periodic alignment with that manager's team.
TRAJECTORY = "{trajectory}"
MANAGER = "{manager}"

# (demo account, page, file name in docs/screenshots/)
DOC_SHOTS = [
    ("coach", "/", "home.png"),
    ("coach", f"/trajecten/{TRAJECTORY}/", "trajectory.png"),
    ("medewerker", "/mijn-traject/", "portal.png"),
]

# (demo account, page, file name in docs/guide/img/): named after the guide (docs/guide/<guide>.md).
GUIDE_SHOTS = [
    ("coach", "/", "terugkeercoach-start.png"),
    ("coach", f"/trajecten/{TRAJECTORY}/", "terugkeercoach-traject.png"),
    ("leidinggevende", "/", "leidinggevende-start.png"),
    ("leidinggevende", "/trajecten/", "leidinggevende-trajecten.png"),
    ("hr", "/importeren/", "hr-importeren.png"),
    ("hr", f"/samenwerking/afstemming/?leidinggevende={MANAGER}", "hr-afstemming.png"),
    ("adviseur", "/samenwerking/", "adviseur-samenwerking.png"),
    ("arts", "/", "arbeidsarts-start.png"),
    ("smt", "/samenwerking/", "smt-samenwerking.png"),
    ("rapporteur", "/rapporten/", "rapporteur-rapporten.png"),
    ("rapporteur", "/rapporten/jaarrapport/", "rapporteur-jaarrapport.png"),
    ("beheerder", "/inrichten/", "beheerder-inrichten.png"),
    ("beheerder", "/audit/toegang/", "beheerder-toegang.png"),
    ("medewerker", "/mijn-traject/", "medewerker-portaal.png"),
]


def demo_ids(demo) -> dict[str, str]:
    trajectory, manager = demo.shell(
        "from terugkeer.accounts.models import User;"
        "u = User.objects.get(username='medewerker');"
        "t = u.employee.trajectories.filter(closed_on__isnull=True).get();"
        "print(t.pk, User.objects.get(username='leidinggevende').pk)"
    ).split()
    return {TRAJECTORY: trajectory, MANAGER: manager}


def fill(path: str, ids: dict[str, str]) -> str:
    for placeholder, value in ids.items():
        path = path.replace(placeholder, value)
    return path


def shoot(base: str, shots: list[tuple[str, str, Path]]) -> list[Path]:
    saved = []
    with chromium_page() as page:
        signed_in_as = None
        for username, path, target in sorted(shots, key=lambda shot: shot[0]):
            if username != signed_in_as:
                sign_in(page, base, username)
                signed_in_as = username
            response = page.goto(base + path)
            if response is None or response.status != 200:
                raise SystemExit(f"{path} as {username}: {response and response.status}")
            page.wait_for_load_state("networkidle")
            page.screenshot(path=str(target))  # the first screen, as a visitor sees it
            saved.append(target)
    return saved


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    parser.add_argument("--guide-out", type=Path, default=ROOT / "docs" / "guide" / "img")
    parser.add_argument("--port", type=int, default=0, help="default: a free port")
    parser.add_argument("--employees", type=int, default=None, help="a smaller demo")
    parser.add_argument("--keep-var", action="store_true", help="keep the demo database")
    args = parser.parse_args()
    for folder in (args.out, args.guide_out):
        folder.mkdir(parents=True, exist_ok=True)
    with demo_server(port=args.port, employees=args.employees, keep_var=args.keep_var) as demo:
        ids = demo_ids(demo)
        shots = [
            (user, fill(path, ids), folder / name)
            for folder, group in ((args.out, DOC_SHOTS), (args.guide_out, GUIDE_SHOTS))
            for user, path, name in group
        ]
        for path in shoot(demo.base, shots):
            print(path.relative_to(ROOT) if path.is_relative_to(ROOT) else path)


if __name__ == "__main__":
    main()
