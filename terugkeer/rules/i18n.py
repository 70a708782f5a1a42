"""The engine's texts in the reader's language, without Django.

Every title, "why", source and label the engine writes is a Dutch message id passed through
``_()`` (or marked with ``gettext_noop`` where it is data), with named ``{placeholders}``
filled by ``str.format`` afterwards, so that a catalogue can translate the sentence whole.
By default ``_()`` returns the Dutch text unchanged: the command line, the stored copies on a
trajectory (``next_title``, ``next_why``) and every test see exactly what they saw before. The
Django layer reads an obligation in the user's language by evaluating inside
``translating(django.utils.translation.gettext)`` (trajectories.services.obligations_for); the
English texts live in Django's catalogue (locale/en), where ``makemessages`` finds these
message ids as it finds the others (``_`` and ``gettext_noop`` are among its keywords).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar


def _identity(message: str) -> str:
    return message


_translator: ContextVar[Callable[[str], str]] = ContextVar("rules_translator", default=_identity)


def _(message: str) -> str:
    """The message in the current reader's language (Dutch unless a translator is set)."""
    return _translator.get()(message)


def current_gettext() -> Callable[[str], str]:
    """The translator in force, to call directly (``_`` looks it up on every call): ``str``
    when there is none (the identity on a text, without a Python call)."""
    translate = _translator.get()
    return str if translate is _identity else translate


def gettext_noop(message: str) -> str:
    """Marks a Dutch text kept as data (a label, a source) for the catalogue; translated where
    it is read, with ``_()``."""
    return message


@contextmanager
def translating(translate: Callable[[str], str]) -> Iterator[None]:
    """Evaluate with this translator (e.g. Django's gettext) for the duration of the block."""
    token = _translator.set(translate)
    try:
        yield
    finally:
        _translator.reset(token)
