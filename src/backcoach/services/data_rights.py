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

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from backcoach.domain.errors import BackcoachError
from backcoach.storage import models as m

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


def record_consent(db: Session, user_id: int, now: dt.datetime) -> None:
    """Keep which notice was agreed to, and when (the caller commits)."""
    db.execute(update(m.User).where(m.User.id == user_id)
               .values(consent_version=PRIVACY_NOTICE_VERSION, consent_at=now))


# -- a copy of everything -------------------------------------------------------------------

def _plain(value: Any) -> Any:
    if isinstance(value, (dt.datetime, dt.date)):
        return value.isoformat()
    if isinstance(value, bytes):
        return None  # stored answers to repeated requests: not personal data in themselves
    return value


def _rows(db: Session, table: Any, where: Any) -> list[dict[str, Any]]:
    return [{k: _plain(v) for k, v in row._mapping.items()} for row in db.execute(select(table).where(where))]


SKIP_IN_EXPORT = {"web_idempotency"}  # copies of answers already in the export
SECRET_COLUMNS = {"password_hash", "key"}  # never leave the server, not even to their owner


def export_everything(db: Session, user_id: int, now: dt.datetime) -> dict[str, Any]:
    """Every row held about this account and its person, table by table, as plain JSON data."""
    user = db.get(m.User, user_id)
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
    for table in m.Base.metadata.sorted_tables:
        if table.name in SKIP_IN_EXPORT:
            continue
        conditions = []
        if table.name == "users":
            conditions.append(table.c.id == user_id)
        elif table.name == "people" and user.person_id is not None:
            conditions.append(table.c.id == user.person_id)
        for fk in table.foreign_keys:
            target = fk.column.table.name
            if target == "people" and user.person_id is not None:
                conditions.append(fk.parent == user.person_id)
            elif target == "users":
                conditions.append(fk.parent == user_id)
        if not conditions:
            continue
        from sqlalchemy import or_

        rows = _rows(db, table, or_(*conditions))
        for row in rows:
            for col in SECRET_COLUMNS & row.keys():
                if table.name in ("users", "web_sessions"):
                    row.pop(col)
        if rows:
            tables[table.name] = rows
    return out


# -- deletion -----------------------------------------------------------------------------------

def request_deletion(db: Session, user_id: int, password: str, verify: Callable[[str, str], bool],
                     now: dt.datetime) -> dt.datetime:
    """Mark the account for deletion after checking the password; returns when it will be removed
    (the caller ends the log-ins and commits)."""
    user = db.get(m.User, user_id)
    if user is None or not verify(user.password_hash, password or ""):
        raise DeletionRefused(CONFIRM_MESSAGE)
    user.deletion_requested_at = now
    db.add(m.AuditEntry(actor_user_id=user_id, person_id=user.person_id, action="account.deletion_requested",
                        detail={}, at=now))
    db.flush()
    return now


def deletion_due(requested_at: dt.datetime, grace_days: int) -> dt.datetime:
    return requested_at + dt.timedelta(days=grace_days)


def pending_deletion(db: Session, user_id: int) -> Optional[dt.datetime]:
    return db.scalar(select(m.User.deletion_requested_at).where(m.User.id == user_id))


def cancel_deletion(db: Session, user_id: int, now: dt.datetime) -> bool:
    """Logging in within the grace period keeps the account (the caller commits)."""
    user = db.get(m.User, user_id)
    if user is None or user.deletion_requested_at is None:
        return False
    user.deletion_requested_at = None
    db.add(m.AuditEntry(actor_user_id=user_id, person_id=user.person_id, action="account.deletion_cancelled",
                        detail={}, at=now))
    db.flush()
    return True


def delete_account_now(db: Session, user_id: int, now: dt.datetime) -> None:
    """Remove the account, its person and everything that refers to them (the caller commits)."""
    from backcoach.web.models import LoginAttempt

    user = db.get(m.User, user_id)
    if user is None:
        return
    person_id, email = user.person_id, user.email
    audit = m.AuditEntry.__table__
    # the audit log keeps what happened and when, but no longer who
    who = audit.c.actor_user_id == user_id
    if person_id is not None:
        who = who | (audit.c.person_id == person_id)
    db.execute(update(audit).where(who).values(actor_user_id=None, person_id=None, detail={}))
    files: list[str] = []
    for table in reversed(m.Base.metadata.sorted_tables):
        if table.name in ("audit_log", "users", "people"):
            continue
        for fk in table.foreign_keys:
            target = fk.column.table.name
            if target == "people" and person_id is not None:
                ref = person_id
            elif target == "users":
                ref = user_id
            else:
                continue
            if fk.ondelete == "SET NULL" and fk.parent.nullable:
                db.execute(update(table).where(fk.parent == ref).values({fk.parent.name: None}))
            else:
                if "file_path" in table.c:  # files kept on disk for these rows (a kept exercise video)
                    files += [p for p in db.scalars(select(table.c.file_path).where(fk.parent == ref)) if p]
                db.execute(delete(table).where(fk.parent == ref))
    db.execute(delete(LoginAttempt).where(LoginAttempt.key == f"email:{email}"))
    db.execute(delete(m.User.__table__).where(m.User.id == user_id))
    if person_id is not None:
        db.execute(delete(m.Person.__table__).where(m.Person.id == person_id))
    db.add(m.AuditEntry(actor_user_id=None, person_id=None, action="account.deleted", detail={}, at=now))
    db.flush()
    for path in files:
        try:
            os.remove(path)
        except FileNotFoundError:
            pass


def purge_deleted(db: Session, now: dt.datetime, grace_days: int = DEFAULT_GRACE_DAYS) -> int:
    """Remove every account whose grace period has passed; returns how many (the caller commits)."""
    cutoff = now - dt.timedelta(days=grace_days)
    ids = list(db.scalars(select(m.User.id).where(m.User.deletion_requested_at.is_not(None),
                                                   m.User.deletion_requested_at <= cutoff)))
    for user_id in ids:
        delete_account_now(db, user_id, now)
    return len(ids)
