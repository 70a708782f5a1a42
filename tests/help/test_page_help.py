""" "Hoe werkt dit?" on the main pages, the guides' screenshots, and the stylesheet's contrast."""

import re
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone

from terugkeer.help.context_processors import PAGE_GUIDES
from terugkeer.help.markdown import heading_id, render
from terugkeer.help.views import GUIDE_DIR, GUIDES
from terugkeer.trajectories import services
from terugkeer.trajectories.models import Trajectory
from tests.factories import UserFactory

ROOT = Path(__file__).resolve().parent.parent.parent
sys.path.insert(0, str(ROOT / "scripts"))

import contrast  # noqa: E402  (scripts/contrast.py)
import screenshots  # noqa: E402  (scripts/screenshots.py)


def _help_link(html: str) -> str | None:
    found = re.search(r'<p class="page-help"><a href="([^"]+)">Hoe werkt dit\?</a>', html)
    return found.group(1) if found else None


@pytest.mark.parametrize(
    ("username", "path", "expected"),
    [
        ("alice", "/trajecten/", "/hulp/terugkeercoach/#uw-startpagina"),
        ("bob", "/trajecten/", "/hulp/leidinggevende/#uw-trajecten"),
        ("alice", "/medewerkers/", "/hulp/terugkeercoach/#een-afwezigheid-registreren"),
        ("hannah", "/importeren/", "/hulp/hr/#medewerkers-en-afwezigheden-inlezen"),
        ("hannah", "/samenwerking/afstemming/", "/hulp/hr/#periodieke-afstemming"),
        ("rita", "/rapporten/", "/hulp/rapporteur/"),
        ("sam", "/samenwerking/", "/hulp/smt/#samenwerking"),
        ("bert", "/inrichten/", "/hulp/beheerder/#een-nieuwe-organisatie-inrichten"),
    ],
)
def test_main_pages_link_to_the_guide_of_the_users_role(world, client, username, path, expected):
    client.force_login(getattr(world, username))
    response = client.get(path, follow=True)
    assert response.status_code == 200
    assert _help_link(response.content.decode()) == expected


def test_the_trajectory_employee_and_portal_pages_have_the_link(world, client):
    services.absence_register(
        actor=world.alice, employee=world.emp_a, first_day=timezone.localdate() - timedelta(days=60)
    )
    trajectory = Trajectory.objects.get(employee=world.emp_a)
    client.force_login(world.alice)
    html = client.get(f"/trajecten/{trajectory.pk}/").content.decode()
    assert _help_link(html) == "/hulp/terugkeercoach/#een-traject-opvolgen"
    html = client.get(f"/medewerkers/{world.emp_a.pk}/").content.decode()
    assert _help_link(html) == "/hulp/terugkeercoach/#een-afwezigheid-registreren"
    client.force_login(world.bob)  # the manager of emp_a
    html = client.get(f"/trajecten/{trajectory.pk}/").content.decode()
    assert _help_link(html) == "/hulp/leidinggevende/#contact-houden"
    employee_user = UserFactory(username="eva", organisation=world.vo, employee=world.emp_a)
    client.force_login(employee_user)
    assert _help_link(client.get("/mijn-traject/").content.decode()) == "/hulp/medewerker/"


def test_pages_without_a_guide_section_have_no_link(world, client):
    client.force_login(world.alice)
    assert _help_link(client.get("/hulp/").content.decode()) is None
    assert _help_link(client.get("/toolbox/").content.decode()) is None


def test_every_section_a_help_link_points_at_exists_in_its_guide():
    for page, guides in PAGE_GUIDES.items():
        for slug, section in guides:
            assert slug in GUIDES, (page, slug)
            html = render((GUIDE_DIR / f"{slug}.md").read_text())
            if section:
                assert f'id="{heading_id(section)}"' in html, (page, slug, section)


def test_every_guide_screenshot_is_shown_by_a_guide_and_exists():
    referenced = set()
    for slug in GUIDES:
        guide = (GUIDE_DIR / f"{slug}.md").read_text()
        referenced |= set(re.findall(r"!\[[^\]]+\]\(img/([a-z0-9-]+\.png)\)", guide))
    made = {name for _user, _path, name in screenshots.GUIDE_SHOTS}
    assert referenced == made
    for slug in GUIDES:  # one or two per role
        assert any(name.startswith(f"{slug}-") for name in made), slug
    for name in made:
        image = GUIDE_DIR / "img" / name
        assert image.is_file() and image.stat().st_size > 10_000, name


def test_the_in_app_guide_shows_its_screenshots_as_static_files(world, client):
    client.force_login(world.alice)
    html = client.get("/hulp/terugkeercoach/").content.decode()
    assert '<img src="/static/guide/img/terugkeercoach-start.png" alt="' in html
    assert '<a href="/static/guide/img/terugkeercoach-start.png"><img' in html
    from django.contrib.staticfiles import finders

    assert finders.find("guide/img/terugkeercoach-start.png")


def test_the_markdown_image_is_escaped_and_only_from_img():
    html = render(
        '![Een "scherm" <b>](img/x-y.png)\n\n![elders](../elders.png)\n',
        url_for_image=lambda name: f"/static/guide/img/{name}",
    )
    assert '<img src="/static/guide/img/x-y.png" alt="Een &quot;scherm&quot; &lt;b&gt;"' in html
    assert "<img" not in html.split("</p>", 1)[1]  # not an image from outside img/


def test_the_stylesheet_text_colours_meet_the_contrast_minimum():
    results = contrast.check()
    assert len(results) == len(contrast.PAIRS)
    low = [(fg, bg, where, round(value, 2)) for fg, bg, where, value in results if value < 4.5]
    assert low == []
    # The check can fail: a light grey for the muted text would be caught.
    css = contrast.CSS.read_text().replace("--muted: #5f6b7a", "--muted: #8a8a8a")
    assert any(value < 4.5 for _fg, _bg, _w, value in contrast.check(css))
