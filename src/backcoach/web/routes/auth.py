"""Sign-up, log-in, log-out and the account page."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request

from backcoach.services import data_rights
from backcoach.services import web_accounts as accounts
from backcoach.web.pages import AnyPage, Page, PageContext, PostedForm, check_csrf_form, redirect

router = APIRouter()


def home_for(account: accounts.Account) -> str:
    return "/clinic" if account.role in ("clinician", "admin") else "/today"


def _safe_next(value: str | None) -> str | None:
    if value and value.startswith("/") and not value.startswith("//") and "\\" not in value:
        return value
    return None


@router.get("/")
def home(ctx: AnyPage):
    if ctx.account is not None:
        return redirect(home_for(ctx.account))
    return ctx.render("home.html")


@router.get("/signup")
def signup_page(ctx: AnyPage):
    return ctx.render("auth/signup.html", values={"role": "person"}, problems=[], professions=accounts.PROFESSIONS)


@router.post("/signup", dependencies=[Depends(check_csrf_form)])
def signup(request: Request, ctx: AnyPage, f: PostedForm):
    """Answers the same whether or not the address already had an account (it then keeps its
    password), so sign-up does not tell who has one; so it does not log in either."""
    values = {k: f.get(k, "") for k in ("email", "display_name", "role", "invitation_code", "profession",
                                        "registration_number")}
    values["accept_privacy_notice"] = f.get("accept_privacy_notice")
    role = f.get("role", "person")
    try:
        try:
            account = accounts.sign_up(
                ctx.uow, email=f.get("email", ""), password=f.get("password", ""),
                display_name=f.get("display_name", ""), role=role, hash_password=request.app.state.hasher.hash,
                now=ctx.now, invitation_code=f.get("invitation_code") or None, profession=f.get("profession") or None,
                registration_number=f.get("registration_number") or None,
            )
        except accounts.EmailTaken:
            account = None
        data_rights.require_consent(f.get("accept_privacy_notice"))
        if account is None:
            ctx.uow.rollback()
        else:
            data_rights.record_consent(ctx.uow, account.id, ctx.now)
            ctx.commit()
    except (accounts.AccountError, data_rights.ConsentRequired) as exc:
        ctx.uow.rollback()
        problems = [str(exc)]
        if isinstance(exc, accounts.AccountError) and not data_rights.consented(f.get("accept_privacy_notice")):
            problems.append(data_rights.CONSENT_MESSAGE)
        return ctx.render("auth/signup.html", status_code=400, values=values, problems=problems,
                          professions=accounts.PROFESSIONS)
    first_page = "%2Fscreening%3Fmsg%3Dwelcome" if role == "person" else "%2Fclinic"
    return redirect(f"/login?msg=signedup&next={first_page}")


@router.get("/login")
def login_page(ctx: AnyPage):
    if ctx.account is not None:
        return redirect(home_for(ctx.account))
    return ctx.render("auth/login.html", values={}, problems=[], next=_safe_next(ctx.request.query_params.get("next")))


@router.post("/login", dependencies=[Depends(check_csrf_form)])
def login(request: Request, ctx: AnyPage, f: PostedForm):
    from backcoach.web.security import verify_password

    nxt = _safe_next(f.get("next"))
    client = request.client.host if request.client else "unknown"
    try:
        account = accounts.authenticate(
            ctx.uow, email=f.get("email", ""), password=f.get("password", ""), client=client,
            verify=lambda h, p: verify_password(request.app.state.hasher, h, p), now=ctx.now,
            dummy_hash=request.app.state.dummy_hash,
        )
    except accounts.TooManyAttempts as exc:
        page = ctx.render("auth/login.html", status_code=429, values={"email": f.get("email", "")},
                          problems=[str(exc)], next=nxt)
        page.headers["Retry-After"] = str(exc.retry_after)
        return page
    ctx.commit()
    if account is None:
        return ctx.render("auth/login.html", status_code=400, values={"email": f.get("email", "")},
                          problems=[accounts.WRONG_LOGIN], next=nxt)
    ctx.login(account)
    if ctx.extra.get("deletion_cancelled"):
        return redirect("/account?msg=deletion-cancelled")
    return redirect(nxt or home_for(account))


@router.post("/logout", dependencies=[Depends(check_csrf_form)])
def logout(ctx: AnyPage):
    ctx.logout()
    return redirect("/login?msg=loggedout")


@router.post("/account/logout-everywhere", dependencies=[Depends(check_csrf_form)])
def logout_everywhere(ctx: Page):
    ctx.logout_everywhere()
    return redirect("/login?msg=loggedout-everywhere")


def _account_page(ctx: PageContext, problems: list[str] | None = None, delete_problems: list[str] | None = None,
                  status_code: int = 200):
    clinicians = accounts.clinicians_of(ctx.uow, ctx.account.person_id) if ctx.account.person_id else []
    return ctx.render("auth/account.html", status_code=status_code, clinicians=clinicians, problems=problems or [],
                      delete_problems=delete_problems or [], grace_days=ctx.settings.deletion_grace_days)


@router.get("/account")
def account_page(ctx: Page):
    return _account_page(ctx)


@router.get("/privacy")
def privacy_page(ctx: AnyPage):
    return ctx.render("auth/privacy.html", notice_version=data_rights.PRIVACY_NOTICE_VERSION,
                      grace_days=ctx.settings.deletion_grace_days)


@router.post("/account/delete", dependencies=[Depends(check_csrf_form)])
def delete_account(request: Request, ctx: Page, f: PostedForm):
    from backcoach.web.security import verify_password

    try:
        data_rights.request_deletion(ctx.uow, ctx.account.id, f.get("password", ""),
                                     lambda h, p: verify_password(request.app.state.hasher, h, p), ctx.now)
    except data_rights.DeletionRefused as exc:
        ctx.uow.rollback()
        return _account_page(ctx, delete_problems=[str(exc)], status_code=400)
    ctx.logout_everywhere()
    return redirect("/login?msg=deletion-requested")


@router.post("/account/join", dependencies=[Depends(check_csrf_form)])
def join_clinician(ctx: Page, f: PostedForm):
    try:
        accounts.redeem_invitation(ctx.uow, ctx.account, f.get("code", ""), ctx.now)
        ctx.commit()
    except accounts.AccountError as exc:
        ctx.uow.rollback()
        return _account_page(ctx, problems=[str(exc)], status_code=400)
    return redirect("/account?msg=joined")
