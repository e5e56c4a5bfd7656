"""The one access check for everything a clinician does: every clinician page, API call,
CLI command and service asks `require_clinician` (the rule itself is domain/access.py).
"""

from __future__ import annotations

from types import SimpleNamespace
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
    follows, emails = False, []
    if person_id is not None and user.role in ("clinician", "admin"):
        if user.role == "admin":
            follows = uow.people.get(person_id) is not None
        else:
            follows = uow.assignments.exists(user.id, person_id)
        own = uow.users.get_by_person(person_id) if follows else None
        emails = [own.email] if own is not None else []
    check_clinician(actor, person_id, follows=follows, person_emails=emails)
    return user


def repositories(session: Any) -> Any:
    """The repositories `require_clinician` reads, over a bare SQLAlchemy session."""
    from backcoach.storage import repositories as r

    return SimpleNamespace(users=r.SqlUserRepository(session), assignments=r.SqlAssignmentRepository(session),
                           people=r.SqlPeopleRepository(session))
