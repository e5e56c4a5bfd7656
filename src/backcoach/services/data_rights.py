"""A person's rights over their data (DESIGN §8): consent to the privacy notice at sign-up,
a copy of everything held about them, and deleting their account.

Why deletion has a grace period: a deleted health record cannot be brought back, and
a request can be made by mistake or by someone using an unlocked device. So a request
ends every log-in at once and the account is removed DELETION_GRACE_DAYS later (a setting)
by `purge_deleted` (`backcoach purge-deleted`, also run at start-up and at each log-in),
unless the person logs in again before then, which cancels it.

What deletion removes: every row that belongs to the person or the account, in every
table (found through their foreign keys, so a table added later is covered too), their
log-in attempts, the files kept for them (videos), and every identifier in the audit log; the audit log then keeps only
that an account was deleted, and when.
"""

from __future__ import annotations

import datetime as dt
import os
from typing import Any, Callable, Optional

from backcoach.domain.errors import BackcoachError
from backcoach.domain.login_delays import login_keys
from backcoach.storage import models as m
from backcoach.storage.unit_of_work import UnitOfWork

PRIVACY_NOTICE_VERSION = "2026-11-29"
DEFAULT_GRACE_DAYS = 7


class ConsentRequired(BackcoachError):
    """Sign-up without agreeing to the privacy notice."""


class DeletionRefused(BackcoachError):
    """The confirmation for deleting the account did not match."""


CONSENT_MESSAGE = ("To create an account, please read the privacy notice and tick the box to agree to it "
                   "(over the API: send accept_privacy_notice: true).")
CONFIRM_MESSAGE = "That password is not right, so nothing was deleted. Type your current password to confirm."


# -- consent ------------------------------------------------------------------------------

def consented(accepted: Any) -> bool:
    return accepted in (True, "yes", "on", "true", "1")


def require_consent(accepted: Any) -> None:
    if not consented(accepted):
        raise ConsentRequired(CONSENT_MESSAGE)


def record_consent(uow: UnitOfWork, user_id: int, now: dt.datetime) -> None:
    """Keep which notice was agreed to, and when (the caller commits)."""
    user = uow.users.get(user_id)
    if user is not None:
        user.consent_version, user.consent_at = PRIVACY_NOTICE_VERSION, now


# -- a copy of everything -------------------------------------------------------------------

def _plain(value: Any) -> Any:
    if isinstance(value, (dt.datetime, dt.date)):
        return value.isoformat()
    if isinstance(value, bytes):
        return None  # stored answers to repeated requests: not personal data in themselves
    return value


SKIP_IN_EXPORT = {"web_idempotency"}  # copies of answers already in the export
SECRET_COLUMNS = {"password_hash", "key"}  # never leave the server, not even to their owner


def export_everything(uow: UnitOfWork, user_id: int, now: dt.datetime) -> dict[str, Any]:
    """Every row held about this account and its person, table by table, as plain JSON data."""
    user = uow.users.get(user_id)
    if user is None:
        raise BackcoachError("There is no such account.")
    out: dict[str, Any] = {
        "generated_at": now.isoformat(),
        "about": ("Everything backcoach holds about you: your account, your answers, sessions, pain scores, "
                  "the program's decisions with their reasons, and who viewed or changed your record."),
        "privacy_notice_version": PRIVACY_NOTICE_VERSION,
        "tables": {},
    }
    tables: dict[str, Any] = out["tables"]
    for name, rows in uow.personal_data.rows_about(user_id, user.person_id, skip=SKIP_IN_EXPORT).items():
        for row in rows:
            for col in list(row):
                if col in SECRET_COLUMNS and name in ("users", "web_sessions"):
                    row.pop(col)
                else:
                    row[col] = _plain(row[col])
        tables[name] = rows
    return out


# -- deletion -----------------------------------------------------------------------------------

def request_deletion(uow: UnitOfWork, user_id: int, password: str, verify: Callable[[str, str], bool],
                     now: dt.datetime) -> dt.datetime:
    """Mark the account for deletion after checking the password; returns when it will be removed
    (the caller ends the log-ins and commits)."""
    user = uow.users.get(user_id)
    if user is None or not verify(user.password_hash, password or ""):
        raise DeletionRefused(CONFIRM_MESSAGE)
    user.deletion_requested_at = now
    uow.audit.add(m.AuditEntry(actor_user_id=user_id, person_id=user.person_id, action="account.deletion_requested",
                               detail={}, at=now))
    return now


def deletion_due(requested_at: dt.datetime, grace_days: int) -> dt.datetime:
    return requested_at + dt.timedelta(days=grace_days)


def pending_deletion(uow: UnitOfWork, user_id: int) -> Optional[dt.datetime]:
    user = uow.users.get(user_id)
    return None if user is None else user.deletion_requested_at


def cancel_deletion(uow: UnitOfWork, user_id: int, now: dt.datetime) -> bool:
    """Logging in within the grace period keeps the account (the caller commits)."""
    user = uow.users.get(user_id)
    if user is None or user.deletion_requested_at is None:
        return False
    user.deletion_requested_at = None
    uow.audit.add(m.AuditEntry(actor_user_id=user_id, person_id=user.person_id, action="account.deletion_cancelled",
                               detail={}, at=now))
    return True


def delete_account_now(uow: UnitOfWork, user_id: int, now: dt.datetime) -> None:
    """Remove the account, its person and everything that refers to them (the caller commits)."""
    user = uow.users.get(user_id)
    if user is None:
        return
    person_id, email = user.person_id, user.email
    files = uow.personal_data.erase(user_id, person_id)
    uow.login_attempts.forget(login_keys(email, "")["account"])  # its failed log-ins name it
    uow.audit.add(m.AuditEntry(actor_user_id=None, person_id=None, action="account.deleted", detail={}, at=now))
    for path in files:
        try:
            os.remove(path)
        except FileNotFoundError:
            pass


def purge_deleted(uow: UnitOfWork, now: dt.datetime, grace_days: int = DEFAULT_GRACE_DAYS) -> int:
    """Remove every account whose grace period has passed; returns how many (the caller commits)."""
    cutoff = now - dt.timedelta(days=grace_days)
    ids = uow.users.due_for_deletion(cutoff)
    for user_id in ids:
        delete_account_now(uow, user_id, now)
    return len(ids)
