"""Short reads offered over the first weeks (issue 14): what back pain usually is, keeping
active, soreness after exercise, a flare-up plan and when to get help.

The words are data (``catalog/education.yaml``); this module only decides which topic is
offered on a given day of the program.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Mapping, Sequence

from .errors import InvalidCatalog


@dataclass(frozen=True)
class Topic:
    id: str
    day: int
    title: str
    body: tuple[str, ...]


def topics_from_dict(data: Mapping[str, Any]) -> tuple[Topic, ...]:
    """Read the topics, refusing gaps (each needs an id, a day, a title and some text)."""
    if not isinstance(data, Mapping) or set(data) != {"topics"}:
        raise InvalidCatalog("education.yaml: expected one key, 'topics'.")
    out = []
    for raw in data["topics"] or ():
        if not isinstance(raw, Mapping) or set(raw) != {"id", "day", "title", "body"} or not raw["body"]:
            raise InvalidCatalog(f"education.yaml: each topic needs exactly id, day, title and body ({raw!r}).")
        out.append(Topic(str(raw["id"]), int(raw["day"]), str(raw["title"]),
                         tuple(" ".join(str(p).split()) for p in raw["body"])))
    if len({t.id for t in out}) != len(out):
        raise InvalidCatalog("education.yaml: topic ids must be unique.")
    return tuple(sorted(out, key=lambda t: t.day))


def topic_for_day(topics: Sequence[Topic], program_day: int) -> Topic | None:
    """The newest topic whose day has come (None before the program starts)."""
    reached = [t for t in topics if t.day <= program_day]
    return reached[-1] if reached and program_day >= 0 else None
