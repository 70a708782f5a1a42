"""English all the way down: every text the rules engine can write (obligation titles, their
"why", sources, code labels, term units) and the import's labels exist in the English
catalogue, keep their placeholders, and contain no Dutch; the engine stays Dutch by default."""

import ast
import re
from pathlib import Path

import pytest
from django.utils import translation
from django.utils.translation import trans_real
from hypothesis import HealthCheck, given, settings

from terugkeer.imports import parsing
from terugkeer.rules import Policy, evaluate
from terugkeer.trajectories.labels import CODE_LISTS, in_active_language, label
from tests.rules._helpers import D, e, mk
from tests.rules.test_properties import facts_and_today

RULES = Path(__file__).resolve().parent.parent / "terugkeer" / "rules"

# Words that are Dutch and not English: one of them in an English text means a sentence or a
# label was left untranslated. (Not "door", "was", "men"...: English words too.)
DUTCH_WORDS = frozenset(
    """de het een van op met niet geen en voor na bij tot als dat wordt werd zijn worden nog
    ook maar dan werkgever werknemers medewerker leidinggevende traject trajecten dagen weken
    maanden maand dag arbeidsarts gesprek verzoek beslissing stap stappen afwezigheid
    afwezig hervat hervatting werkhervatting wet ontvangen termijn kalenderdagen beroep
    ingesteld vastgesteld arbeidsongeschikt arbeidsongeschiktheid gevraagd kader herval
    contactwensen afspraken stappenplan gedaan bezorgd geweigerd uitnodigingen sinds vanaf
    telefoon kaartje bezoek andere pensioen overlijden mogelijk inschatting arbeidspotentieel
    preventief preventiedienst omzendbrief handelingskader leeftijd jaar eenheden medewerkers
    afwezigheden afgerond gemist binnenkort laat toepassing kolom bestand rij""".split()
)


def dutch_words(text: str) -> set[str]:
    return {w for w in re.findall(r"[a-zà-ÿ]+", text.lower()) if w in DUTCH_WORDS}


def engine_message_ids() -> list[str]:
    """Every literal the engine passes through _() or marks with gettext_noop."""
    found = []
    for path in sorted(RULES.glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name)
                and node.func.id in ("_", "gettext_noop")
                and node.args
                and isinstance(node.args[0], ast.Constant)
            ):
                found.append(node.args[0].value)
    return sorted(set(found))


def english_catalogue() -> dict:
    return trans_real.translation("en")._catalog


def test_the_engine_marks_its_texts_and_imports_nothing_of_django():
    ids = engine_message_ids()
    assert len(ids) > 200
    for path in RULES.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                names = [node.module or ""]
            assert not any(n.startswith("django") for n in names), path


def test_every_engine_text_has_an_english_entry_with_its_placeholders_and_no_dutch():
    catalogue = english_catalogue()
    missing, broken, dutch = [], [], []
    for msgid in engine_message_ids():
        english = catalogue.get(msgid)
        if english is None:
            missing.append(msgid)
            continue
        if sorted(re.findall(r"\{\w+\}", english)) != sorted(re.findall(r"\{\w+\}", msgid)):
            broken.append(msgid)
        if dutch_words(re.sub(r"\{\w+\}", "", english)):
            dutch.append((english, dutch_words(english)))
    assert not missing, missing
    assert not broken, broken
    assert not dutch, dutch


@pytest.mark.parametrize("name", sorted(CODE_LISTS))
def test_every_code_label_renders_in_both_languages(name):
    mapping = CODE_LISTS[name]
    for code, dutch in mapping.items():
        with translation.override("nl-be"):
            assert label(mapping, code) == dutch
        with translation.override("en"):
            english = label(mapping, code)
        assert code in english or english != dutch or dutch in ("open",), (name, code)
        assert not dutch_words(english), (name, code, english)


def test_the_import_kind_labels_in_english():
    with translation.override("en"):
        shown = {translation.gettext(v) for v in parsing.KIND_LABELS.values()}
    assert shown == {"units", "employees", "absences"}


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(facts_and_today())
def test_every_obligation_comes_out_in_english_and_stays_dutch_by_default(case):
    facts, today = case
    policy = Policy.default(facts.organisation_kind)
    dutch = evaluate(facts, policy, today)
    with translation.override("en"), in_active_language():
        english = evaluate(facts, policy, today)
    # Same obligations, same dates and statuses: only the words differ.
    assert [(o.code, o.due, o.status) for o in english] == [
        (o.code, o.due, o.status) for o in dutch
    ]
    for o in english:
        for text in (o.title, o.why, o.source):
            assert not dutch_words(text), (o.code, text)
    # Outside the block the engine is Dutch again (what a trajectory stores).
    assert evaluate(facts, policy, today) == dutch


# The obligations random trajectories seldom reach, each with the facts that bring it about
# (taken from tests/rules): rendered in English like the others.
RARE = {
    "events_before_absence": (
        mk("2026-01-12", [e("conversation", "2026-01-05", outcome="possible")]),
        "2026-01-20",
    ),
    "appeal_inadmissible": (
        mk(
            "2026-01-12",
            [
                e("formal_request", "2026-03-12", by="employee"),
                e("assessment", "2026-05-01", decision="B"),
                e("appeal", "2026-05-31"),
            ],
        ),
        "2026-06-01",
    ),
    "appeal_decision": (
        mk(
            "2026-01-12",
            [
                e("formal_request", "2026-03-12", by="employee"),
                e("assessment", "2026-05-01", decision="B"),
                e("appeal", "2026-05-22"),
            ],
        ),
        "2026-05-23",
    ),
    "formal_ended_no_show": (
        mk(
            "2026-01-12",
            [
                e("formal_request", "2026-02-01", by="employee"),
                e("invitation", "2026-02-03", attended=False),
                e("invitation", "2026-02-17", attended=False),
                e("invitation", "2026-03-03", attended=False),
            ],
        ),
        "2026-03-04",
    ),
    "formal_request_deadline": (
        mk(
            "2026-01-12",
            [
                e("work_potential_request", "2026-03-09"),
                e("work_potential_result", "2026-03-20", result="found"),
            ],
        ),
        "2026-03-21",
    ),
    "plan_refused": (
        mk(
            "2026-01-12",
            [
                e("formal_request", "2026-02-02", by="employee"),
                e("assessment", "2026-03-02", decision="A"),
                e("plan", "2026-04-01"),
                e("contact", "2026-04-20", channel="call", by="hr"),
            ],
        ),
        "2026-05-10",
    ),
}


@pytest.mark.parametrize("code", sorted(RARE))
def test_the_rare_obligations_in_english(code):
    facts, today = RARE[code]
    with translation.override("en"), in_active_language():
        obligations = {o.code: o for o in evaluate(facts, None, D(today))}
    assert code in obligations
    for o in obligations.values():
        for text in (o.title, o.why, o.source):
            assert not dutch_words(text), (o.code, text)


def test_the_trajectory_page_shows_the_engine_in_english(world, client):
    from datetime import timedelta

    from django.utils import timezone

    from terugkeer.trajectories.services import absence_register

    first_day = timezone.localdate() - timedelta(days=40)
    absence_register(actor=world.alice, employee=world.emp_a, first_day=first_day)
    trajectory = world.emp_a.trajectories.get()
    client.force_login(world.alice)
    client.cookies["django_language"] = "en"
    page = client.get(f"/trajecten/{trajectory.pk}/").content.decode()
    assert "Keep in touch with the absent employee" in page
    assert "Conversation about steps towards work" in page
    assert "Contact houden met de afwezige medewerker" not in page
    # The lists (home and caseload) show the stored next step in English too.
    trajectory.refresh_from_db()
    assert trajectory.next_why  # stored in Dutch
    for path in ("/", "/trajecten/"):
        listed = client.get(path).content.decode()
        assert trajectory.next_why not in listed, path
        assert "Start of absence" in listed or "Next contact" in listed, path
    client.cookies["django_language"] = "nl-be"
    page = client.get(f"/trajecten/{trajectory.pk}/").content.decode()
    assert "Contact houden met de afwezige medewerker" in page
    assert trajectory.next_why in client.get("/trajecten/").content.decode()
