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
from typing import TYPE_CHECKING, Optional

from backcoach.services import web_accounts as accounts
from backcoach.storage.models import WebSession
from backcoach.storage.unit_of_work import UnitOfWork
from backcoach.web.security import Session

if TYPE_CHECKING:
    from fastapi import Request

    from backcoach.web.deps import Caller

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


# -- logging in and out (pages and API alike) ---------------------------------------------

def _after_login(request: Request, uow: UnitOfWork, account: accounts.Account) -> bool:
    """Accounts past their deletion grace period are removed (this one too: then the log-in
    fails); logging in within it cancels the deletion (services/data_rights.py). True when
    a deletion was cancelled."""
    from backcoach.services import data_rights

    now = request.app.state.clock()
    data_rights.purge_deleted(uow, now, request.app.state.settings.deletion_grace_days)
    if data_rights.pending_deletion(uow, account.id) is not None:
        data_rights.cancel_deletion(uow, account.id, now)
        return True
    if accounts.get_account(uow, account.id) is None:
        uow.commit()
        raise accounts.AccountError(accounts.WRONG_LOGIN)
    return False


def log_in(request: Request, uow: UnitOfWork, caller: Caller, account: accounts.Account) -> bool:
    """New session id on log-in (no session fixation); old CSRF tokens stop working.

    The log-in is recorded server-side (this module) and committed here, so that
    logging out can end it; a previous log-in in this browser ends. True when logging in
    cancelled a pending deletion of the account.
    """
    signer = request.app.state.signer
    if caller.session.user_id is not None:
        end(uow, caller.session.sid)
    cancelled = _after_login(request, uow, account)
    sid = new_id()
    purge_expired(uow)
    start(uow, account.id, sid, COOKIE, signer.session_max_age)
    uow.commit()
    request.state.session = caller.session = Session(sid=sid, user_id=account.id, role=account.role)
    request.state.session_dirty = True
    caller.account = account
    caller.sid = sid
    return cancelled


def issue_token(request: Request, uow: UnitOfWork, account: accounts.Account) -> str:
    """A new API bearer token with its own server-side record (committed here)."""
    signer = request.app.state.signer
    _after_login(request, uow, account)
    sid = new_id()
    start(uow, account.id, sid, TOKEN, signer.token_max_age)
    uow.commit()
    return signer.api_token(account.id, account.role, sid)


def log_out(request: Request, uow: UnitOfWork, caller: Caller) -> None:
    """End this log-in: the cookie's or the bearer token's record is deleted, so a copy
    of the old cookie or token no longer works."""
    end(uow, caller.sid)
    uow.commit()
    if not caller.via_token:
        request.state.session = caller.session = Session.anonymous()
        request.state.session_dirty = True
    caller.account = None
    caller.sid = None


def log_out_everywhere(request: Request, uow: UnitOfWork, caller: Caller) -> int:
    """End every cookie and token of this account (another device, a lost phone...)."""
    assert caller.account is not None
    ended = end_all(uow, caller.account.id)
    uow.commit()
    caller.sid = None
    log_out(request, uow, caller)
    return ended
