"""The accessibility evaluation again, by one command: `make axe`.

Builds the demo (scripts/demo_server.py), then signs in as every demo account and runs axe-core
(WCAG 2.0/2.1 A and AA rules; the same helper as the browser tests,
tests/browser/conftest.py::axe_violations) on every page of that role's menu, the role's own
detail pages (a trajectory, an employee) and the help; signed out, on the sign-in page and the
accessibility statement. Prints one line per page and every violation found; exits non-zero
when a page has a serious or critical one (the threshold the browser tests enforce).

    python scripts/axe.py [--employees N] [--all-impacts]
"""

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from demo_server import chromium_page, demo_server, sign_in  # noqa: E402

from tests.browser.conftest import axe_violations  # noqa: E402

ACCOUNTS = [
    "coach",
    "leidinggevende",
    "hr",
    "adviseur",
    "arts",
    "smt",
    "rapporteur",
    "beheerder",
    "medewerker",
]
SIGNED_OUT = ["/aanmelden/", "/toegankelijkheid/"]
# Pages every signed-in user has, besides the menu.
ALWAYS = ["/hulp/"]
# Detail pages, for the accounts whose menu leads to them (a list in the menu, its detail here).
DETAILS = {
    "/trajecten/": "/trajecten/{trajectory}/",
    "/medewerkers/": "/medewerkers/{employee}/",
}


def demo_ids(demo) -> dict[str, int]:
    line = demo.shell(
        "from terugkeer.accounts.models import User;"
        "e = User.objects.get(username='medewerker').employee;"
        "t = e.trajectories.filter(closed_on__isnull=True).get();"
        "print(t.pk, e.pk)"
    )
    trajectory, employee = line.split()
    return {"trajectory": int(trajectory), "employee": int(employee)}


def pages_of(page, base: str, ids: dict[str, int]) -> list[str]:
    """The signed-in account's menu, its detail pages and the help."""
    page.goto(base + "/")
    menu = page.eval_on_selector_all(
        "nav .nav a", "links => links.map(a => a.getAttribute('href'))"
    )
    paths = ["/", *[path for path in menu if path != "/"], *ALWAYS]
    paths += [DETAILS[path].format(**ids) for path in menu if path in DETAILS]
    paths += page.eval_on_selector_all(
        "main a[href^='/hulp/']", "links => links.map(a => a.getAttribute('href'))"
    )[:1]
    seen = set()
    return [path for path in paths if not (path in seen or seen.add(path))]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--employees", type=int, default=None, help="a smaller demo")
    parser.add_argument("--all-impacts", action="store_true", help="also minor and moderate")
    args = parser.parse_args()
    shown = ("minor", "moderate", "serious", "critical") if args.all_impacts else None
    failing = 0
    checked = 0
    with demo_server(employees=args.employees) as demo:
        ids = demo_ids(demo)
        with chromium_page() as page:

            def check(who: str, path: str) -> None:
                nonlocal failing, checked
                response = page.goto(demo.base + path)
                page.wait_for_load_state("networkidle")
                status = response.status if response else "?"
                blocking = axe_violations(page)
                others = axe_violations(page, shown) if shown else []
                checked += 1
                failing += bool(blocking)
                verdict = "FAIL" if blocking else "ok  "
                print(f"{verdict} {who:<15} {path}  (HTTP {status})")
                for line in sorted(set(blocking) | set(others)):
                    print(f"       {line}")

            for path in SIGNED_OUT:
                check("(afgemeld)", path)
            for username in ACCOUNTS:
                sign_in(page, demo.base, username)
                for path in pages_of(page, demo.base, ids):
                    check(username, path)
    print(f"\n{checked} pages checked, {failing} with serious or critical violations.")
    return 1 if failing else 0


if __name__ == "__main__":
    sys.exit(main())
