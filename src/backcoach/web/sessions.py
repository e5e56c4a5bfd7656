"""Server-side records of who is logged in, so that logging out really ends a session.

A cookie or an API token is signed (web/security.py), which proves it was issued by us,
but a signature cannot be taken back: without a record, a cookie copied before log-out
would keep working until it expires. So each log-in and each API token gets a row in
`web_sessions` keyed by the SHA-256 of the random id it carries; log-out deletes the row,
"log out everywhere" deletes all the rows of the account.

Why it costs nothing per request: the account lookup every authenticated request makes
already reads the user; it now joins the session row in the same statement.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from typing import Optional

from backcoach.services import web_accounts as accounts
from backcoach.storage.models import WebSession
from backcoach.storage.unit_of_work import UnitOfWork

COOKIE = "cookie"
TOKEN = "token"


def new_id() -> str:
    """A random session id (128 bits) for a cookie or token."""
    return secrets.token_urlsafe(16)


def key_of(sid: str) -> str:
    """What the database keeps instead of the id itself."""
    return hashlib.sha256(sid.encode("utf-8")).hexdigest()


def wall_clock() -> dt.datetime:
    # Sessions expire in real time, like the signature's own time stamp (never the app's test clock).
    return dt.datetime.now(dt.timezone.utc)


def start(uow: UnitOfWork, user_id: int, sid: str, kind: str, max_age_s: int) -> None:
    """Record a new log-in (the caller commits)."""
    now = wall_clock()
    uow.web_sessions.add(WebSession(key=key_of(sid), user_id=user_id, kind=kind, created_at=now,
                                    expires_at=now + dt.timedelta(seconds=max_age_s)))


def end(uow: UnitOfWork, sid: Optional[str]) -> None:
    """Forget one log-in (the caller commits)."""
    if sid:
        uow.web_sessions.end(key_of(sid))


def end_all(uow: UnitOfWork, user_id: int) -> int:
    """Forget every log-in of this account, cookies and tokens alike (the caller commits)."""
    return uow.web_sessions.end_all(user_id)


def purge_expired(uow: UnitOfWork) -> None:
    """Drop the rows of sessions whose signature has expired anyway (the caller commits)."""
    uow.web_sessions.purge_expired(wall_clock())


def account_for(uow: UnitOfWork, user_id: int, sid: Optional[str]) -> Optional[accounts.Account]:
    """The account of a live session, or None (logged out, logged out everywhere, deleted)."""
    if not sid:
        return None
    row = uow.web_sessions.account_of(user_id, key_of(sid))
    return None if row is None else accounts._account(row)
