"""Flags free text that looks medical, so that nobody stores a diagnosis by accident.

The words come from data/medical_words_nl.txt plus the words that an organisation's
functioneel beheerder added (toolbox.MedicalWord). One entry per line, lower case:

    kanker      the whole word (also as a part of a hyphenated word: "ms-patiënt")
    chemo*      a word that starts with it ("chemotherapie")
    *pijn       a word that ends with it: compounds ("rugpijn", "hoofdpijn", "pijn")
    *kanker*    a word that contains it ("longkanker", "kankerbehandeling")
    !pijnpunt   never flagged: an ordinary word that one of the stems would catch
    long covid  several words: the phrase

A match is a warning, never a block: the writer confirms or rewrites (forms), and keeping the
text is written to the audit log (services).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

WORDS_FILE = Path(__file__).parent / "data" / "medical_words_nl.txt"
# The characters an entry may hold (letters, digits, hyphen, space, the * and ! markers).
ENTRY = re.compile(r"^!?\*?[\w][\w\- ]*\*?$")
_TOKEN = re.compile(r"[\w-]+")


def _normal(text: str) -> str:
    return unicodedata.normalize("NFC", text).lower()


@dataclass
class MedicalMatcher:
    exact: set[str] = field(default_factory=set)
    prefixes: list[str] = field(default_factory=list)
    suffixes: list[str] = field(default_factory=list)
    infixes: list[str] = field(default_factory=list)
    exceptions: set[str] = field(default_factory=set)
    phrases: list[str] = field(default_factory=list)

    def add(self, entry: str) -> None:
        word = _normal(entry.strip())
        if not word or word.startswith("#"):
            return
        if word.startswith("!"):
            self.exceptions.add(word[1:].strip("*"))
        elif " " in word:
            self.phrases.append(word)
        elif word.startswith("*") and word.endswith("*") and len(word) > 2:
            self.infixes.append(word[1:-1])
        elif word.startswith("*"):
            self.suffixes.append(word[1:])
        elif word.endswith("*"):
            self.prefixes.append(word[:-1])
        else:
            self.exact.add(word)

    def extended(self, entries) -> MedicalMatcher:
        copy = MedicalMatcher(
            set(self.exact),
            list(self.prefixes),
            list(self.suffixes),
            list(self.infixes),
            set(self.exceptions),
            list(self.phrases),
        )
        for entry in entries:
            copy.add(entry)
        return copy

    def _word_matches(self, word: str) -> bool:
        return (
            word in self.exact
            or word.startswith(tuple(self.prefixes))
            or word.endswith(tuple(self.suffixes))
            or any(stem in word for stem in self.infixes)
        )

    def _token_matches(self, token: str) -> bool:
        if token in self.exceptions:
            return False
        if self._word_matches(token):
            return True
        parts = [p for p in token.split("-") if p]
        return len(parts) > 1 and any(
            p not in self.exceptions and self._word_matches(p) for p in parts
        )

    def terms(self, text: str) -> list[str]:
        """The words in `text` that look medical, in order, without repeats."""
        text = _normal(text or "")
        seen: dict[str, None] = {}
        found = []
        for phrase in self.phrases:
            for match in re.finditer(r"(?<![\w-])" + re.escape(phrase) + r"(?![\w-])", text):
                found.append((match.start(), phrase))
        for match in _TOKEN.finditer(text):
            token = match.group(0).strip("-")
            if token and self._token_matches(token):
                found.append((match.start(), token))
        for _start, term in sorted(found):
            seen.setdefault(term, None)
        return list(seen)

    def fields(self, texts: dict[str, str]) -> dict[str, list[str]]:
        """For each named text that looks medical: the words that do."""
        return {name: terms for name, text in texts.items() if (terms := self.terms(text))}


@cache
def base_matcher() -> MedicalMatcher:
    matcher = MedicalMatcher()
    for line in WORDS_FILE.read_text(encoding="utf-8").splitlines():
        matcher.add(line)
    return matcher


def matcher_for(organisation) -> MedicalMatcher:
    """The base list plus the words the organisation's functioneel beheerder added."""
    if organisation is None:
        return base_matcher()
    from terugkeer.toolbox.models import MedicalWord

    organisation_id = getattr(organisation, "pk", organisation)
    words = MedicalWord.objects.filter(organisation_id=organisation_id).values_list(
        "word", flat=True
    )
    return base_matcher().extended(words)


def medical_terms(text: str, organisation=None) -> list[str]:
    """The words in `text` that look medical, in order, without repeats."""
    return matcher_for(organisation).terms(text)
