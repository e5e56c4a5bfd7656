"""Request dependencies: the database session, the session cookie, the current
account, CSRF checks, and the page renderer.

Routes only parse input, call a service and render; everything they share lives here.
"""

from __future__ import annotations

import datetime as dt
import secrets
import sys
from dataclasses import dataclass, field
from typing import Annotated, Any, AsyncIterator, Callable, TypeVar

import anyio
from fastapi import Depends, HTTPException, Path, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import TypeAdapter

from backcoach.domain.errors import BackcoachError
from backcoach.services import web_accounts as accounts
from backcoach.storage.unit_of_work import SqlAlchemyUnitOfWork
from backcoach.web import idempotency, sessions, stall
from backcoach.web.blocking import run_blocking
from backcoach.web.security import CSRF_FORM_FIELD, CSRF_HEADER, Session

DISCLAIMER = (
    "backcoach does not replace a clinician. It cannot examine you. If it tells you to seek care, "
    "do so; if something feels wrong, stop and ask a doctor or physiotherapist."
)


T = TypeVar("T")

MAX_ID = 2_147_483_647
RecordId = Annotated[int, Path(ge=1, le=MAX_ID, description="A record id")]


class LoginRequired(Exception):
    """Raised by page dependencies; the app turns it into a redirect to the log-in page."""

    def __init__(self, reason: str | None = None) -> None:
        self.reason = reason


class CsrfFailed(BackcoachError):
    """The form's security token is missing, stale or from another session."""


CSRF_MESSAGE = (
    "This form had expired or came from an older page (for example after logging in again). "
    "Nothing was changed. Please reload the page and try again."
)


class WebUnitOfWork(SqlAlchemyUnitOfWork):
    """The storage unit of work, except that records handed back by a service stay readable.

    A rollback (which ends every `with uow:` block, even after a commit) expires the
    loaded records; the services return some of them (e.g. the latest screening in a
    GateInfo), so we detach them first. Pending changes are never kept: they are either
    committed already or meant to be thrown away.
    """

    def __init__(self, *args: Any, write_lock: Any = None, lock_write_phase_only: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._write_lock = write_lock
        self._lock_write_phase_only = lock_write_phase_only
        self._locked = False

    def _lock(self) -> None:
        if self._write_lock is not None and not self._locked:
            self._write_lock.acquire()
            self._locked = True

    def _unlock(self) -> None:
        if self._locked:
            self._locked = False
            self._write_lock.release()

    def __enter__(self) -> "WebUnitOfWork":
        if not self._lock_write_phase_only:
            self._lock()
        try:
            return super().__enter__()  # type: ignore[return-value]
        except BaseException:
            self._unlock()
            raise

    def begin_write(self) -> None:
        self._lock()
        super().begin_write()

    def __exit__(self, *exc: Any) -> None:
        try:
            super().__exit__(*exc)
        finally:
            self._unlock()

    def rollback(self) -> None:
        if self.session is not None:
            self.session.expunge_all()
        super().rollback()


_PLAIN_JSON: TypeAdapter[Any] = TypeAdapter(Any)


class PlainJSONResponse(Response):
    """Plain data (dicts, lists, numbers, strings, dates) as JSON, made in the route's own
    thread by the same pydantic serializer, so in the same bytes, that FastAPI uses for a
    ``dict[str, Any]`` return value.

    Returning a response skips FastAPI's validation of the returned value, which for
    ``dict[str, Any]`` checks little more than the container's type and costs one more trip
    to the thread pool per request. Declare the shape with ``response_model=...`` on the
    route, so that /openapi.json stays the same.
    """

    media_type = "application/json"

    def render(self, content: Any) -> bytes:
        return _PLAIN_JSON.dump_json(content)


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


@dataclass
class Ctx:
    """Everything a route needs about this request."""

    request: Request
    uow: SqlAlchemyUnitOfWork
    session: Session
    account: accounts.Account | None
    via_token: bool = False
    extra: dict[str, Any] = field(default_factory=dict)
    # the id of the live log-in this request came with (cookie or token; web/sessions.py)
    sid: str | None = None
    # while a keyed write runs (web/idempotency.py): the one transaction its service calls share
    held: Any = None

    def commit(self) -> None:
        self.uow.commit()

    def service_uow(self, write: bool = True, write_phase_only: bool = False) -> SqlAlchemyUnitOfWork:
        """A fresh unit of work for a service call (services open and commit their own transaction).

        On SQLite a writing call takes the write lock (threads and worker processes) first;
        a read-only call (write=False) does not need it: WAL readers never wait for the
        writer. A service that reads first and writes in one short phase (`uow.begin_write()`,
        e.g. log_session) takes it only for that phase (write_phase_only=True). Inside a keyed
        write (api_once, form_once) every call shares that write's one transaction instead.
        """
        if self.held is not None:
            return self.held
        state = self.request.app.state
        return WebUnitOfWork(session_factory=state.sessionmaker, write_lock=state.sqlite_lock if write else None,
                             lock_write_phase_only=write_phase_only)

    @property
    def person_id(self) -> int:
        if self.account is None or self.account.person_id is None:
            raise accounts.NotAllowed("This page is for a person's account.")
        return self.account.person_id

    def api_once(self, idempotency_key: str | None, write: Callable[[], T], respond: Callable[[T], Response]) -> Response:
        """An API write: with an Idempotency-Key, made once per account and key, the key and
        the answer stored in the write's own transaction; a retry gets the first answer."""
        if not idempotency_key:
            return respond(write())
        return idempotency.run_once(self, "api:" + idempotency_key, write, respond,
                                    idempotency.fingerprint_of(self.request))

    def form_token(self) -> str:
        return idempotency.issue_form_token(self.settings.secret_key, self.session.sid)

    def form_token_valid(self, token: str) -> bool:
        return idempotency.form_token_valid(self.settings.secret_key, self.session.sid, token)

    def form_once(self, form: Any, write: Callable[[], T], respond: Callable[[T], Response]) -> Response:
        """A page form's write, made once per form token (issued by `form_token` for this session)."""
        token = form.get("form_token")
        if not token:
            return respond(write())
        if not self.form_token_valid(token):
            raise idempotency.FormTokenInvalid(idempotency.FORM_TOKEN_MESSAGE)
        return idempotency.run_once(self, "form:" + token, write, respond)

    @property
    def settings(self) -> Any:
        return self.request.app.state.settings

    @property
    def now(self) -> dt.datetime:
        return self.request.app.state.clock()

    @property
    def today(self) -> dt.date:
        return self.now.date()

    @property
    def signer(self):
        return self.request.app.state.signer

    def csrf_token(self) -> str:
        return self.signer.csrf_token(self.session)

    def login(self, account: accounts.Account) -> None:
        """New session id on log-in (no session fixation); old CSRF tokens stop working.

        The log-in is recorded server-side (web/sessions.py) and committed here, so that
        logging out can end it; a previous log-in in this browser ends.
        """
        if self.session.user_id is not None:
            sessions.end(self.uow, self.session.sid)
        self._after_login(account)
        sid = sessions.new_id()
        sessions.purge_expired(self.uow)
        sessions.start(self.uow, account.id, sid, sessions.COOKIE, self.signer.session_max_age)
        self.commit()
        self.request.state.session = Session(sid=sid, user_id=account.id, role=account.role)
        self.request.state.session_dirty = True
        self.session = self.request.state.session
        self.account = account
        self.sid = sid

    def _after_login(self, account: accounts.Account) -> None:
        """Accounts past their deletion grace period are removed (this one too: then the log-in
        fails); logging in within it cancels the deletion (services/data_rights.py)."""
        from backcoach.services import data_rights

        data_rights.purge_deleted(self.uow, self.now, self.settings.deletion_grace_days)
        if data_rights.pending_deletion(self.uow, account.id) is not None:
            data_rights.cancel_deletion(self.uow, account.id, self.now)
            self.extra["deletion_cancelled"] = True
        elif accounts.get_account(self.uow, account.id) is None:
            self.commit()
            raise accounts.AccountError(accounts.WRONG_LOGIN)

    def issue_token(self, account: accounts.Account) -> str:
        """A new API bearer token with its own server-side record (committed here)."""
        self._after_login(account)
        sid = sessions.new_id()
        sessions.start(self.uow, account.id, sid, sessions.TOKEN, self.signer.token_max_age)
        self.commit()
        return self.signer.api_token(account.id, account.role, sid)

    def logout(self) -> None:
        """End this log-in: the cookie's or the bearer token's record is deleted, so a copy
        of the old cookie or token no longer works."""
        sessions.end(self.uow, self.sid)
        self.commit()
        if not self.via_token:
            self.request.state.session = Session.anonymous()
            self.request.state.session_dirty = True
            self.session = self.request.state.session
        self.account = None
        self.sid = None

    def logout_everywhere(self) -> int:
        """End every cookie and token of this account (another device, a lost phone...)."""
        assert self.account is not None
        ended = sessions.end_all(self.uow, self.account.id)
        self.commit()
        self.sid = None
        self.logout()
        return ended

    def render(self, template: str, status_code: int = 200, **context: Any) -> HTMLResponse:
        templates = self.request.app.state.templates
        base = {
            "request": self.request,
            "account": self.account,
            "csrf_token": self.csrf_token(),
            "form_token": self.form_token(),
            "disclaimer": DISCLAIMER,
            "path": self.request.url.path,
            "message": _flash(self.request),
        }
        base.update(context)
        return templates.TemplateResponse(self.request, template, base, status_code=status_code)


FLASH = {
    "expired": ("warn", "Your session ended, so you were logged out. Please log in again; nothing was lost."),
    "loggedout": ("ok", "You are logged out."),
    "deletion-requested": ("ok", "Your account is marked for deletion, and you are logged out everywhere. It and all "
                           "your data will be removed when the waiting period ends. Changed your mind? Just log in "
                           "again before then."),
    "deletion-cancelled": ("ok", "Welcome back. Logging in cancelled the deletion of your account; nothing was removed."),
    "loggedout-everywhere": ("ok", "You are logged out on every device and every app that used your account."),
    "welcome": ("ok", "Welcome to backcoach. First, a few safety questions."),
    "signedup": ("ok", "Your account is ready: log in with your e-mail address and password. If this address "
                       "already had an account, log in with the password you chose then."),
    "checkin": ("ok", "Thank you. Your pain check-in is saved."),
    "adjusted": ("ok", "The change is saved and recorded with your name; the person sees your note on their Today page."),
    "cleared": ("ok", "The assessment is saved and recorded with your name."),
    "joined": ("ok", "You are now connected with your clinician."),
    "assigned": ("ok", "The person is now connected to that clinician."),
    "approved": ("ok", "The clinician account is approved. They can now invite people and see those who join them."),
    "refused": ("ok", "The clinician account is refused. It cannot see anyone's data."),
}


def _flash(request: Request) -> tuple[str, str] | None:
    return FLASH.get(request.query_params.get("msg", ""))


async def get_uow(request: Request) -> AsyncIterator[SqlAlchemyUnitOfWork]:
    """One unit of work (one transaction) per request; routes commit explicitly, so a
    write is in the database before its response is sent.

    An async dependency, so that it costs no trip to the thread pool: opening does no I/O
    (the session connects on first use), and closing does none either unless the session
    still holds a transaction; only then do the rollback and the connection's return to
    the pool run in the thread pool.
    """
    stall.check(request)  # a stalled database: 503 at once (web/stall.py)
    uow = SqlAlchemyUnitOfWork(session_factory=request.app.state.sessionmaker)
    uow.__enter__()
    exc_info: tuple[Any, Any, Any] = (None, None, None)
    try:
        yield uow
    except BaseException:
        exc_info = sys.exc_info()
        raise
    finally:
        if uow.session is not None and uow.session.in_transaction():
            with anyio.CancelScope(shield=True):  # a cancelled request still gives its connection back
                await run_blocking(uow.__exit__, *exc_info)
        else:
            uow.__exit__(*exc_info)


def _ctx(request: Request, uow: SqlAlchemyUnitOfWork) -> Ctx:
    """Who is asking (blocking: it may read the account from the database; see web/blocking.py).

    A cookie or token counts only while its server-side record lives (web/sessions.py): the
    account and the record are read in one statement.
    """
    session: Session = request.state.session
    account = None
    via_token = False
    sid = None
    auth = request.headers.get("authorization", "")
    if auth[:7].lower() == "bearer ":
        uid, sid, problem = request.app.state.signer.load_api_token_session(auth[7:].strip())
        if uid is None:
            raise HTTPException(401, "Your access token has expired; request a new one." if problem == "expired"
                                else "The access token is not valid.", headers={"WWW-Authenticate": "Bearer"})
        account = sessions.account_for(uow, uid, sid)
        if account is None:
            raise HTTPException(401, "The access token is not valid (it may have been logged out); request a new one.",
                                headers={"WWW-Authenticate": "Bearer"})
        via_token = True
    elif session.user_id is not None:
        account = sessions.account_for(uow, session.user_id, session.sid)
        if account is None:  # logged out (here or everywhere) or deleted: the cookie is dead
            request.state.session = session = Session.anonymous()
            request.state.session_dirty = True
            request.state.session_problem = request.state.session_problem or "expired"
        else:
            sid = session.sid
    uow.rollback()  # release the connection until the route needs it again
    request.state.account = account  # for the error pages
    return Ctx(request=request, uow=uow, session=session, account=account, via_token=via_token, sid=sid)


# The request's context is one async dependency over the unit of work, with the account lookup
# in one trip to the thread pool, rather than a sync dependency (one more trip) on a sync
# generator (two more: entering and leaving).

async def ctx_optional(request: Request, uow: SqlAlchemyUnitOfWork = Depends(get_uow)) -> Ctx:
    return await run_blocking(_ctx, request, uow)


async def page_ctx(request: Request, uow: SqlAlchemyUnitOfWork = Depends(get_uow)) -> Ctx:
    """A page that needs a logged-in account: otherwise redirect to log in."""
    ctx = await run_blocking(_ctx, request, uow)
    if ctx.account is None:
        raise LoginRequired(request.state.session_problem)
    return ctx


async def api_ctx(request: Request, uow: SqlAlchemyUnitOfWork = Depends(get_uow)) -> Ctx:
    """An API call that needs an account (cookie plus CSRF header for writes, or a bearer token)."""
    ctx = await run_blocking(_ctx, request, uow)
    if ctx.account is None:
        problem = request.state.session_problem
        raise HTTPException(
            401,
            "Your session has expired; log in again." if problem == "expired" else "Log in first (cookie session or bearer token).",
            headers={"WWW-Authenticate": "Bearer"},
        )
    if request.method not in ("GET", "HEAD", "OPTIONS") and not ctx.via_token:
        if not ctx.signer.csrf_valid(ctx.session, request.headers.get(CSRF_HEADER)):
            raise HTTPException(403, CSRF_MESSAGE)
    return ctx


async def api_ctx_anonymous(request: Request, uow: SqlAlchemyUnitOfWork = Depends(get_uow)) -> Ctx:
    """Sign-up and log-in over the API: no account yet; cookie callers still need the CSRF header."""
    ctx = await run_blocking(_ctx, request, uow)
    if request.method not in ("GET", "HEAD", "OPTIONS") and request.cookies.get("bc_session"):
        if not ctx.signer.csrf_valid(ctx.session, request.headers.get(CSRF_HEADER)):
            raise HTTPException(403, CSRF_MESSAGE)
    return ctx


async def check_csrf_form(request: Request) -> None:
    """Every HTML form carries the CSRF token; it must match this session."""
    form = await request.form()
    token = form.get(CSRF_FORM_FIELD)
    if not request.app.state.signer.csrf_valid(request.state.session, token if isinstance(token, str) else None):
        raise CsrfFailed(CSRF_MESSAGE)


def role_required(ctx: Ctx, *roles: str) -> accounts.Account:
    if ctx.account is None or ctx.account.role not in roles:
        raise accounts.NotAllowed("This page is not available to your account.")
    return ctx.account


def clinician_required(ctx: Ctx, person_id: int | None = None) -> accounts.Account:
    """Every clinician page and API call asks this (the one rule, services/access.py): an
    approved clinician or an administrator, following `person_id` when given, never on
    their own record. A pending or refused clinician gets ClinicianNotApproved (403)."""
    return accounts.require_clinician(ctx.uow, ctx.account, person_id)


def redirect(url: str) -> RedirectResponse:
    return RedirectResponse(url, status_code=303)
