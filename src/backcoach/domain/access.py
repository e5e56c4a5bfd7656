"""Who may act as a clinician, and for whom: the one rule (DESIGN §8).

A clinician's power comes only from a clinician account that an administrator approved.
Nobody acts as a clinician on their own person record: a login is either a person's or a
clinician's, and a clinician whose email is the same mailbox as the person's account is
refused for that person. Pure: the caller looks the facts up and passes them in.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable, Optional

from backcoach.domain.errors import ClinicianNotApproved, NotAllowed

PENDING, APPROVED, REFUSED = "pending", "approved", "refused"
APPROVALS = (PENDING, APPROVED, REFUSED)
CLINICAL_ROLES = ("clinician", "admin")

NOT_A_CLINICIAN = "This is only for clinicians' accounts."
NO_ACCESS = "You do not have access to this person's data."
WAITING = ("Your clinician account is waiting for an administrator to check the profession and registration "
           "number you gave. Until it is approved you cannot see anyone's data or act as their clinician.")
REFUSED_TEXT = ("Your clinician account was not approved, so it cannot see anyone's data or act as a clinician. "
                "If you think this is a mistake, contact the administrator of this backcoach service.")
OWN_RECORD = ("Nobody can act as a clinician on their own record. Another clinician has to check this person "
              "and record it.")
BOTH_ROLES = "One account cannot be both a person's account and a clinician's account."


@dataclass(frozen=True)
class Actor:
    """The account asking, as far as the rule needs it."""

    role: str
    approval: Optional[str]
    email: str
    own_person_id: Optional[int]


def same_mailbox(a: str, b: str) -> bool:
    """Two addresses that reach the same mailbox: case and a "+tag" in the local part ignored
    (alice+clinic@example.org is alice@example.org)."""

    def canonical(email: str) -> tuple[str, str]:
        local, _, domain = (email or "").strip().lower().rpartition("@")
        return local.split("+", 1)[0], domain

    return bool(a and b) and canonical(a) == canonical(b)


def approved_clinician(role: str, approval: Optional[str]) -> bool:
    """May use the clinician pages: an administrator always, a clinician once approved."""
    return role == "admin" or (role == "clinician" and approval == APPROVED)


def check_clinician(actor: Optional[Actor], person_id: Optional[int] = None, *, follows: bool = False,
                    person_emails: Iterable[str] = ()) -> None:
    """Raise unless `actor` may act as a clinician (for `person_id`, when given).

    follows: the clinician is assigned to the person (for an administrator: the person exists).
    person_emails: the email addresses of the person's own accounts.
    """
    if actor is None or actor.role not in CLINICAL_ROLES:
        raise NotAllowed(NOT_A_CLINICIAN)
    if actor.role == "clinician":
        if actor.approval != APPROVED:
            refused = actor.approval == REFUSED
            raise ClinicianNotApproved(REFUSED_TEXT if refused else WAITING, REFUSED if refused else PENDING)
        if actor.own_person_id is not None:
            raise NotAllowed(BOTH_ROLES)
    if person_id is None:
        return
    if not follows:
        raise NotAllowed(NO_ACCESS)
    if actor.own_person_id == person_id or any(same_mailbox(actor.email, e) for e in person_emails):
        raise NotAllowed(OWN_RECORD)
