"""The screenshots the README and docs/ show exist and come from one command (issue 15).

Running the command itself (a demo build and a browser) is the browser test
tests/browser/test_guide_screenshots.py; this checks that what the documents point at is there
and how it is made."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHOTS = {"home.png", "trajectory.png", "portal.png"}


def _images(markdown: Path) -> set[Path]:
    found = re.findall(r"!\[[^\]]+\]\(([^)\s]+\.png)\)", markdown.read_text())
    return {(markdown.parent / ref).resolve() for ref in found}


def test_every_image_the_documents_show_exists():
    documents = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
    images = {image for doc in documents for image in _images(doc)}
    assert {image.name for image in images} >= SHOTS
    missing = sorted(str(image.relative_to(ROOT)) for image in images if not image.is_file())
    assert missing == []


def test_the_screenshots_are_regenerated_by_make_screenshots():
    makefile = (ROOT / "Makefile").read_text()
    assert re.search(r"^screenshots:.*\n\t\$\(PY\) scripts/screenshots\.py$", makefile, re.M)
    script = (ROOT / "scripts" / "screenshots.py").read_text()
    script += (ROOT / "scripts" / "demo_server.py").read_text()  # the demo it serves
    for name in SHOTS:
        assert f'"{name}"' in script
    assert "127.0.0.1" in script and "killpg" in script  # loopback only, and stopped again
