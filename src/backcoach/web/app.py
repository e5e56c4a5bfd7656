"""The web application factory.

``create_app(settings=None)`` builds a FastAPI app on the database in the settings
(running the migrations if the schema is behind). Nothing is kept in process
memory between requests except caches: sessions are signed cookies, rate limits
and one-time form tokens live in the database, so several servers can share one
PostgreSQL behind a load balancer.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import threading
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, AsyncIterator, Callable

from fastapi import FastAPI, Request
from starlette.exceptions import HTTPException as StarletteHTTPException
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from sqlalchemy.orm import sessionmaker
from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

try:
    import fcntl
except ImportError:  # pragma: no cover - not on Windows
    fcntl = None  # type: ignore[assignment]

from backcoach.domain.errors import BackcoachError, ClinicianNotApproved, InvalidAnswers, ProgramLocked, UnknownExercise
from backcoach.domain.fields import MISSING
from backcoach.services import web_accounts as accounts
from backcoach.domain.text import InvalidText, printable
from backcoach.web.deps import utcnow
from backcoach.web.pages import CsrfFailed, LoginRequired
from backcoach.web.errors import (RETRY_AFTER_SECONDS, ErrorMiddleware, error_page, error_response, storage_failure,
                                  wants_json)
from backcoach.web.limits import RequestGuardMiddleware
from backcoach.web.idempotency import FormTokenInvalid, KeyReused
from backcoach.web.security import SESSION_COOKIE, Session, Signer, dummy_hash, make_hasher

HERE = Path(__file__).parent
log = logging.getLogger("backcoach.web")


def _env_bool(name: str, default: bool) -> bool:
    v = os.environ.get(name)
    if v is None:
        return default
    return v.strip().lower() in ("1", "true", "yes", "on")


@dataclass
class WebOptions:
    """Web-only knobs (environment: BACKCOACH_COOKIE_SECURE, BACKCOACH_SESSION_HOURS)."""

    cookie_secure: bool = field(default_factory=lambda: _env_bool("BACKCOACH_COOKIE_SECURE", True))
    session_hours: float = field(default_factory=lambda: float(os.environ.get("BACKCOACH_SESSION_HOURS", "12")))
    token_hours: float = 24.0
    fast_password_hash: bool = field(default_factory=lambda: _env_bool("BACKCOACH_FAST_PASSWORD_HASH", False))
    clock: Callable[[], dt.datetime] = utcnow
    run_migrations: bool = True
    threads: int = field(default_factory=lambda: int(os.environ.get("BACKCOACH_WEB_THREADS", WEB_THREADS_DEFAULT)))
    # How long a request waits on the database before a 503 with Retry-After (seconds):
    # another writer's lock, one PostgreSQL statement, a free pooled connection, a connection.
    db_lock_timeout: float = field(default_factory=lambda: float(os.environ.get("BACKCOACH_DB_LOCK_TIMEOUT", "1")))
    db_statement_timeout: float = field(
        default_factory=lambda: float(os.environ.get("BACKCOACH_DB_STATEMENT_TIMEOUT", "10")))
    db_pool_timeout: float = field(default_factory=lambda: float(os.environ.get("BACKCOACH_DB_POOL_TIMEOUT", "2")))
    db_connect_timeout: float = field(default_factory=lambda: float(os.environ.get("BACKCOACH_DB_CONNECT_TIMEOUT", "3")))

    def db_timeouts(self) -> Any:
        from backcoach.storage.database import Timeouts

        return Timeouts(lock=self.db_lock_timeout, statement=self.db_statement_timeout, pool=self.db_pool_timeout,
                        connect=self.db_connect_timeout)


class SqliteWriteLock:
    """A lock held by one writer at a time among the threads and processes of this host."""

    def __init__(self, path: str | None, timeout: float = -1) -> None:
        self._thread_lock = threading.Lock()
        self._path = path
        self._fd: int | None = None
        self._timeout = timeout

    def acquire(self) -> None:
        """Waits at most `timeout` for the other threads of this process (then DatabaseBusy);
        the file lock is held by another worker only while it writes, and its writes are
        bounded by the database's own busy timeout."""
        if not self._thread_lock.acquire(timeout=self._timeout):
            from backcoach.storage.database import BUSY_MESSAGE, DatabaseBusy

            raise DatabaseBusy(BUSY_MESSAGE)
        if self._path is not None:
            try:
                if self._fd is None:
                    self._fd = os.open(self._path, os.O_RDWR | os.O_CREAT, 0o600)
                fcntl.flock(self._fd, fcntl.LOCK_EX)
            except OSError:  # no file lock here (read-only folder...): the thread lock still helps
                pass

    def release(self) -> None:
        try:
            if self._fd is not None:
                fcntl.flock(self._fd, fcntl.LOCK_UN)
        except OSError:
            pass
        finally:
            self._thread_lock.release()


def _sqlite_write_lock(engine: Any, timeout: float = -1) -> SqliteWriteLock:
    database = engine.url.database
    path = None
    if database and database != ":memory:" and not database.startswith("file:") and fcntl is not None:
        path = str(Path(database).expanduser()) + ".web-write-lock"
    return SqliteWriteLock(path, timeout)


class SessionCookieMiddleware:
    """Reads the signed session cookie into request.state and writes it back when it changed.

    Pure ASGI, not a BaseHTTPMiddleware: 0.22 ms of CPU per request with a cookie and 0.02 ms
    without, against 1.6 and 1.1 ms for the same code as a BaseHTTPMiddleware
    (benchmarks/bench_middleware.py, 2 cores under a load average of 10). Not Starlette's
    `SessionMiddleware` (0.14 ms with a cookie, so not for speed): this one tells an expired
    cookie from a forged one (`session_problem`), sets no cookie on API calls that did not
    ask for one (token clients never need a CSRF header), and carries the session id that
    the server-side session record (web/sessions.py) is keyed by.
    """

    def __init__(self, app: ASGIApp, signer: Signer, secure: bool) -> None:
        self.app = app
        self.signer = signer
        self.secure = secure

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        raw = None
        for k, v in scope.get("headers", ()):
            if k == b"cookie":
                for part in v.decode("latin-1").split(";"):
                    name, _, value = part.strip().partition("=")
                    if name == SESSION_COOKIE:
                        raw = value
        session, problem = self.signer.load_session(raw)
        state = scope.setdefault("state", {})
        new = session is None
        state["session"] = session or Session.anonymous()
        state["session_problem"] = problem
        path = scope.get("path", "")
        # API calls get a cookie only when they ask for one (log-in, sign-up, /api/auth/csrf);
        # token clients never carry a cookie, so they never need a CSRF header.
        state["session_dirty"] = new and not path.startswith("/api/")
        is_static = path.startswith("/static/")

        async def send_wrapper(message: Message) -> None:
            if message["type"] == "http.response.start" and state.get("session_dirty") and not is_static:
                headers = MutableHeaders(scope=message)
                cookie = (
                    f"{SESSION_COOKIE}={self.signer.dump_session(state['session'])}; Path=/; HttpOnly; SameSite=Lax; "
                    f"Max-Age={self.signer.session_max_age}"
                )
                if self.secure:
                    cookie += "; Secure"
                headers.append("set-cookie", cookie)
            await send(message)

        await self.app(scope, receive, send_wrapper)


CONTENT_SECURITY_POLICY = (
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
    "object-src 'none'; base-uri 'self'; frame-ancestors 'none'; form-action 'self'"
)
HSTS_VALUE = "max-age=31536000; includeSubDomains"


class SecurityHeadersMiddleware:
    """Headers on every response: no caching of anything but the static files (pages and JSON
    hold health data), no framing, no content sniffing, a strict CSP, and HSTS over https
    (``hsts``: "auto" when the request came over https, "always", or "never")."""

    def __init__(self, app: ASGIApp, hsts: str = "auto") -> None:
        self.app = app
        self.hsts = hsts

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path = scope.get("path", "")
        is_static = path.startswith("/static/")
        hsts = self.hsts == "always" or (self.hsts == "auto" and scope.get("scheme") == "https")

        async def send_wrapper(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                headers.setdefault("x-content-type-options", "nosniff")
                headers.setdefault("x-frame-options", "DENY")
                headers.setdefault("referrer-policy", "same-origin")
                if not is_static:
                    headers["cache-control"] = "no-store"
                if hsts:
                    headers.setdefault("strict-transport-security", HSTS_VALUE)
                if not path.startswith("/docs"):
                    headers.setdefault("content-security-policy", CONTENT_SECURITY_POLICY)
            await send(message)

        await self.app(scope, receive, send_wrapper)


WEB_THREADS_DEFAULT = 1


@contextlib.asynccontextmanager
async def _lifespan(app: FastAPI) -> AsyncIterator[None]:
    """One request thread per worker process by default: with Python's GIL a second thread
    only takes turns with the first and costs CPU handing the GIL back and forth
    (benchmarks/bench_web.py, 2 workers: 1 thread 170 session logs/s, 2 threads 134, 40
    threads 130). Scale with worker processes (one per core) instead. Slow work (PDF and
    FHIR exports, the data export, storing a video) has threads of its own (web/slow.py),
    so it never holds up the request thread.

    The OpenAPI document is built here, before the first request: every answer's shape is
    in it, and building it takes about a second of CPU, which FastAPI would otherwise spend
    on the event loop when the first client asks for /openapi.json."""
    import anyio.to_thread

    anyio.to_thread.current_default_thread_limiter().total_tokens = app.state.web.threads
    await anyio.to_thread.run_sync(app.openapi)
    yield


def create_app(settings: Any = None, web: WebOptions | None = None) -> FastAPI:
    from backcoach.settings import get_settings
    from backcoach.storage.database import get_engine, upgrade_if_behind

    settings = settings or get_settings()
    web = web or WebOptions()
    if web.run_migrations:
        upgrade_if_behind(settings.database_url)
    engine = get_engine(settings.database_url, web.db_timeouts())

    app = FastAPI(
        title="backcoach",
        version="0.1.0",
        description=(
            "Safe, progressive glute rehabilitation for mechanical lower back pain. The JSON API does everything "
            "the pages do. Authenticate with the session cookie (send the CSRF token from /api/auth/csrf in the "
            "X-CSRF-Token header on writes) or with a bearer token from POST /api/auth/token. "
            "backcoach does not replace a clinician."
        ),
        docs_url=None,
        redoc_url=None,
        openapi_url="/openapi.json",
        lifespan=_lifespan,
    )
    app.state.settings = settings
    app.state.web = web
    app.state.clock = web.clock
    app.state.engine = engine
    app.state.sessionmaker = sessionmaker(bind=engine, expire_on_commit=False)
    # SQLite lets one writer in at a time. Writers that queue on a lock are woken the
    # moment it is free; writers that collide inside SQLite's busy handler sleep in steps
    # of up to 100 ms. So writing service calls take this lock first: a thread lock within
    # the process and a file lock beside the database across the worker processes.
    app.state.sqlite_lock = (_sqlite_write_lock(engine, web.db_lock_timeout + web.db_pool_timeout)
                             if engine.dialect.name == "sqlite" else None)
    # after the database failed to answer in time, this worker answers 503 at once until then
    # (time.monotonic()), instead of making each request wait out the timeouts (web/stall.py)
    app.state.db_paused_until = 0.0
    app.state.signer = Signer(settings.secret_key, int(web.session_hours * 3600), int(web.token_hours * 3600))
    app.state.hasher = make_hasher(web.fast_password_hash)
    app.state.dummy_hash = dummy_hash(app.state.hasher)
    templates = Jinja2Templates(directory=str(HERE / "templates"))
    from backcoach.web import filters

    filters.install(templates.env)
    from backcoach.web.routes import coach

    coach.install(templates.env)
    app.state.templates = templates

    app.mount("/static", StaticFiles(directory=str(HERE / "static")), name="static")

    from backcoach.web.api import router as api_router
    from backcoach.web.routes import router as pages_router

    app.include_router(api_router)
    app.include_router(pages_router)
    from backcoach.web.live import router as live_router

    app.include_router(live_router)

    _install_openapi_security(app)
    _install_error_handlers(app)
    # Outermost last: headers on every response, then errors answered without dropping the
    # connection, then the body limit and text rule before anything reads the request.
    from backcoach.web import stall

    stall.install(app)
    if web.run_migrations:
        _purge_deleted_accounts(app)
        _fail_stalled_videos(app)
    app.add_middleware(SessionCookieMiddleware, signer=app.state.signer, secure=web.cookie_secure)
    app.add_middleware(RequestGuardMiddleware, max_body_bytes=settings.max_body_bytes,
                       body_limits=settings.body_limits)
    app.add_middleware(ErrorMiddleware)
    app.add_middleware(SecurityHeadersMiddleware, hsts=settings.hsts)
    return app


def _purge_deleted_accounts(app: FastAPI) -> None:
    """Accounts past their deletion grace period go at start-up too (services/data_rights.py);
    a failure here only delays that, it does not stop the server."""
    from backcoach.services import data_rights
    from backcoach.storage.unit_of_work import SqlAlchemyUnitOfWork

    try:
        with SqlAlchemyUnitOfWork(session_factory=app.state.sessionmaker) as uow:
            n = data_rights.purge_deleted(uow, app.state.clock(), app.state.settings.deletion_grace_days)
            from backcoach.web.idempotency import purge_old

            purge_old(uow, app.state.clock())
            uow.commit()
        if n:
            log.info("removed %d account(s) past their deletion grace period", n)
    except Exception:  # noqa: BLE001 - logged; the next start, log-in or `backcoach purge-deleted` retries
        log.exception("could not remove the accounts past their deletion grace period")


def _fail_stalled_videos(app: FastAPI) -> None:
    """Analysis jobs whose worker died (a restart mid-analysis) are given up at start-up
    with a plain message, so nobody waits on them for ever (services/videos.fail_stalled;
    GET /api/videos/{id} does the same for the job asked about)."""
    from backcoach.services import videos
    from backcoach.storage.unit_of_work import SqlAlchemyUnitOfWork

    try:
        with SqlAlchemyUnitOfWork(session_factory=app.state.sessionmaker) as uow:
            n = videos.fail_stalled(uow, app.state.clock(), videos.StallLimits.of(app.state.settings))
            uow.commit()
        if n:
            log.info("gave up %d video analysis job(s) whose worker had stopped", n)
    except Exception:  # noqa: BLE001 - logged; polling the job does the same later
        log.exception("could not check for stalled video analysis jobs")


PUBLIC_API = ("/api/auth/csrf", "/api/auth/signup", "/api/auth/login", "/api/auth/token", "/api/privacy-notice")


def _install_openapi_security(app: FastAPI) -> None:
    """Declare both ways to authenticate, so /docs and generated clients know them."""
    from fastapi.openapi.utils import get_openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema:
            return app.openapi_schema
        schema = get_openapi(title=app.title, version=app.version, description=app.description, routes=app.routes)
        schema.setdefault("components", {})["securitySchemes"] = {
            "bearer": {"type": "http", "scheme": "bearer", "description": "Token from POST /api/auth/token"},
            "cookie": {"type": "apiKey", "in": "cookie", "name": SESSION_COOKIE,
                       "description": "Session cookie; writes also need the X-CSRF-Token header"},
        }
        # Our 422 (and every error) is {"detail": "what is wrong, for a person", "errors": [...]},
        # not FastAPI's list of validation records (web/errors.py): document what is sent.
        schema["components"].setdefault("schemas", {})["HTTPValidationError"] = {
            "title": "Error", "type": "object", "required": ["detail"],
            "properties": {"detail": {"type": "string", "description": "What is wrong, in plain words"},
                           "errors": {"type": "array", "items": {"type": "object",
                                                                  "additionalProperties": {"type": "string"}}}},
        }
        for path, item in schema.get("paths", {}).items():
            if path.startswith("/api/") and path not in PUBLIC_API:
                for op in item.values():
                    op["security"] = [{"bearer": []}, {"cookie": []}]
        app.openapi_schema = schema
        return schema

    app.openapi = openapi  # type: ignore[method-assign]


def _status_table():
    from backcoach.domain.errors import NotAllowed
    from backcoach.services.common import NoProgram, PersonNotFound
    from backcoach.storage.database import Conflict, DatabaseUnavailable

    return (
        (accounts.TooManyAttempts, 429),
        (NotAllowed, 403),
        (PersonNotFound, 404),
        (NoProgram, 409),
        (Conflict, 409),
        (DatabaseUnavailable, 503),
    ) + STATUS_FOR


STATUS_FOR = (
    (accounts.AlreadySubmitted, 409),
    (KeyReused, 422),
    (FormTokenInvalid, 403),
    (CsrfFailed, 403),
    (ProgramLocked, 409),
    (UnknownExercise, 404),
    (InvalidAnswers, 422),
    (InvalidText, 422),
)


def _install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(LoginRequired)
    async def _login_required(request: Request, exc: LoginRequired) -> RedirectResponse:
        target = "/login?msg=expired" if exc.reason == "expired" else "/login"
        nxt = request.url.path
        if request.method == "GET" and nxt not in ("/", "/login"):
            target += ("&" if "?" in target else "?") + "next=" + nxt
        return RedirectResponse(target, status_code=303)

    @app.exception_handler(ClinicianNotApproved)
    async def _not_approved(request: Request, exc: ClinicianNotApproved):
        """A pending or refused clinician: 403, and on a page the plain reason (waiting or refused)."""
        if wants_json(request):
            return JSONResponse({"detail": str(exc), "approval": exc.approval}, status_code=403)
        from backcoach.web.pages import DISCLAIMER

        session = getattr(request.state, "session", None) or Session.anonymous()
        return request.app.state.templates.TemplateResponse(
            request, "auth/pending.html",
            {"request": request, "approval": exc.approval, "error_message": str(exc),
             "account": getattr(request.state, "account", None),
             "csrf_token": request.app.state.signer.csrf_token(session), "disclaimer": DISCLAIMER,
             "path": request.url.path, "message": None, "form_token": ""},
            status_code=403)

    @app.exception_handler(BackcoachError)
    async def _domain_error(request: Request, exc: BackcoachError):
        unusable = storage_failure(exc)
        if unusable is not None:  # the database's address stays in the log
            log.error("database not usable on %s %s: %s", request.method, request.url.path, exc)
            return error_response(request, 503, unusable, headers={"Retry-After": str(RETRY_AFTER_SECONDS)})
        status = next((code for cls, code in _status_table() if isinstance(exc, cls)), 400)
        retry_after = getattr(exc, "retry_after", None)
        return error_response(request, status, str(exc),
                              headers={"Retry-After": str(retry_after)} if retry_after is not None else None)

    # Starlette's own HTTPException (an unknown address, a wrong method) as well as FastAPI's:
    # the web gets an HTML page, the API JSON.
    @app.exception_handler(StarletteHTTPException)
    async def _http_error(request: Request, exc: StarletteHTTPException):
        headers = getattr(exc, "headers", None)
        if wants_json(request):
            return JSONResponse({"detail": exc.detail}, status_code=exc.status_code, headers=headers)
        text = {404: "There is no page at this address.", 405: "That action is not available here."}.get(
            exc.status_code, str(exc.detail))
        return error_page(request, exc.status_code, text, headers=headers)

    @app.exception_handler(RequestValidationError)
    async def _validation(request: Request, exc: RequestValidationError):
        problems = [_problem(err) for err in exc.errors()]
        message = "; ".join(f"{p['field']}: {p['message']}" if p["field"] else p["message"] for p in problems[:20])
        if wants_json(request):
            return JSONResponse({"detail": message or "The request is not valid.", "errors": problems[:50]},
                                status_code=422)
        return error_page(request, 422, "Some of what was sent is not valid, so nothing was changed: " + message)


def _problem(err: dict[str, Any]) -> dict[str, str]:
    """One validation problem as field and message, without the value sent: a huge or private
    value (or key) is never echoed back; field names are cut short. A needed field left out gets the
    words of every other surface (``domain.fields.MISSING``), not pydantic's "Field required"."""
    loc = ".".join(printable(str(p), 40) for p in err.get("loc", ()) if p not in ("body", "query", "path"))
    message = MISSING if err.get("type") == "missing" else str(err.get("msg", "invalid value"))
    return {"field": printable(loc, 120), "message": printable(message, 200)}
