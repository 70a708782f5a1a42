"""Password rules beyond Django's own: a breached-password list shipped as data, predictable
patterns, and the names of the product and the organisation (docs/access.md).

No network at run time: the breached list is a file in the repository (data/).
"""

import gzip
import re
from functools import cache
from pathlib import Path

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

BREACHED_LIST = Path(__file__).resolve().parent / "data" / "breached-passwords.txt.gz"

# Look-alike characters people put in a word ("P@ssw0rd", "T3rugk33r").
LOOK_ALIKES = str.maketrans("0134578@$!|", "oleastbasil")

# Rows people slide along: the alphabet, digits (9 wraps to 0 to 1), QWERTY and AZERTY rows.
SEQUENCES = (
    "abcdefghijklmnopqrstuvwxyz",
    "01234567890",
    "qwertyuiop",
    "asdfghjkl",
    "zxcvbnm",
    "azertyuiop",
    "qsdfghjklm",
    "wxcvbn",
)
NEIGHBOURS = frozenset(
    pair
    for row in SEQUENCES
    for a, b in zip(row, row[1:], strict=False)
    for pair in ((a, b), (b, a))
)


def _core(text: str) -> str:
    """The word inside the decoration: "Dragon2024!" -> "dragon"."""
    return re.sub(r"^[\W\d_]+|[\W\d_]+$", "", text.lower())


@cache
def breached_passwords(path: Path = BREACHED_LIST) -> frozenset[str]:
    with gzip.open(path, "rt", encoding="utf-8") as lines:
        return frozenset(
            line.strip() for line in lines if line.strip() and not line.startswith("#")
        )


class BreachedPasswordValidator:
    """Refuses a password from the breached list, also when it is only dressed up with digits or
    signs around it ("Dragon2024!") or with look-alike characters ("P@ssw0rd")."""

    def __init__(self, min_word_length: int = 4):
        self.min_word_length = min_word_length

    def validate(self, password, user=None):
        lowered = password.lower()
        core = _core(password)
        candidates = {lowered, lowered.translate(LOOK_ALIKES)}
        if len(core) >= self.min_word_length:
            candidates |= {core, _core(core.translate(LOOK_ALIKES))}
        if candidates & breached_passwords():
            raise ValidationError(
                _(
                    "Dit wachtwoord komt (eventueel met cijfers of tekens errond) voor in een "
                    "lijst van wachtwoorden die bij datalekken bekend raakten. Kies een ander."
                ),
                code="password_breached",
            )

    def get_help_text(self):
        return _("Uw wachtwoord komt niet voor in een lijst van gelekte wachtwoorden.")


class PredictablePasswordValidator:
    """Refuses repetitions ("aaaaaaaaaaaa", "abcabcabcabc"), runs along the alphabet, the digits
    or a keyboard row ("Qwerty123456"), and the name of the product or the user's organisation
    ("Terugkeer2026!")."""

    def __init__(self, min_distinct: int = 5, max_run_share: float = 0.75, names=("terugkeer",)):
        self.min_distinct = min_distinct
        self.max_run_share = max_run_share
        self.names = tuple(names)

    def validate(self, password, user=None):
        lowered = password.lower()
        if len(set(lowered)) < self.min_distinct or re.fullmatch(r"(.+?)\1+", lowered):
            raise ValidationError(
                _("Dit wachtwoord herhaalt te veel dezelfde tekens. Kies een ander."),
                code="password_repetitive",
            )
        if self._run_share(lowered) >= self.max_run_share:
            raise ValidationError(
                _(
                    "Dit wachtwoord volgt te veel het alfabet, de cijfers of een rij van het "
                    "toetsenbord. Kies een ander."
                ),
                code="password_sequence",
            )
        plain = lowered.translate(LOOK_ALIKES)
        for name in self._names_for(user):
            if name in lowered or name in plain:
                raise ValidationError(
                    _(
                        "Dit wachtwoord bevat de naam van de toepassing of van uw organisatie "
                        "(%(name)s). Kies een ander."
                    ),
                    code="password_names_product",
                    params={"name": name},
                )

    def _names_for(self, user) -> list[str]:
        names = list(self.names)
        organisation = getattr(user, "organisation", None) if user is not None else None
        if organisation is not None:
            # Words of five letters or more: "Stad Demostad" gives "demostad", not "stad".
            names += [w for w in re.findall(r"\w+", organisation.name.lower()) if len(w) >= 5]
        return names

    @staticmethod
    def _run_share(text: str) -> float:
        """Share of the characters that sit in runs of three or more equal or neighbouring
        characters (a-b-c, 9-0-1, q-w-e, 7-7-7)."""
        covered, run = 0, 1
        for i in range(1, len(text) + 1):
            if i < len(text) and (text[i] == text[i - 1] or (text[i - 1], text[i]) in NEIGHBOURS):
                run += 1
                continue
            if run >= 3:
                covered += run
            run = 1
        return covered / len(text) if text else 1.0

    def get_help_text(self):
        return _(
            "Uw wachtwoord is geen herhaling of reeks (zoals aaaa, abcd, 1234, qwerty) en bevat "
            "de naam van Terugkeer of van uw organisatie niet."
        )
