"""The contrast ratios (WCAG 2.1, 1.4.3) of the colour pairs Terugkeer's stylesheets use for
text: `python scripts/contrast.py` prints them and exits non-zero when one is below 4.5:1.

The colours are read from the `:root` custom properties of static/css/terugkeer.css, so a
change of palette is checked without editing this list; the pairs name which text colour
stands on which background (docs/accessibility.md)."""

import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CSS = ROOT / "static" / "css" / "terugkeer.css"
MINIMUM = 4.5

# (text, background, where): variable names without "--", or literal #rrggbb.
PAIRS = [
    ("ink", "#ffffff", "body text"),
    ("ink", "bg-soft", "text on grey panels, table heads, footer"),
    ("ink", "flanders-yellow", "the brand tile, the skip link"),
    ("muted", "#ffffff", "hints, dates, user box"),
    ("muted", "bg-soft", "footer text"),
    ("accent", "#ffffff", "links"),
    ("accent", "bg-soft", "links in grey panels and the footer"),
    ("accent-dark", "#ffffff", "links on hover"),
    ("#ffffff", "accent", "primary button"),
    ("#ffffff", "accent-dark", "primary button on hover"),
    ("accent-dark", "bg-soft", "secondary button on hover"),
    ("danger", "#ffffff", "overdue, errors"),
    ("danger", "bg-soft", "errors in grey panels"),
    ("warn", "#ffffff", "due soon"),
    ("ok", "#ffffff", "done"),
]


def palette(css: str) -> dict[str, str]:
    root = re.search(r":root\s*\{(.*?)\}", css, re.S).group(1)
    return {
        name: value.lower() for name, value in re.findall(r"--([\w-]+):\s*(#[0-9a-fA-F]{6})", root)
    }


def luminance(colour: str) -> float:
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def ratio(foreground: str, background: str) -> float:
    light, dark = sorted((luminance(foreground), luminance(background)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def check(css_text: str | None = None) -> list[tuple[str, str, str, float]]:
    """Every pair with its ratio: (text colour, background, where, ratio)."""
    colours = palette(css_text if css_text is not None else CSS.read_text())

    def resolve(name: str) -> str:
        return name if name.startswith("#") else colours[name]

    return [
        (resolve(fg), resolve(bg), where, ratio(resolve(fg), resolve(bg)))
        for fg, bg, where in PAIRS
    ]


def main() -> int:
    failed = 0
    for fg, bg, where, value in check():
        ok = value >= MINIMUM
        failed += not ok
        print(f"{'ok ' if ok else 'LOW'} {value:5.2f}:1  {fg} on {bg}  {where}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
