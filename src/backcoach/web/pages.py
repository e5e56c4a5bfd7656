"""What a server-rendered page needs: who is asking, the services' units of work, the page
renderer, one-time form tokens, logging in and out, and the CSRF check of every form.

A page route asks for `Page` (logged in, else a redirect to the log-in page) or `AnyPage`.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Callable, TypeVar

from fastapi import Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from backcoach.domain.errors import BackcoachError
from backcoach.services import web_accounts as accounts
from backcoach.storage.unit_of_work import SqlAlchemyUnitOfWork
from backcoach.web import idempotency
from backcoach.web.deps import CSRF_MESSAGE, Caller, Db, ServiceUnits, identify
from backcoach.web.forms import form_data
from backcoach.web.security import CSRF_FORM_FIELD, Session
from backcoach.web.sessions import log_in, log_out, log_out_everywhere

T = TypeVar("T")

DISCLAIMER = (
    "backcoach does not replace a clinician. It cannot examine you. If it tells you to seek care, "
    "do so; if something feels wrong, stop and ask a doctor or physiotherapist."
)


class LoginRequired(Exception):
    """Raised by page dependencies; the app turns it into a redirect to the log-in page."""

    def __init__(self, reason: str | None = None) -> None:
        self.reason = reason


class CsrfFailed(BackcoachError):
    """The form's security token is missing, stale or from another session."""


class PageContext:
    """What a server-rendered page needs about its request: who is asking, the services'
    units of work, the page renderer, one-time form tokens, and logging in and out."""

    def __init__(self, request: Request, uow: SqlAlchemyUnitOfWork, caller: Caller) -> None:
        self.request = request
        self.uow = uow
        self.caller = caller
        self.extra: dict[str, Any] = {}
        self.units = ServiceUnits(request, request.app.state.clock())

    @property
    def account(self) -> accounts.Account | None:
        return self.caller.account

    @property
    def session(self) -> Session:
        return self.caller.session

    def commit(self) -> None:
        self.uow.commit()

    def service_uow(self, write: bool = True, write_phase_only: bool = False) -> SqlAlchemyUnitOfWork:
        """A fresh unit of work for a service call (ServiceUnits)."""
        return self.units.write(write_phase_only) if write else self.units.read()

    @property
    def person_id(self) -> int:
        if self.account is None or self.account.person_id is None:
            raise accounts.NotAllowed("This page is for a person's account.")
        return self.account.person_id

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
        assert self.account is not None
        return idempotency.run_once(self.units, self.account.id, "form:" + token, write, respond)

    @property
    def settings(self) -> Any:
        return self.request.app.state.settings

    @property
    def now(self) -> dt.datetime:
        return self.units.now

    @property
    def today(self) -> dt.date:
        return self.now.date()

    @property
    def signer(self):
        return self.request.app.state.signer

    def csrf_token(self) -> str:
        return self.signer.csrf_token(self.session)

    def login(self, account: accounts.Account) -> None:
        """Log in with a cookie (web/sessions.py: `log_in`)."""
        self.extra["deletion_cancelled"] = log_in(self.request, self.uow, self.caller, account)

    def logout(self) -> None:
        """End this log-in (web/sessions.py: `log_out`)."""
        log_out(self.request, self.uow, self.caller)

    def logout_everywhere(self) -> int:
        """End every cookie and token of this account (another device, a lost phone...)."""
        return log_out_everywhere(self.request, self.uow, self.caller)

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


# -- pages --------------------------------------------------------------------------------

def any_page(request: Request, uow: Db) -> PageContext:
    """A page anyone may see (logged in or not)."""
    return PageContext(request, uow, identify(request, uow))


def logged_in_page(request: Request, uow: Db) -> PageContext:
    """A page that needs a logged-in account: otherwise redirect to log in."""
    ctx = PageContext(request, uow, identify(request, uow))
    if ctx.account is None:
        raise LoginRequired(request.state.session_problem)
    return ctx


AnyPage = Annotated[PageContext, Depends(any_page)]
Page = Annotated[PageContext, Depends(logged_in_page)]
# The posted form (read by an async dependency, so the route itself can be a plain function
# that FastAPI runs in its thread pool, database work included).
PostedForm = Annotated[dict[str, str], Depends(form_data)]


async def check_csrf_form(request: Request) -> None:
    """Every HTML form carries the CSRF token; it must match this session."""
    form = await request.form()
    token = form.get(CSRF_FORM_FIELD)
    if not request.app.state.signer.csrf_valid(request.state.session, token if isinstance(token, str) else None):
        raise CsrfFailed(CSRF_MESSAGE)


def role_required(ctx: PageContext, *roles: str) -> accounts.Account:
    if ctx.account is None or ctx.account.role not in roles:
        raise accounts.NotAllowed("This page is not available to your account.")
    return ctx.account


def clinician_required(ctx: PageContext, person_id: int | None = None) -> accounts.Account:
    """Every clinician page and API call asks this (the one rule, services/access.py): an
    approved clinician or an administrator, following `person_id` when given, never on
    their own record. A pending or refused clinician gets ClinicianNotApproved (403)."""
    return accounts.require_clinician(ctx.uow, ctx.account, person_id)



def redirect(url: str) -> RedirectResponse:
    return RedirectResponse(url, status_code=303)
