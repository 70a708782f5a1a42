"""Flags free text that looks medical, so that nobody stores a diagnosis by accident."""

import re
from functools import cache
from pathlib import Path

WORDS_FILE = Path(__file__).parent / "data" / "medical_words_nl.txt"


@cache
def _pattern() -> re.Pattern[str]:
    parts = []
    for line in WORDS_FILE.read_text(encoding="utf-8").splitlines():
        word = line.strip().lower()
        if not word or word.startswith("#"):
            continue
        if word.endswith("*"):
            parts.append(re.escape(word[:-1]) + r"[\w-]*")
        else:
            parts.append(re.escape(word))
    return re.compile(r"(?<![\w-])(" + "|".join(parts) + r")(?![\w-])", re.IGNORECASE)


def medical_terms(text: str) -> list[str]:
    """The words in `text` that look medical, in order, without repeats."""
    seen: dict[str, None] = {}
    for match in _pattern().finditer(text or ""):
        seen.setdefault(match.group(0).lower(), None)
    return list(seen)
