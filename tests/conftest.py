"""A small world with a persona per role, shared by the tests.

Organisation "VO" has two entities, A and B, each with a team; "Stad" is a second tenant.
alice is the coach of A, bob the line manager of A's team, hannah HR of A, adam the adviser
of the whole VO, dora the occupational physician, rita the rapporteur, bert the functioneel
beheerder, carl the coach of B, and zoe the coach of the other organisation.
"""

import os
import shutil
from types import SimpleNamespace

import pytest

from terugkeer.accounts.models import Role
from tests.factories import (
    EmployeeFactory,
    OrganisationFactory,
    UserFactory,
    grant,
    make_unit,
)


@pytest.fixture(autouse=True)
def _empty_cache(settings):
    """A cache in memory (the database cache's table is tested in tests/test_health.py), empty
    at the start of every test: cached values must not outlive a test's database rows."""
    from django.core.cache import cache

    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    cache.clear()


def pytest_collection_modifyitems(config, items):
    """The 100,000-row browser import (marker bigimport) runs only when asked for by name
    (`make test-bigimport`): it takes minutes, the rest of the suite seconds."""
    if "bigimport" in (config.option.markexpr or ""):
        return
    skip = pytest.mark.skip(reason="minutes long: run with -m bigimport (make test-bigimport)")
    for item in items:
        if "bigimport" in item.keywords:
            item.add_marker(skip)


@pytest.fixture
def immediate_tasks(settings):
    """Background tasks run at once when enqueued (django-tasks' ImmediateBackend): for tests
    of a page's flow. The worker itself (manage.py run_tasks) is run for real in
    tests/imports/test_background.py and tests/reminders."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture(autouse=True)
def _dutch_unless_asked():
    """Every test starts in Dutch, the default: a request with the English cookie leaves English
    active in the thread (LocaleMiddleware activates it and nothing resets it), which would
    otherwise change the messages the next test reads."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """PBKDF2's million rounds cost ~0.25 s per test user; the tests check who may sign in,
    not the hash (Django's advice for test suites). Production keeps the default hashers."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _no_mfa_unless_asked(request, settings):
    """Two-factor sign-in is tested in tests/accounts/test_mfa.py; elsewhere it is off."""
    if "mfa" not in request.keywords:
        settings.TERUGKEER = {**settings.TERUGKEER, "MFA_REQUIRED": False}


@pytest.fixture
def world(db):
    vo = OrganisationFactory(name="Vlaamse overheid (test)", kind="vo")
    stad = OrganisationFactory(name="Stad Test", kind="local")
    domain = make_unit(vo, "Beleidsdomein Test", "BD", kind="policy_domain")
    entity_a = make_unit(vo, "Agentschap A", "A", kind="agency", parent=domain, is_entity=True)
    entity_b = make_unit(vo, "Agentschap B", "B", kind="agency", parent=domain, is_entity=True)
    team_a = make_unit(vo, "Team A1", "A1", parent=entity_a)
    team_a2 = make_unit(vo, "Team A2", "A2", parent=entity_a)
    team_b = make_unit(vo, "Team B1", "B1", parent=entity_b)
    stad_entity = make_unit(stad, "Stad Test", "ST", kind="administration", is_entity=True)
    stad_team = make_unit(stad, "Burgerzaken", "ST1", kind="service", parent=stad_entity)

    w = SimpleNamespace(
        vo=vo,
        stad=stad,
        entity_a=entity_a,
        entity_b=entity_b,
        team_a=team_a,
        team_a2=team_a2,
        team_b=team_b,
        stad_team=stad_team,
        domain=domain,
    )
    w.alice = grant(UserFactory(username="alice", organisation=vo), Role.COACH, vo, entity_a)
    w.bob = grant(UserFactory(username="bob", organisation=vo), Role.MANAGER, vo, None)
    w.hannah = grant(UserFactory(username="hannah", organisation=vo), Role.HR, vo, entity_a)
    w.adam = grant(UserFactory(username="adam", organisation=vo), Role.ADVISER, vo)
    w.dora = grant(UserFactory(username="dora", organisation=vo), Role.PHYSICIAN, vo)
    w.sam = grant(UserFactory(username="sam", organisation=vo), Role.SMT, vo)
    w.rita = grant(UserFactory(username="rita", organisation=vo), Role.REPORTER, vo)
    w.bert = grant(UserFactory(username="bert", organisation=vo), Role.ADMIN, vo)
    w.carl = grant(UserFactory(username="carl", organisation=vo), Role.COACH, vo, entity_b)
    w.zoe = grant(UserFactory(username="zoe", organisation=stad), Role.COACH, stad, stad_entity)

    w.emp_a = EmployeeFactory(unit=team_a, manager=w.bob, last_name="Aerts")
    w.emp_a_other_team = EmployeeFactory(unit=team_a2, last_name="Andries")
    w.emp_b = EmployeeFactory(unit=team_b, last_name="Baert")
    w.emp_stad = EmployeeFactory(unit=stad_team, last_name="Stevens")
    return w


# --- the browser: Playwright on Debian's chromium against pytest-django's live server -------
# One session-wide browser for every browser test, wherever it lives.

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def chromium():
    # Playwright's sync API runs an event loop in this thread; the ORM must still be allowed
    # (set here, only when a browser test runs, so that no other process inherits it).
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    executable = shutil.which("chromium")
    if executable is None:
        pytest.fail("Debian's chromium is not installed (apt-get install chromium)")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(chromium):
    context = chromium.new_context(bypass_csp=True, locale="nl-BE")
    page = context.new_page()
    page.set_default_timeout(15000)
    yield page
    context.close()
