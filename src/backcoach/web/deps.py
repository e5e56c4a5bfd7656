"""Request dependencies, as `Annotated` types a route names in its signature:

- `Db`: the request's unit of work (one transaction; the route commits what it writes).
- `AnyCaller`, `ApiCaller`, `AnonymousApiCaller`: who is asking (cookie or bearer token,
  checked against its server-side record; the CSRF header on cookie writes).
- `CurrentAccount`, `CurrentPerson`, `CurrentAdmin`, `CurrentClinician`,
  `ClinicianOfPerson`: the account, required to be of that kind (the clinician rule is
  services/access.py, with the person in the path).
- `Now`: the app's clock; `Services`: units of work for service calls and keyed writes.

The pages build on these (web/pages.py).
"""

from __future__ import annotations

import datetime as dt
import sys
from dataclasses import dataclass
from typing import Annotated, Any, AsyncIterator, Callable, Optional, TypeVar

import anyio
from fastapi import Depends, Header, HTTPException, Path, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import Response

from backcoach.services import web_accounts as accounts
from backcoach.storage.unit_of_work import SqlAlchemyUnitOfWork
from backcoach.web import idempotency, sessions, stall
from backcoach.web.security import CSRF_HEADER, Session

CSRF_MESSAGE = (
    "This form had expired or came from an older page (for example after logging in again). "
    "Nothing was changed. Please reload the page and try again."
)

T = TypeVar("T")

MAX_ID = 2_147_483_647
RecordId = Annotated[int, Path(ge=1, le=MAX_ID, description="A record id")]


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


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


@dataclass
class Caller:
    """Who is asking: the account (None: nobody logged in), the cookie session, and the id of
    the live log-in the request came with (cookie or token; web/sessions.py)."""

    account: accounts.Account | None
    session: Session
    sid: str | None = None
    via_token: bool = False


class ServiceUnits:
    """Units of work for the service calls of one request, and API writes made once per key.

    Services open and commit their own transaction on the unit of work they are given. On
    SQLite a writing call takes the write lock (threads and worker processes) first; a
    read-only call (`read()`) does not need it: WAL readers never wait for the writer. A
    service that reads first and writes in one short phase (`uow.begin_write()`, e.g.
    log_session) takes it only for that phase (`write_phase()`). Inside a keyed write
    (`once`, or a page's form token) every call shares that write's one transaction instead.
    """

    def __init__(self, request: Request, now: dt.datetime) -> None:
        self.request = request
        self.state = request.app.state
        self.now = now
        self.held: Any = None  # while a keyed write runs (web/idempotency.py): its one transaction

    def write(self, write_phase_only: bool = False) -> SqlAlchemyUnitOfWork:
        if self.held is not None:
            return self.held
        return WebUnitOfWork(session_factory=self.state.sessionmaker, write_lock=self.state.sqlite_lock,
                             lock_write_phase_only=write_phase_only)

    def write_phase(self) -> SqlAlchemyUnitOfWork:
        return self.write(write_phase_only=True)

    def read(self) -> SqlAlchemyUnitOfWork:
        if self.held is not None:
            return self.held
        return WebUnitOfWork(session_factory=self.state.sessionmaker)

    def once(self, account: accounts.Account, idempotency_key: str | None, write: Callable[[], T],
             respond: Callable[[T], Response]) -> Response:
        """An API write: with an Idempotency-Key, made once per account and key, the key and
        the answer stored in the write's own transaction; a retry gets the first answer."""
        if not idempotency_key:
            return respond(write())
        return idempotency.run_once(self, account.id, "api:" + idempotency_key, write, respond,
                                    idempotency.fingerprint_of(self.request))


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
                await run_in_threadpool(uow.__exit__, *exc_info)
        else:
            uow.__exit__(*exc_info)


def identify(request: Request, uow: SqlAlchemyUnitOfWork) -> Caller:
    """Who is asking (it reads the account from the database).

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
    return Caller(account=account, session=session, sid=sid, via_token=via_token)


Db = Annotated[SqlAlchemyUnitOfWork, Depends(get_uow)]


def _csrf_checked(request: Request, caller: Caller) -> None:
    if not request.app.state.signer.csrf_valid(caller.session, request.headers.get(CSRF_HEADER)):
        raise HTTPException(403, CSRF_MESSAGE)


def identified(request: Request) -> Caller:
    """`identify` in a read-only unit of work of its own, which gives its connection back at once.

    Why not the request's `Db`: the API's hot routes (session logs, check-ins, progress) use
    service calls (`Services`), not `Db`, and `Db` is an async generator dependency, the
    costliest kind for FastAPI to set up and close (an exit stack, a context manager, a
    shielded exit); by this the caller's check costs no more than its one statement. Database
    errors are translated as `Db` translates them (a busy database: 503)."""
    stall.check(request)  # a stalled database: 503 at once (web/stall.py)
    with WebUnitOfWork(session_factory=request.app.state.sessionmaker) as uow:
        if request.state.session.user_id is not None or request.headers.get("authorization"):
            uow.single_statement_reads()  # an account to look up (it connects: only then)
        return identify(request, uow)


def any_caller(request: Request) -> Caller:
    """Anyone, logged in or not."""
    return identified(request)


def api_caller(request: Request) -> Caller:
    """An API call that needs an account (cookie plus CSRF header for writes, or a bearer token)."""
    caller = identified(request)
    if caller.account is None:
        problem = request.state.session_problem
        raise HTTPException(
            401,
            "Your session has expired; log in again." if problem == "expired" else "Log in first (cookie session or bearer token).",
            headers={"WWW-Authenticate": "Bearer"},
        )
    if request.method not in ("GET", "HEAD", "OPTIONS") and not caller.via_token:
        _csrf_checked(request, caller)
    return caller


def anonymous_api_caller(request: Request) -> Caller:
    """Sign-up and log-in over the API: no account yet; cookie callers still need the CSRF header."""
    caller = identified(request)
    if request.method not in ("GET", "HEAD", "OPTIONS") and request.cookies.get("bc_session"):
        _csrf_checked(request, caller)
    return caller


AnyCaller = Annotated[Caller, Depends(any_caller)]
ApiCaller = Annotated[Caller, Depends(api_caller)]
AnonymousApiCaller = Annotated[Caller, Depends(anonymous_api_caller)]


async def current_account(caller: ApiCaller) -> accounts.Account:
    assert caller.account is not None
    return caller.account


CurrentAccount = Annotated[accounts.Account, Depends(current_account)]


async def current_person(caller: ApiCaller) -> accounts.Account:
    """A person's own account (it has a person record): the caller reaches only their own data.

    It asks for `ApiCaller` itself rather than `CurrentAccount` (which only asserts that there
    is an account): one dependency fewer for FastAPI to solve on the hottest routes."""
    account = caller.account
    assert account is not None
    if account.role != "person" or account.person_id is None:
        raise accounts.NotAllowed("This page is not available to your account.")
    return account


async def current_admin(account: CurrentAccount) -> accounts.Account:
    if account.role != "admin":
        raise accounts.NotAllowed("This page is not available to your account.")
    return account


def current_clinician(account: CurrentAccount, uow: Db) -> accounts.Account:
    """An approved clinician or an administrator (the one rule, services/access.py); a
    pending or refused clinician gets ClinicianNotApproved (403)."""
    return accounts.require_clinician(uow, account)


def clinician_of_person(person_id: RecordId, account: CurrentAccount, uow: Db) -> accounts.Account:
    """An approved clinician following the person in the path (or an administrator), never on
    their own record."""
    return accounts.require_clinician(uow, account, person_id)


CurrentPerson = Annotated[accounts.Account, Depends(current_person)]
CurrentAdmin = Annotated[accounts.Account, Depends(current_admin)]
CurrentClinician = Annotated[accounts.Account, Depends(current_clinician)]
ClinicianOfPerson = Annotated[accounts.Account, Depends(clinician_of_person)]


async def clock_now(request: Request) -> dt.datetime:
    """The app's clock (tests set it), read once per request."""
    return request.app.state.clock()


Now = Annotated[dt.datetime, Depends(clock_now)]


async def service_units(request: Request, now: Now) -> ServiceUnits:
    return ServiceUnits(request, now)


Services = Annotated[ServiceUnits, Depends(service_units)]

IdempotencyKey = Annotated[Optional[str], Header(max_length=200, description="Send the same key again and nothing "
                                                                               "changes (the first answer comes back)")]
