"""Use cases around the person record (the local CLI person or a web account's person)."""

from __future__ import annotations

import datetime as dt
from typing import Optional

from backcoach.services.common import PersonNotFound, require_aware
from backcoach.storage import models as m
from backcoach.storage.unit_of_work import UnitOfWork


def create_person(uow: UnitOfWork, display_name: str, now: dt.datetime, onset_date: Optional[dt.date] = None) -> int:
    """Create a person and return their id."""
    now = require_aware(now)
    name = (display_name or "").strip() or "me"
    with uow:
        person = uow.people.add(m.Person(display_name=name[:200], onset_date=onset_date, created_at=now))
        uow.commit()
        return person.id


def list_people(uow: UnitOfWork) -> list[tuple[int, str]]:
    """(id, display name) of everyone, by id."""
    with uow:
        return [(p.id, p.display_name) for p in uow.people.list()]


def resolve_person(uow: UnitOfWork, ref: Optional[str]) -> int:
    """Find the person meant by `ref` (an id or a display name); without `ref`, the only person.

    Why: on a local machine there is usually exactly one person, so the CLI needs no
    option; with several, it asks which one rather than guessing.
    """
    with uow:
        people = uow.people.list()
    ref = (ref or "").strip()
    if not ref:
        if not people:
            raise PersonNotFound("No one is set up yet: run `backcoach start` first.")
        if len(people) > 1:
            names = ", ".join(f"{p.id} ({p.display_name})" for p in people)
            raise PersonNotFound(f"Several people are set up ({names}); choose one with --person or BACKCOACH_PERSON.")
        return people[0].id
    if ref.isdigit():
        for p in people:
            if p.id == int(ref):
                return p.id
    matches = [p for p in people if p.display_name.casefold() == ref.casefold()]
    if len(matches) == 1:
        return matches[0].id
    if len(matches) > 1:
        raise PersonNotFound(f"Several people are called {ref!r}; use the id instead.")
    raise PersonNotFound(f"There is no person {ref!r}. Known: " + (", ".join(f"{p.id} ({p.display_name})" for p in people) or "none"))
