"""The accessibility evaluation again, by one command: `make axe`.

Builds the demo (scripts/demo_server.py), then signs in as every demo account and runs axe-core
(WCAG 2.0/2.1 A and AA rules; the same helper as the browser tests,
tests/browser/conftest.py::axe_violations) on every page of that role's menu, the role's own
detail pages (a trajectory, an employee) and the help; signed out, on the sign-in page and the
accessibility statement. The admin's pages (/beheer/, Django's own) are in the functioneel
beheerder's menu and checked like the others. Prints one line per page and every violation
found; exits non-zero when a page has a serious or critical one (the threshold the browser
tests enforce) or does not answer 200.

    python scripts/axe.py [--employees N] [--all-impacts]
"""

import argparse
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from demo_server import chromium_page, demo_server, sign_in  # noqa: E402

from tests.browser.conftest import axe_violations  # noqa: E402

# Demo account -> its guide (docs/guide/, /hulp/<guide>/).
ACCOUNTS = {
    "coach": "terugkeercoach",
    "leidinggevende": "leidinggevende",
    "hr": "hr",
    "adviseur": "adviseur",
    "arts": "arbeidsarts",
    "smt": "smt",
    "rapporteur": "rapporteur",
    "beheerder": "beheerder",
    "medewerker": "medewerker",
}
SIGNED_OUT = ["/aanmelden/", "/toegankelijkheid/"]
# Pages every signed-in user has, besides the menu.
ALWAYS = ["/hulp/"]
# Detail pages: the first trajectory the account's home page links to, and the first employee
# the home page or that trajectory links to.
DETAILS = [r"^/trajecten/\d+/$", r"^/medewerkers/\d+/$"]


def pages_of(page, base: str, guide: str) -> list[str]:
    """The signed-in account's menu, its detail pages and its guide."""
    page.goto(base + "/")
    menu = page.eval_on_selector_all(
        "nav .nav a", "links => links.map(a => a.getAttribute('href'))"
    )
    details = []
    for pattern in DETAILS:  # from the home page, else from the trajectory found before
        for where in ("/", *details):
            page.goto(base + where)
            links = page.eval_on_selector_all(
                "main a", "links => links.map(a => a.getAttribute('href'))"
            )
            found = next((h for h in links if h and re.match(pattern, h)), None)
            if found:
                details.append(found)
                break
    paths = ["/", *menu, *ALWAYS, f"/hulp/{guide}/", *details]
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
        with chromium_page() as page:

            def check(who: str, path: str) -> None:
                nonlocal failing, checked
                response = page.goto(demo.base + path)
                page.wait_for_load_state("networkidle")
                status = response.status if response else "?"
                blocking = axe_violations(page)
                if status != 200:  # not evaluated: count it as a failure, never as clean
                    blocking = [f"HTTP {status}: page not evaluated", *blocking]
                others = axe_violations(page, shown) if shown else []
                checked += 1
                failing += bool(blocking)
                verdict = "FAIL" if blocking else "ok  "
                print(f"{verdict} {who:<15} {path}  (HTTP {status})")
                for line in sorted(set(blocking) | set(others)):
                    print(f"       {line}")

            for path in SIGNED_OUT:
                check("(afgemeld)", path)
            for username, guide in ACCOUNTS.items():
                sign_in(page, demo.base, username)
                for path in pages_of(page, demo.base, guide):
                    check(username, path)
    print(f"\n{checked} pages checked, {failing} with serious or critical violations.")
    return 1 if failing else 0


if __name__ == "__main__":
    sys.exit(main())
