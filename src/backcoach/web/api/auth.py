"""Accounts over the API: sign up, log in (cookie), tokens, log out, who am I."""

from __future__ import annotations

from typing import Literal, Optional

from fastapi import APIRouter, Request
from pydantic import BaseModel, Field

from backcoach.services import data_rights
from backcoach.services import web_accounts as accounts
from backcoach.web.api.schemas import Joined
from backcoach.web.deps import AnonymousApiCaller, AnyCaller, ApiCaller, CurrentAccount, Db, Now
from backcoach.web.sessions import issue_token, log_in, log_out, log_out_everywhere
from backcoach.web.security import verify_password

router = APIRouter(prefix="/auth", tags=["accounts"])


class SignUp(BaseModel):
    email: str = Field(max_length=320)
    password: str = Field(max_length=200)
    display_name: str = Field(max_length=100)
    role: Literal["person", "clinician"] = "person"
    invitation_code: Optional[str] = Field(default=None, max_length=100)
    accept_privacy_notice: bool = Field(default=False, description="Must be true: the person has read and agrees to "
                                        "the privacy notice at /privacy (its version is kept with the account)")
    profession: Optional[str] = Field(default=None, max_length=100,
                                      description="Clinicians: one of " + ", ".join(accounts.PROFESSIONS))
    registration_number: Optional[str] = Field(default=None, max_length=60,
                                               description="Clinicians: professional registration number")


class Credentials(BaseModel):
    email: str = Field(max_length=320)
    password: str = Field(max_length=200)


class AccountOut(BaseModel):
    id: int
    email: str
    role: str
    person_id: Optional[int]
    display_name: str
    approval: Optional[Literal["pending", "approved", "refused"]] = Field(
        default=None, description="Clinicians: an administrator approves the account before it can see anyone's data")


class TokenOut(BaseModel):
    access_token: str
    token_type: Literal["bearer"] = "bearer"
    expires_in: int
    account: AccountOut


class CsrfOut(BaseModel):
    csrf_token: str
    header: str = "X-CSRF-Token"


def account_out(a: accounts.Account) -> AccountOut:
    return AccountOut(id=a.id, email=a.email, role=a.role, person_id=a.person_id, display_name=a.display_name,
                      approval=a.approval)


@router.get("/csrf", response_model=CsrfOut, summary="The CSRF token for this cookie session")
def csrf(request: Request, caller: AnyCaller) -> CsrfOut:
    """Send it back in the X-CSRF-Token header on every write made with the session cookie."""
    request.state.session_dirty = True
    return CsrfOut(csrf_token=request.app.state.signer.csrf_token(caller.session))


class SignedUp(BaseModel):
    detail: str


@router.post("/signup", response_model=SignedUp, status_code=202,
             summary="Create an account; then log in (POST /api/auth/login or /api/auth/token)")
def signup(body: SignUp, request: Request, caller: AnonymousApiCaller, uow: Db, now: Now) -> SignedUp:
    """The same answer whether or not the address already had an account, so that sign-up
    does not tell anyone which addresses have one; so it does not log in either."""
    try:
        account = accounts.sign_up(uow, email=body.email, password=body.password,
                                   display_name=body.display_name, role=body.role,
                                   hash_password=request.app.state.hasher.hash, now=now,
                                   invitation_code=body.invitation_code, profession=body.profession,
                                   registration_number=body.registration_number)
    except accounts.EmailTaken:
        account = None
    data_rights.require_consent(body.accept_privacy_notice)  # nothing is kept without it
    if account is None:
        uow.rollback()
    else:
        data_rights.record_consent(uow, account.id, now)
        uow.commit()
    return SignedUp(detail=accounts.SIGNED_UP)


def _authenticate(body: Credentials, request: Request, uow: Db, now: Now) -> accounts.Account:
    client = request.client.host if request.client else "unknown"
    account = accounts.authenticate(uow, email=body.email, password=body.password, client=client,
                                    verify=lambda h, p: verify_password(request.app.state.hasher, h, p), now=now,
                                    dummy_hash=request.app.state.dummy_hash)
    uow.commit()
    if account is None:
        raise accounts.AccountError(accounts.WRONG_LOGIN)
    return account


@router.post("/login", response_model=AccountOut, summary="Log in with a session cookie")
def login(body: Credentials, request: Request, caller: AnonymousApiCaller, uow: Db, now: Now) -> AccountOut:
    account = _authenticate(body, request, uow, now)
    log_in(request, uow, caller, account)
    return account_out(account)


@router.post("/token", response_model=TokenOut, summary="Get a bearer token (no cookie, no CSRF needed)")
def token(body: Credentials, request: Request, caller: AnonymousApiCaller, uow: Db, now: Now) -> TokenOut:
    account = _authenticate(body, request, uow, now)
    return TokenOut(access_token=issue_token(request, uow, account), expires_in=request.app.state.signer.token_max_age,
                    account=account_out(account))


@router.post("/logout", status_code=204, summary="End this session (the cookie's, or the bearer token's)")
def logout(request: Request, caller: ApiCaller, uow: Db) -> None:
    """The cookie or token used for this call stops working at once."""
    log_out(request, uow, caller)


class LoggedOutOut(BaseModel):
    ended: int = Field(description="How many sessions and tokens were ended, this one included")


@router.post("/logout-everywhere", response_model=LoggedOutOut,
             summary="End every session and token of this account, on every device")
def logout_everywhere(request: Request, caller: ApiCaller, uow: Db) -> LoggedOutOut:
    return LoggedOutOut(ended=log_out_everywhere(request, uow, caller))


@router.get("/me", response_model=AccountOut, summary="The account making the request")
def me(account: CurrentAccount) -> AccountOut:
    return account_out(account)


class JoinIn(BaseModel):
    code: str = Field(max_length=100)


@router.post("/join", summary="Join a clinician with an invitation code", response_model=Joined)
def join(body: JoinIn, account: CurrentAccount, uow: Db, now: Now) -> Joined:
    clinician_id = accounts.redeem_invitation(uow, account, body.code, now)
    uow.commit()
    return Joined(clinician_user_id=clinician_id)
