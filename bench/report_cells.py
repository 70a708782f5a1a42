"""Every cell of every report and dashboard of the benchmark organisation, for an old/new check.

    DATABASE_URL=... .venv/bin/python bench/report_cells.py dump <source tree> <out.pkl> [--hoc]
    .venv/bin/python bench/report_cells.py compare <old.pkl> <new.pkl>

dump: with the report code of <source tree> (e.g. a detached `git worktree` of main), the HOC
report, every policy domain's and every entity's (with the tables shown elsewhere, the
dashboard's months), years 2024-2026, report days 30/06/2025 and 26/11/2026, and every scope's
dashboard on both days; each cell as (value, hidden, mark, kind, display). --hoc: the HOC only.
compare: the number of cells and the ones that differ (docs/performance.md, "Reports").
"""

from __future__ import annotations

import os
import pickle
import sys
import time
from datetime import date


def dump(code: str, out: str, hoc_only: bool) -> None:
    sys.path.insert(0, code)
    os.chdir(code)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "terugkeer.settings")
    import django

    django.setup()
    from django.core.cache import cache

    from terugkeer.organisations.models import Organisation, Unit
    from terugkeer.reports import compute
    from terugkeer.reports.compute import build_report
    from terugkeer.reports.dashboard import build_dashboard
    from terugkeer.reports.scopes import Scope

    org = Organisation.objects.get(name="Vlaamse overheid (bench)")
    scopes = [Scope("organisation", org.pk, org.pk, org.name)]
    if not hoc_only:
        units = Unit.objects.filter(organisation=org).order_by("pk")
        for d in units.filter(kind=Unit.Kind.POLICY_DOMAIN):
            scopes.append(Scope("policy_domain", d.pk, org.pk, d.name))
        for u in units.filter(is_entity=True):
            scopes.append(Scope("entity", u.pk, org.pk, u.name))

    def cells(table):
        def one(c):
            return (c.value, c.suppressed, c.secondary, c.kind, c.display)

        rows = tuple(
            (r.label, r.is_total, tuple(map(one, r.current)), tuple(map(one, r.previous)))
            for r in table.rows
        )
        return (table.key, table.title, tuple(table.columns), rows)

    result = {}
    started = time.time()
    cache.clear()
    compute._CACHE.clear()
    for day in (date(2025, 6, 30), date(2026, 11, 26)):
        for year in (2024, 2025, 2026):
            for s in scopes:
                r = build_report(s, year, today=day)
                extra = {k: cells(t) for k, t in r.extra_tables.items()}
                result["report", s.kind, s.pk, year, day] = (
                    r.unpublished,
                    [cells(t) for t in r.tables],
                    extra,
                )
        for s in scopes:
            result["dashboard", s.kind, s.pk, day.year, day] = [
                cells(t) for t in build_dashboard(s, day.year, day)
            ]
    with open(out, "wb") as f:
        pickle.dump(result, f)
    print(
        f"{len(scopes)} scopes, {len(result)} reports and dashboards, {time.time() - started:.0f} s"
    )


def compare(old_path: str, new_path: str) -> int:
    with open(old_path, "rb") as f:
        old = pickle.load(f)  # noqa: S301 (our own dump)
    with open(new_path, "rb") as f:
        new = pickle.load(f)  # noqa: S301
    counted = different = 0

    def tables(entry):
        if isinstance(entry, tuple):  # a report: (unpublished, tables, tables elsewhere)
            return [*entry[1], *entry[2].values()]
        return entry

    if old.keys() != new.keys():
        print("different reports:", sorted(set(old) ^ set(new), key=repr)[:10])
        different += len(set(old) ^ set(new))
    for key in old.keys() & new.keys():
        a, b = tables(old[key]), tables(new[key])
        if [t[:3] for t in a] != [t[:3] for t in b]:
            different += 1
            print("different tables:", key)
            continue
        for ta, tb in zip(a, b, strict=True):
            if len(ta[3]) != len(tb[3]):
                different += 1
                print("different rows:", key, ta[0])
                continue
            for ra, rb in zip(ta[3], tb[3], strict=True):
                for ca, cb in zip((*ra[2], *ra[3]), (*rb[2], *rb[3]), strict=True):
                    counted += 1
                    if ca != cb or ra[:2] != rb[:2]:
                        different += 1
                        if different <= 10:
                            print("different:", key, ta[0], ra[0], ca, cb)
    print(f"{len(old)} reports and dashboards, {counted} cells, {different} different")
    return 1 if different else 0


if __name__ == "__main__":
    if len(sys.argv) >= 4 and sys.argv[1] == "dump":
        dump(sys.argv[2], sys.argv[3], "--hoc" in sys.argv[4:])
    elif len(sys.argv) == 4 and sys.argv[1] == "compare":
        sys.exit(compare(sys.argv[2], sys.argv[3]))
    else:
        sys.exit(__doc__)
