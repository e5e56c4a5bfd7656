"""Passwords, signed session cookies, CSRF tokens and API tokens.

Why this shape: the web servers keep no state of their own, so a session is a
signed cookie (itsdangerous) rather than a row in process memory, and a CSRF
token is a signature over the session's random id. Several servers that share
the secret (kept in the database, see ``web_store.load_or_create_secret``) accept
each other's cookies and tokens.

Why not Starlette's ``SessionMiddleware`` (considered for issue 13): it signs the same
kind of cookie with the same library, but what OWASP ASVS L2 asks of sessions is what it
leaves out, and we would write it around it anyway:
- revocation on the server (V3.3.1, V3.3.3): logging out, "log out everywhere" and an
  account's deletion end a session at once, because the cookie counts only while its
  row in ``web_sessions`` lives (web/sessions.py); a ``SessionMiddleware`` cookie stays
  valid until it expires.
- a new session id at log-in (V3.2.1, no fixation) that also retires the CSRF tokens
  bound to the old id; bearer tokens for the API that share the same records.
- an expired cookie told from a forged one (the page says "your session ended"), and no
  cookie handed to API callers that did not ask for one.
Not for speed (web/app.py's ``SessionCookieMiddleware`` has the measured figures): the
cookie stays ours for what it does, ``Signer`` here and that middleware in web/app.py.
"""

from __future__ import annotations

import secrets
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

SESSION_COOKIE = "bc_session"
CSRF_FORM_FIELD = "csrf_token"
CSRF_HEADER = "X-CSRF-Token"


def make_hasher(fast: bool = False) -> PasswordHasher:
    """argon2id; ``fast`` lowers the cost for tests and the benchmark's sign-ups only."""
    if fast:
        return PasswordHasher(time_cost=1, memory_cost=8 * 1024, parallelism=1)
    return PasswordHasher()


def dummy_hash(hasher: PasswordHasher) -> str:
    """A hash of a random password, made by ``hasher``: a log-in for an unknown address is
    checked against it, so that it takes as long as one for a known address."""
    return hasher.hash(secrets.token_urlsafe(24))


def verify_password(hasher: PasswordHasher, stored_hash: str, password: str) -> bool:
    try:
        return hasher.verify(stored_hash, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


class Session:
    """What the session cookie carries: a random id and, once logged in, the user.

    A new visitor's random id is drawn the first time something reads it (the cookie is
    written, a CSRF token is made or checked), not for every request without a cookie:
    most API calls carry a bearer token and never need one.
    """

    __slots__ = ("_sid", "user_id", "role")

    def __init__(self, sid: str | None = None, user_id: int | None = None, role: str | None = None) -> None:
        self._sid = sid
        self.user_id = user_id
        self.role = role

    @property
    def sid(self) -> str:
        if self._sid is None:
            self._sid = secrets.token_urlsafe(16)
        return self._sid

    @staticmethod
    def anonymous() -> "Session":
        return Session()

    def __repr__(self) -> str:
        return f"Session(user_id={self.user_id!r}, role={self.role!r})"


class Signer:
    """All signing in one place, keyed by the one application secret."""

    def __init__(self, secret: str, session_max_age: int, token_max_age: int) -> None:
        self._session = URLSafeTimedSerializer(secret, salt="backcoach.session")
        self._csrf = URLSafeTimedSerializer(secret, salt="backcoach.csrf")
        self._token = URLSafeTimedSerializer(secret, salt="backcoach.api-token")
        self.session_max_age = session_max_age
        self.token_max_age = token_max_age

    # -- session cookie -------------------------------------------------------
    def dump_session(self, session: Session) -> str:
        return self._session.dumps({"sid": session.sid, "uid": session.user_id, "role": session.role})

    def load_session(self, raw: str | None) -> tuple[Session | None, str | None]:
        """Returns (session, problem); problem is "expired" or "invalid" when the cookie is unusable."""
        if not raw:
            return None, None
        try:
            data = self._session.loads(raw, max_age=self.session_max_age)
        except SignatureExpired:
            return None, "expired"
        except BadSignature:
            return None, "invalid"
        if not isinstance(data, dict) or not isinstance(data.get("sid"), str):
            return None, "invalid"
        uid = data.get("uid")
        return Session(sid=data["sid"], user_id=uid if isinstance(uid, int) else None, role=data.get("role")), None

    # -- CSRF -----------------------------------------------------------------
    def csrf_token(self, session: Session) -> str:
        return self._csrf.dumps(session.sid)

    def csrf_valid(self, session: Session | None, token: str | None) -> bool:
        if session is None or not token:
            return False
        try:
            sid = self._csrf.loads(token, max_age=self.session_max_age)
        except BadSignature:
            return False
        return secrets.compare_digest(str(sid), session.sid)

    # -- API bearer tokens ----------------------------------------------------
    def api_token(self, user_id: int, role: str, sid: str | None = None) -> str:
        """A bearer token; `sid` names its server-side record (web/sessions.py), which log-out deletes."""
        data: dict[str, object] = {"uid": user_id, "role": role}
        if sid is not None:
            data["sid"] = sid
        return self._token.dumps(data)

    def load_api_token(self, token: str) -> tuple[int | None, str | None]:
        uid, _sid, problem = self.load_api_token_session(token)
        return uid, problem

    def load_api_token_session(self, token: str) -> tuple[int | None, str | None, str | None]:
        """(user id, session id, problem); problem is "expired" or "invalid" when unusable."""
        try:
            data = self._token.loads(token, max_age=self.token_max_age)
        except SignatureExpired:
            return None, None, "expired"
        except BadSignature:
            return None, None, "invalid"
        if not isinstance(data, dict) or not isinstance(data.get("uid"), int):
            return None, None, "invalid"
        sid = data.get("sid")
        return data["uid"], sid if isinstance(sid, str) else None, None
