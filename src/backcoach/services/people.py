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


def person_for_screening(uow: UnitOfWork, ref: Optional[str]) -> Optional[int]:
    """The person a safety screen is stored for: `ref`, else the only person set up.

    None when no one is set up yet: the screen is still shown, just not stored (a safety
    check must never wait for onboarding). Several people and no `ref` is an error that
    names them."""
    if not (ref or "").strip() and not list_people(uow):
        return None
    return resolve_person(uow, ref)


def person_for_onboarding(uow: UnitOfWork, ref: Optional[str], name: Optional[str], now: dt.datetime) -> Optional[int]:
    """Who `start` (onboarding) is for: the person `ref` names; else the one called `name`
    (created when there is none, or when several share it); else the only person set up.

    None when no one is set up and no name is given: the caller asks for a name and
    creates the person. Several people and neither `ref` nor `name` is an error that names them."""
    if (ref or "").strip():
        return resolve_person(uow, ref)
    people = list_people(uow)
    if (name or "").strip():
        same = [pid for pid, display in people if display.casefold() == name.strip().casefold()]
        return same[0] if len(same) == 1 else create_person(uow, name, now)
    if not people:
        return None
    return resolve_person(uow, None)
