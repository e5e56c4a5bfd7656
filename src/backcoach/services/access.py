"""The one access check for everything a clinician does: every clinician page, API call,
CLI command and service asks `require_clinician` (the rule itself is domain/access.py), and
`follows` / `people_followed_by` are the one place that says whom an account follows (an
administrator: everyone; a clinician: the people assigned to them).
"""

from __future__ import annotations

from typing import Any, Optional

from backcoach.domain.access import Actor, check_clinician
from backcoach.storage import models as m


def require_clinician(uow: Any, user_id: Optional[int], person_id: Optional[int] = None) -> m.User:
    """The approved clinician (or administrator) with this id, allowed to act for `person_id`
    when given; otherwise NotAllowed (ClinicianNotApproved while pending or refused).

    `uow` is an entered unit of work, or anything with its `users`, `assignments` and
    `people` repositories (see `repositories`)."""
    user = uow.users.get(user_id) if user_id is not None else None
    if user is None or user.active is False:
        check_clinician(None)
    actor = Actor(role=user.role, approval=user.approval, email=user.email, own_person_id=user.person_id)
    followed, emails = False, []
    if person_id is not None:
        followed = follows(uow, user, person_id)
        own = uow.users.get_by_person(person_id) if followed else None
        emails = [own.email] if own is not None else []
    check_clinician(actor, person_id, follows=followed, person_emails=emails)
    return user


def follows(uow: Any, account: Any, person_id: int) -> bool:
    """Does this account (a user record or a web account: its `id` and `role`) follow the person?
    An administrator follows everyone who exists; a clinician, the people assigned to them;
    nobody else follows anyone (approval is `require_clinician`'s business)."""
    if account.role == "admin":
        return uow.people.get(person_id) is not None
    if account.role == "clinician":
        return uow.assignments.exists(account.id, person_id)
    return False


def people_followed_by(uow: Any, account: Any) -> list[int]:
    """The ids of the people the account follows (see `follows`), in id order."""
    if account.role == "admin":
        return [p.id for p in uow.people.list()]
    if account.role == "clinician":
        return uow.assignments.person_ids_for(account.id)
    return []
