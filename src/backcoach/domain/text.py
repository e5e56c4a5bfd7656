"""What counts as text a person could have typed.

Why one rule: names, e-mail addresses, notes and codes come in through forms, JSON and
the query string, and end up in the database, the PDF report and the FHIR export. A NUL
character is refused by PostgreSQL (it used to give a 500), a lone surrogate cannot be
stored as UTF-8 at all, and other control characters are never typed by a person. Tab,
line feed and carriage return are kept: notes may have several lines.
"""

from __future__ import annotations

import re
from typing import Any, Iterator

from backcoach.domain.errors import BackcoachError

# C0 controls except \t \n \r, DEL, C1 controls, and UTF-16 surrogate halves.
_NOT_TEXT = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")

CONTROL_MESSAGE = ("contains a control character (such as the NUL character) that cannot be stored; "
                   "remove it and send again")


class InvalidText(BackcoachError):
    """A text value holds characters a person does not type; nothing was stored."""

    def __init__(self, field: str) -> None:
        self.field = printable(field, 60)
        super().__init__(f"{self.field or 'The request'} {CONTROL_MESSAGE}.")


def printable(value: str, limit: int) -> str:
    """``value`` with characters that are not text dropped, cut to ``limit`` characters (for messages)."""
    value = _NOT_TEXT.sub("", value)
    return value if len(value) <= limit else value[: limit - 1] + "…"


def is_text(value: str) -> bool:
    """True when ``value`` holds no control character other than tab, line feed and carriage return."""
    return _NOT_TEXT.search(value) is None


def first_bad_text(value: Any, where: str = "") -> str | None:
    """The place (``a.b.0``) of the first string, or mapping key, in ``value`` that is not text; None if all are."""
    for place, text in _strings(value, where):
        if not is_text(text):
            return place or "(value)"
    return None


def _strings(value: Any, where: str) -> Iterator[tuple[str, str]]:
    """Every string (and mapping key) in nested dicts and lists, with its place; a loop, not
    recursion, so a deeply nested value cannot exhaust the stack."""
    stack = [(where, value)]
    while stack:
        place, v = stack.pop()
        if isinstance(v, str):
            yield place, v
        elif isinstance(v, dict):
            for k, item in v.items():
                inner = f"{place}.{k}" if place else str(k)
                if isinstance(k, str):
                    yield inner, k
                stack.append((inner, item))
        elif isinstance(v, (list, tuple)):
            for i, item in enumerate(v):
                stack.append((f"{place}.{i}" if place else str(i), item))
