"""Web accounts: sign-up, log-in with rate limiting, the approval of clinician
accounts, clinician invitations and assignments, one-time form tokens, and the
audit log of who viewed or changed whose data.

Each function takes the current unit of work (entered; the caller commits) and a clock
value, so tests pass fixed times.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import secrets
from dataclasses import dataclass
from typing import Any, Callable

from email_validator import EmailNotValidError, validate_email

from backcoach.domain import access as rule
from backcoach.domain import login_delays
from backcoach.domain.errors import BackcoachError, NotAllowed
from backcoach.domain.passwords import MIN_LENGTH, password_problems
from backcoach.services import access as clinical_access
from backcoach.storage.database import Conflict
from backcoach.storage.models import AuditEntry, ClinicianAssignment, Invitation, LoginAttempt, Person, User
from backcoach.storage.unit_of_work import UnitOfWork

ROLES = ("person", "clinician", "admin")
MIN_PASSWORD = MIN_LENGTH
WRONG_LOGIN = "That email address and password do not match an account."
# What sign-up answers whether or not the address already had an account, so that it does
# not tell anyone which addresses have one (there is no e-mail to send a link with instead).
SIGNED_UP = ("Your account is ready: log in with your e-mail address and password. If this address already "
             "had an account, log in with the password you chose then.")
INVITATION_DAYS = 30
# What a clinician signing up says they are; an administrator checks it before approving.
PROFESSIONS = ("Physiotherapist", "Doctor", "Nurse", "Osteopath", "Chiropractor", "Sports therapist")
REGISTRATION_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9 ./-]{2,39}$")


class AccountError(BackcoachError):
    """A sign-up or log-in problem, explained to the person."""


class TooManyAttempts(AccountError):
    """Failed log-ins from here came fast: the next try must wait ``retry_after`` seconds."""

    def __init__(self, message: str, retry_after: int = 1) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class EmailTaken(AccountError):
    """Sign-up with an address that has an account; the web answers as for a new account."""


__all__ = ["NotAllowed"]  # re-exported: the one "not allowed" error, from domain/errors.py


class AlreadySubmitted(BackcoachError):
    """The same form (one-time token) arrived a second time; nothing was changed (web/idempotency.py)."""


@dataclass(frozen=True)
class Account:
    id: int
    email: str
    role: str
    person_id: int | None
    display_name: str
    approval: str | None = None  # clinicians only: pending | approved | refused

    @property
    def approved_clinician(self) -> bool:
        """May use the clinician pages (an administrator always may)."""
        return rule.approved_clinician(self.role, self.approval)


def _account(u: Any) -> Account:
    """An account from a user record or a row with the same columns."""
    return Account(id=u.id, email=u.email, role=u.role, person_id=u.person_id, display_name=u.display_name or u.email,
                   approval=u.approval)


def normalise_email(email: str) -> str:
    return (email or "").strip().lower()


def is_email_address(email: str) -> bool:
    """An address a mail server could accept (RFC 5321/5322 syntax, length limits, a real-looking
    domain), checked by `email-validator` offline: no DNS look-up, so sign-up never waits on
    the network and works without one."""
    try:
        validate_email(email, check_deliverability=False)
    except EmailNotValidError:
        return False
    return True


def sign_up(
    uow: UnitOfWork,
    *,
    email: str,
    password: str,
    display_name: str,
    role: str,
    hash_password: Callable[[str], str],
    now: dt.datetime,
    invitation_code: str | None = None,
    profession: str | None = None,
    registration_number: str | None = None,
    administrator: bool = False,
) -> Account:
    """Create an account; a person account gets its Person record (and a clinician if invited).

    A clinician account starts pending, with the profession and registration number an
    administrator checks before approving it. `administrator` (role "admin") is for the
    command line only, never for a form."""
    email = normalise_email(email)
    display_name = (display_name or "").strip()
    profession = (profession or "").strip()
    registration_number = " ".join((registration_number or "").split())
    problems = []
    if not is_email_address(email):
        problems.append("Enter an email address like name@example.org.")
    problems += password_problems(password, email)
    if not display_name or len(display_name) > 100:
        problems.append("Enter the name you would like us to use (up to 100 characters).")
    if role not in (("admin",) if administrator else ("person", "clinician")):
        problems.append("Choose whether this account is for a person with back pain or for a clinician.")
    if role == "clinician":
        if profession not in PROFESSIONS:
            problems.append("Choose your profession (" + ", ".join(PROFESSIONS) + ").")
        if not REGISTRATION_RE.match(registration_number):
            problems.append("Enter your professional registration number (3 to 40 letters, digits, spaces, "
                            "dots, slashes or dashes), as your registering body shows it.")
    if problems:
        raise AccountError(" ".join(problems))
    invitation = None
    if invitation_code:
        if role != "person":
            raise AccountError("Invitation codes are for people joining a clinician; leave it empty for a clinician account.")
        invitation = _valid_invitation(uow, invitation_code, now)
        _not_self(uow, invitation.clinician_user_id, email)
    if uow.users.get_by_email(email) is not None:
        hash_password(password)  # as long as a new account takes, so the time does not tell either
        raise EmailTaken("An account with this email address already exists. Log in instead.")
    person_id = None
    if role == "person":
        person_id = uow.people.add(Person(display_name=display_name, created_at=now)).id
    clinician = role == "clinician"
    user = User(email=email, password_hash=hash_password(password), role=role, person_id=person_id,
                display_name=display_name, created_at=now, active=True,
                approval=rule.PENDING if clinician else None, profession=profession if clinician else None,
                registration_number=registration_number if clinician else None)
    try:
        uow.users.add(user)
    except Conflict as exc:
        raise EmailTaken("An account with this email address already exists. Log in instead.") from exc
    if invitation is not None and person_id is not None:
        _use_invitation(uow, invitation, person_id, now)
    audit(uow, actor_user_id=user.id, person_id=person_id, action="account.created", detail={"role": role}, now=now)
    return _account(user)


def authenticate(
    uow: UnitOfWork,
    *,
    email: str,
    password: str,
    client: str,
    verify: Callable[[str, str], bool],
    now: dt.datetime,
    dummy_hash: str | None = None,
) -> Account | None:
    """Check the password; None when it does not match (the failure is recorded, so the
    caller must commit).

    Failed tries make the next ones wait a little longer (domain/login_delays.py: growing
    delays per account and address, never a lock-out); a try during a wait raises
    TooManyAttempts with the seconds left. An unknown address is checked against
    ``dummy_hash`` (a hash made by the same hasher), so it takes as long as a known one.
    """
    email = normalise_email(email)
    keys = login_delays.login_keys(email, client)
    wait = login_delays.seconds_to_wait(_recent_failures(uow, keys, now), now)
    if wait > 0:
        seconds = max(1, math.ceil(wait))
        raise TooManyAttempts(f"Several log-ins failed in a row, so the next try has to wait a little. "
                              f"Please wait {seconds} second{'s' if seconds != 1 else ''} and try again.",
                              retry_after=seconds)
    user = uow.users.get_by_email(email)
    if user is None or not user.active:
        if dummy_hash is not None:
            verify(dummy_hash, password or "")
        ok = False
    else:
        ok = verify(user.password_hash, password or "")
    if not ok:
        uow.login_attempts.add_all([LoginAttempt(key=key, at=now) for key in keys.values()])
        return None
    uow.login_attempts.forget(keys["pair"])
    uow.login_attempts.purge_before(now - login_delays.WINDOW)
    return _account(user)


def _recent_failures(uow: UnitOfWork, keys: dict[str, str], now: dt.datetime) -> dict[str, tuple[int, dt.datetime]]:
    """For each counter of login_keys with failures within the window: (how many, the last one's time)."""
    by_key = {key: name for name, key in keys.items()}
    found = uow.login_attempts.failures(list(by_key), now - login_delays.WINDOW)
    return {by_key[key]: counted for key, counted in found.items()}


def get_account(uow: UnitOfWork, user_id: int) -> Account | None:
    """The active account with this id, or None (deleted or deactivated since the cookie or token was issued)."""
    row = uow.users.account(user_id)
    return None if row is None else _account(row)


# -- approving clinician accounts -------------------------------------------------------

@dataclass(frozen=True)
class ClinicianAccount:
    """What an administrator sees to decide on a clinician account."""

    id: int
    email: str
    display_name: str
    profession: str
    registration_number: str
    approval: str
    created_at: dt.datetime
    decided_at: dt.datetime | None
    decided_by: str | None
    person_email: str | None  # a person's account on the same mailbox (alice+x@ is alice@)

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "email": self.email, "display_name": self.display_name, "profession": self.profession,
                "registration_number": self.registration_number, "approval": self.approval,
                "created_at": self.created_at.isoformat(),
                "decided_at": None if self.decided_at is None else self.decided_at.isoformat(),
                "decided_by": self.decided_by, "person_email": self.person_email}


def _require_admin(admin: Account | None) -> None:
    if admin is not None and admin.role != "admin":
        raise NotAllowed("Only an administrator can approve or refuse clinician accounts.")


def clinician_accounts(uow: UnitOfWork, admin: Account | None) -> list[ClinicianAccount]:
    """Every clinician account, pending first (oldest first), then the decided ones (newest decision first).

    `admin` is None for the command line, which is trusted like the database itself."""
    _require_admin(admin)
    users = uow.users.list(role="clinician")
    person_emails = uow.users.person_account_emails()
    deciders = {uid: decider.email for uid in {u.approval_decided_by for u in users} - {None}
                if (decider := uow.users.get(uid)) is not None}
    out = [ClinicianAccount(
        id=u.id, email=u.email, display_name=u.display_name or u.email, profession=u.profession or "not given",
        registration_number=u.registration_number or "not given", approval=u.approval or rule.PENDING,
        created_at=u.created_at, decided_at=u.approval_decided_at,
        decided_by=deciders.get(u.approval_decided_by) if u.approval_decided_by else
        ("command line" if u.approval_decided_at else None),
        person_email=next((e for e in person_emails if rule.same_mailbox(e, u.email)), None),
    ) for u in users]
    pending = sorted((c for c in out if c.approval == rule.PENDING), key=lambda c: (c.created_at, c.id))
    decided = sorted((c for c in out if c.approval != rule.PENDING),
                     key=lambda c: (c.decided_at or c.created_at, c.id), reverse=True)
    return pending + decided


def decide_clinician(uow: UnitOfWork, admin: Account | None, *, approve: bool, now: dt.datetime,
                     user_id: int | None = None, email: str | None = None) -> ClinicianAccount:
    """Approve or refuse a clinician account (found by id or email); audited.

    A decision can be changed later: a refused account approved after all, or an approval
    withdrawn. Refused: an account that is also a person's (one login cannot be both), or
    whose mailbox is a person's account (the self-clearance attack: a second account "as a
    clinician" for oneself)."""
    _require_admin(admin)
    user = uow.users.get(user_id) if user_id is not None else uow.users.get_by_email(normalise_email(email or ""))
    if user is None or user.role != "clinician":
        raise AccountError("No clinician account has that email address." if user_id is None
                           else "That clinician account was not found.")
    if approve:
        if user.person_id is not None:
            raise AccountError(rule.BOTH_ROLES)
        person_emails = uow.users.person_account_emails()
        same = next((e for e in person_emails if rule.same_mailbox(e, user.email)), None)
        if same is not None:
            raise AccountError(f"{user.email} is the same mailbox as the person's account {same}. Nobody acts as a "
                               "clinician for themselves, so this account cannot be approved.")
    user.approval = rule.APPROVED if approve else rule.REFUSED
    user.approval_decided_by = admin.id if admin is not None else None
    user.approval_decided_at = now
    audit(uow, actor_user_id=admin.id if admin is not None else None, person_id=None,
          action="clinician.approved" if approve else "clinician.refused",
          detail={"clinician_user_id": user.id, "email": user.email, "via": "web" if admin else "command line"},
          now=now)
    return next(c for c in clinician_accounts(uow, admin) if c.id == user.id)


# -- clinicians and the people they look after --------------------------------------

def require_clinician(uow: UnitOfWork, account: Account | None, person_id: int | None = None) -> Account:
    """The one access check for clinician work (services/access.py), for a web account."""
    clinical_access.require_clinician(uow, account.id if account is not None else None, person_id)
    return account  # type: ignore[return-value]


def clinician_at_the_terminal(uow: UnitOfWork, *, email: str, password: str, person_id: int,
                              verify: Callable[[str, str], bool], now: dt.datetime) -> Account:
    """The command line's `clearance`: the clinician types the email and password of their
    approved account at the person's terminal; the caller commits.

    Log-in failures count towards the same limits as on the web. A person set up only on
    the command line has no account to join a clinician with, so a clinician who proves who
    they are here starts following them (audited). A person with a web account must have
    joined this clinician (invitation code) or been assigned by an administrator."""
    account = authenticate(uow, email=email, password=password, client="command line", verify=verify, now=now)
    if account is None:
        raise AccountError(WRONG_LOGIN)
    require_clinician(uow, account)
    person_has_account = uow.users.get_by_person(person_id) is not None
    if not person_has_account and account.role == "clinician" and uow.people.get(person_id) is not None:
        if not clinical_access.follows(uow, account, person_id):
            assign(uow, clinician_user_id=account.id, person_id=person_id, now=now)
            audit(uow, actor_user_id=account.id, person_id=person_id, action="assignment.created",
                  detail={"clinician_user_id": account.id, "via": "command line"}, now=now)
    require_clinician(uow, account, person_id)
    return account


def clearance_at_the_terminal(uow: UnitOfWork, person_id: int, *, email: str, password: str,
                              verify: Callable[[str, str], bool], note: str, ruled_out: str, seen_where: str,
                              now: dt.datetime) -> Any:
    """`backcoach clearance`: the clinician signs in at the person's terminal
    (clinician_at_the_terminal), then records the clearance in their name
    (services.record_clearance, which says when there is nothing to clear).

    The sign-in is committed on its own, a wrong password included: a failed attempt must
    count towards the log-in limit even though nothing else is stored. Returns
    services.ClearanceRecorded."""
    from backcoach.services.screening import record_clearance

    with uow:
        try:
            who = clinician_at_the_terminal(uow, email=email, password=password, person_id=person_id,
                                            verify=verify, now=now)
        except AccountError:
            uow.commit()  # the failed attempt is kept
            raise
        uow.commit()
    return record_clearance(uow, person_id, who.display_name, note, now, by_user_id=who.id,
                            ruled_out=ruled_out, seen_where=seen_where)


def create_invitation(uow: UnitOfWork, clinician: Account, now: dt.datetime) -> str:
    require_clinician(uow, clinician)
    code = "-".join(secrets.token_hex(2).upper() for _ in range(3))
    uow.invitations.add(Invitation(code=code, clinician_user_id=clinician.id, created_at=now,
                                   expires_at=now + dt.timedelta(days=INVITATION_DAYS)))
    audit(uow, actor_user_id=clinician.id, person_id=None, action="invitation.created", detail={"code": code}, now=now)
    return code


RECENT_INVITATIONS = 10


def recent_invitations(uow: UnitOfWork, clinician: Account, limit: int = RECENT_INVITATIONS) -> list[Invitation]:
    """The clinician's newest invitation codes, newest first (the clinic page lists them)."""
    return uow.invitations.list_for_clinician(clinician.id, limit=limit)


def _valid_invitation(uow: UnitOfWork, code: str, now: dt.datetime) -> Invitation:
    inv = uow.invitations.get_by_code(code.strip().upper())
    if inv is None:
        raise AccountError("That invitation code was not found. Check it with your clinician.")
    if inv.used_at is not None:
        raise AccountError("That invitation code has already been used. Ask your clinician for a new one.")
    if inv.expires_at is not None and inv.expires_at < now:
        raise AccountError("That invitation code has expired. Ask your clinician for a new one.")
    try:
        require_clinician(uow, get_account(uow, inv.clinician_user_id))
    except NotAllowed:
        raise AccountError("That invitation code is no longer valid: the clinician's account is not approved. "
                           "Ask your clinician.") from None
    return inv


def _not_self(uow: UnitOfWork, clinician_user_id: int, person_email: str) -> None:
    clinician = uow.users.get(clinician_user_id)
    if clinician is not None and rule.same_mailbox(clinician.email, person_email):
        raise AccountError(rule.OWN_RECORD)


def _use_invitation(uow: UnitOfWork, inv: Invitation, person_id: int, now: dt.datetime) -> None:
    inv.used_at = now
    inv.used_by_person_id = person_id
    assign(uow, clinician_user_id=inv.clinician_user_id, person_id=person_id, now=now)


def redeem_invitation(uow: UnitOfWork, person: Account, code: str, now: dt.datetime) -> int:
    """A person joins a clinician with a code; returns the clinician's user id."""
    if person.role != "person" or person.person_id is None:
        raise NotAllowed("Only a person's account can join a clinician.")
    inv = _valid_invitation(uow, code, now)
    _not_self(uow, inv.clinician_user_id, person.email)
    _use_invitation(uow, inv, person.person_id, now)
    audit(uow, actor_user_id=person.id, person_id=person.person_id, action="invitation.redeemed",
          detail={"clinician_user_id": inv.clinician_user_id}, now=now)
    return inv.clinician_user_id


def assign(uow: UnitOfWork, *, clinician_user_id: int, person_id: int, now: dt.datetime) -> None:
    if not uow.assignments.exists(clinician_user_id, person_id):
        uow.assignments.add(ClinicianAssignment(clinician_user_id=clinician_user_id, person_id=person_id, created_at=now))


def admin_assign(uow: UnitOfWork, admin: Account, clinician_email: str, person_email: str, now: dt.datetime) -> None:
    if admin.role != "admin":
        raise NotAllowed("Only an administrator can assign people to clinicians.")
    clin = uow.users.get_by_email(normalise_email(clinician_email))
    per = uow.users.get_by_email(normalise_email(person_email))
    if clin is None or clin.role != "clinician":
        raise AccountError("No clinician account has that email address.")
    if clin.approval != rule.APPROVED:
        raise AccountError("That clinician account is not approved yet; approve it first (Clinicians page).")
    if per is None or per.person_id is None:
        raise AccountError("No person's account has that email address.")
    _not_self(uow, clin.id, per.email)
    assign(uow, clinician_user_id=clin.id, person_id=per.person_id, now=now)
    audit(uow, actor_user_id=admin.id, person_id=per.person_id, action="assignment.created",
          detail={"clinician_user_id": clin.id}, now=now)


def assigned_person_ids(uow: UnitOfWork, clinician: Account) -> list[int]:
    return clinical_access.people_followed_by(uow, clinician)


def require_access(uow: UnitOfWork, account: Account, person_id: int) -> None:
    """A person reads only their own data; anyone else only as an approved clinician following
    the person (the one clinician rule, services/access.py).

    Raises NotAllowed with the same message whether or not the person exists, so an
    account cannot probe which ids exist.
    """
    if account.role == "person":
        if account.person_id == person_id:
            return
        raise NotAllowed(rule.NO_ACCESS)
    require_clinician(uow, account, person_id)


def clinicians_of(uow: UnitOfWork, person_id: int) -> list[Account]:
    users = (uow.users.get(uid) for uid in uow.assignments.clinician_ids_for(person_id))
    return [_account(u) for u in users if u is not None]


def display_names(uow: UnitOfWork, person_ids: list[int]) -> dict[int, str]:
    return uow.people.display_names(person_ids)


# -- audit log -------------------------------------------------------------------------

def audit(uow: UnitOfWork, *, actor_user_id: int | None, person_id: int | None, action: str,
          detail: dict[str, Any] | None = None, now: dt.datetime) -> None:
    uow.audit.add(AuditEntry(actor_user_id=actor_user_id, person_id=person_id, action=action, detail=detail or {}, at=now))


def audit_entries(uow: UnitOfWork, account: Account, person_id: int | None = None, limit: int = 200) -> list[dict[str, Any]]:
    """The audit log a clinician may read: entries about their assigned people (all for an admin)."""
    if account.role != "person":
        require_clinician(uow, account)  # a pending or refused clinician reads nothing
    if person_id is not None:
        require_access(uow, account, person_id)
        entries = uow.audit.with_actor_emails(about=[person_id], limit=limit)
    elif account.role == "clinician":
        entries = uow.audit.with_actor_emails(about=assigned_person_ids(uow, account), or_by=account.id, limit=limit)
    elif account.role != "admin":
        entries = uow.audit.with_actor_emails(about=[account.person_id], limit=limit)
    else:
        entries = uow.audit.with_actor_emails(limit=limit)
    return [
        {"at": e.at.isoformat(), "actor": email or "system", "person_id": e.person_id, "action": e.action, "detail": e.detail}
        for e, email in entries
    ]
