"""`make screenshots` regenerates the user guides' screenshots from the demo (issue 20): run the
command itself on a smaller demo into a temporary folder, and check every file is there and is
a plausible screenshot (a PNG of some size; pixels are not compared: the dates follow today).
Then the in-app guide shows the committed ones."""

import subprocess
import sys
from pathlib import Path

import pytest

from tests.browser.conftest import sign_in
from tests.factories import PASSWORD

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parent.parent.parent
sys.path.insert(0, str(ROOT / "scripts"))

from screenshots import DOC_SHOTS, GUIDE_SHOTS  # noqa: E402


def test_make_screenshots_regenerates_every_guide_image(tmp_path):
    docs, guide = tmp_path / "screenshots", tmp_path / "guide"
    subprocess.run(
        [
            sys.executable,
            "scripts/screenshots.py",
            "--out",
            docs,
            "--guide-out",
            guide,
            "--employees",
            "300",
        ],
        cwd=ROOT,
        check=True,
        timeout=300,
    )
    expected = [docs / name for *_, name in DOC_SHOTS] + [guide / name for *_, name in GUIDE_SHOTS]
    for image in expected:
        assert image.is_file(), image.name
        data = image.read_bytes()
        assert data[:8] == b"\x89PNG\r\n\x1a\n", image.name
        assert len(data) > 20_000, (image.name, len(data))  # a page, not a blank screen
    assert sorted(p.name for p in guide.iterdir()) == sorted(name for *_, name in GUIDE_SHOTS)


def test_the_in_app_guide_shows_its_screenshots(transactional_db, world, live_server, page):
    sign_in(page, live_server, "alice", PASSWORD)
    page.goto(f"{live_server.url}/hulp/terugkeercoach/")
    images = page.locator("main img")
    assert images.count() == 2
    for i in range(images.count()):
        width = images.nth(i).evaluate("img => img.complete && img.naturalWidth")
        assert width == 1280  # the file was served and decoded
