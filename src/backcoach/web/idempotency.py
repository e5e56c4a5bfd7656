"""Writes made at most once per key, with the first answer kept for repeats.

A key is an API caller's `Idempotency-Key` header or a page form's one-time token. Why
it is stored in the SAME transaction as the write (one `HeldUnitOfWork` that every
service call of the write shares): stored before, a crash in between leaves "already
sent" with nothing saved; stored after, a crash in between saves the write twice when
the caller retries. The answer (status and body) is stored with the key, so a retry
after a lost answer gets exactly what the first call got, not an error.

Keys belong to one account (the table is unique per account and key), so nobody can use
up another account's key; page-form tokens are issued by the server, signed for the
session they were rendered in, and refused otherwise.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets
from typing import Any, Callable, Optional, TypeVar

from fastapi.responses import RedirectResponse, Response
from sqlalchemy.exc import DBAPIError, IntegrityError, OperationalError
from sqlalchemy.orm.exc import StaleDataError

from backcoach.domain.errors import BackcoachError
from backcoach.storage.database import CHANGED_MESSAGE, ChangedMeanwhile, Conflict
from backcoach.storage.models import IdempotencyRecord
from backcoach.storage.unit_of_work import SqlAlchemyUnitOfWork, UnitOfWork

T = TypeVar("T")

MAX_ATTEMPTS = 5
KEEP_DAYS = 30  # records older than this are dropped by `backcoach purge-deleted` and at start-up
REPLAYED_HEADER = "Idempotent-Replayed"


class KeyReused(BackcoachError):
    """The same key came with a different request: it names another write (422)."""


class FormTokenInvalid(BackcoachError):
    """A page form's token was not issued for this session (403)."""


FORM_TOKEN_MESSAGE = ("This form could not be recognised (it may come from an older page or another log-in). "
                      "Nothing was changed. Please reload the page and try again.")
ALREADY_SENT = "This form was already sent and saved, so nothing was changed the second time."
KEY_REUSED = ("This Idempotency-Key was already used for a different request; nothing was changed. "
              "Use a new key for each new write, and the same key only to retry the same request.")


# -- page-form tokens ---------------------------------------------------------------------

def _form_mac(secret: str, sid: str, nonce: str) -> str:
    msg = f"form-token|{sid}|{nonce}".encode("utf-8")
    return hmac.new(secret.encode("utf-8"), msg, hashlib.sha256).hexdigest()[:32]


def issue_form_token(secret: str, sid: str) -> str:
    """A new one-time token for a rendered form, bound to this session."""
    nonce = secrets.token_urlsafe(16)
    return f"{nonce}.{_form_mac(secret, sid, nonce)}"


def form_token_valid(secret: str, sid: str, token: str) -> bool:
    nonce, _, mac = token.partition(".")
    if not nonce or not mac or len(token) > 200:
        return False
    return hmac.compare_digest(mac, _form_mac(secret, sid, nonce))


# -- the shared transaction --------------------------------------------------------------

class HeldUnitOfWork(SqlAlchemyUnitOfWork):
    """One write transaction that the service calls of a keyed write all share.

    A service's `commit()` only flushes; the real commit comes once the key and the answer
    are added too (`finish`). If anything fails, everything rolls back together. On SQLite
    the transaction takes the write lock at once (BEGIN IMMEDIATE), so nothing changes
    under it; on PostgreSQL a clash found by a service (ChangedMeanwhile) ends the whole
    attempt and `run_once` starts it again.
    """

    def __init__(self, session_factory: Callable[[], Any]) -> None:
        super().__init__(session_factory=session_factory)
        self.failed = False

    def start(self) -> None:
        super().__enter__()
        assert self.session is not None
        if self.session.get_bind().dialect.name == "sqlite":
            self.session.connection().exec_driver_sql("BEGIN IMMEDIATE")

    def __enter__(self) -> "HeldUnitOfWork":
        if self.failed:  # an earlier part of this write was rolled back: start the whole write again
            raise ChangedMeanwhile(CHANGED_MESSAGE)
        return self

    def __exit__(self, exc_type: Any, exc: Optional[BaseException], tb: Any) -> None:
        if exc is not None:
            self.failed = True
            assert self.session is not None
            self.session.rollback()
            translated = self._translate(exc)
            if translated is not None:
                raise translated from exc

    def begin_write(self) -> None:
        """Already writing (see `start`)."""

    def commit(self) -> None:
        """Flush only: the real commit is `finish`, with the key and the answer."""
        assert self.session is not None
        try:
            self.session.flush()
        except (IntegrityError, OperationalError, DBAPIError, StaleDataError) as exc:
            self.failed = True
            self.session.rollback()
            translated = self._translate(exc)
            if translated is not None:
                raise translated from exc
            raise

    def rollback(self) -> None:
        """A service's rollback would undo the other services' parts: `close` does it."""

    def finish(self) -> None:
        SqlAlchemyUnitOfWork.commit(self)

    def close(self) -> None:
        SqlAlchemyUnitOfWork.__exit__(self, None, None, None)


# -- stored answers -------------------------------------------------------------------------

def _replay(row: Any, fingerprint: Optional[str]) -> Response:
    if fingerprint is not None and row.fingerprint is not None and row.fingerprint != fingerprint:
        raise KeyReused(KEY_REUSED)
    headers = {REPLAYED_HEADER: "true"}
    if row.location:
        return RedirectResponse(row.location, status_code=row.status, headers=headers)
    if row.body is None:  # a rendered page is not kept: say it was saved
        from backcoach.services.web_accounts import AlreadySubmitted

        raise AlreadySubmitted(ALREADY_SENT)
    return Response(content=bytes(row.body), status_code=row.status, media_type=row.media_type, headers=headers)


def _record(account_id: int, key: str, fingerprint: Optional[str], response: Response,
            now: dt.datetime) -> IdempotencyRecord:
    location = response.headers.get("location")
    media_type = response.headers.get("content-type")
    keep_body = location is None and not (media_type or "").startswith("text/html")
    return IdempotencyRecord(account_id=account_id, key=key, fingerprint=fingerprint, created_at=now,
                             status=response.status_code, media_type=media_type, location=location,
                             body=bytes(response.body) if keep_body else None)


def run_once(units: Any, account_id: int, key: str, write: Callable[[], T], respond: Callable[[T], Response],
             fingerprint: Optional[str] = None) -> Response:
    """Run `write()` and build its answer with `respond(result)` once per (account, key):
    the write, the key and the answer are committed together; a repeat gets the stored answer.
    `units` (web/deps.ServiceUnits) hands the shared transaction to the write's service calls."""
    state = units.state
    lock = state.sqlite_lock
    for attempt in range(1, MAX_ATTEMPTS + 1):
        held = HeldUnitOfWork(state.sessionmaker)
        if lock is not None:
            lock.acquire()
        try:
            held.start()
            row = held.idempotency.find(account_id, key)
            if row is not None:
                return _replay(row, fingerprint)
            units.held = held
            try:
                result = write()
            finally:
                units.held = None
            response = respond(result)
            held.idempotency.add(_record(account_id, key, fingerprint, response, units.now))
            held.finish()
            return response
        except (ChangedMeanwhile, Conflict):
            # another request changed the record, or sent the same key a moment ago (PostgreSQL):
            # start again; the next attempt answers from the stored record if there is one
            if attempt == MAX_ATTEMPTS:
                raise
        finally:
            held.close()
            if lock is not None:
                lock.release()
    raise AssertionError("unreachable")  # pragma: no cover


def fingerprint_of(request: Any) -> Optional[str]:
    """What the request asked for (method, path, body as read), to tell a retry from a new write."""
    body = getattr(request, "_body", None)
    if body is None:
        return None
    h = hashlib.sha256()
    h.update(request.method.encode() + b" " + request.url.path.encode() + b"\n")
    h.update(body)
    return h.hexdigest()


def purge_old(uow: UnitOfWork, now: dt.datetime) -> int:
    """Drop records older than KEEP_DAYS (a retry comes within minutes, not weeks)."""
    return uow.idempotency.purge_before(now - dt.timedelta(days=KEEP_DAYS))
