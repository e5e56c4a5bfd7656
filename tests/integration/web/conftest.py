"""The web app on a real database: SQLite (a file per test module) and PostgreSQL (a fresh
database per test session, dropped at the end).

PostgreSQL comes from BACKCOACH_TEST_POSTGRES_URL, else the local server at
127.0.0.1:5432 (user postgres, database test). Without either the PostgreSQL variant
skips; with CI=true it fails instead.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import uuid
from dataclasses import dataclass, field
from typing import Any, Iterator

import pytest
from fastapi.testclient import TestClient

from postgres_support import fresh_postgres_database

from backcoach.settings import Settings
from backcoach.storage import SqlAlchemyUnitOfWork
from backcoach.web import WebOptions, create_app

IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")
PASSWORD = "correct horse battery"


@pytest.fixture(scope="session")
def web_postgres_url() -> Iterator[str]:
    with fresh_postgres_database("backcoach_web") as url:
        yield url


class Clock:
    """A clock the tests move by hand (the app reads it for every request)."""

    def __init__(self) -> None:
        self.now = dt.datetime(2026, 11, 2, 9, 0, tzinfo=dt.timezone.utc)  # a Monday

    def __call__(self) -> dt.datetime:
        return self.now

    def advance(self, **kw: Any) -> None:
        self.now += dt.timedelta(**kw)


@pytest.fixture(scope="module", params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def backend(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path_factory.mktemp('web')}/web.sqlite3"
    return request.getfixturevalue("web_postgres_url")


@pytest.fixture(scope="module")
def clock() -> Clock:
    return Clock()


@pytest.fixture(scope="module")
def app(backend: str, clock: Clock, tmp_path_factory: pytest.TempPathFactory) -> Any:
    settings = Settings(database_url=backend, secret_key="test-secret-" + uuid.uuid4().hex,
                        data_dir=tmp_path_factory.mktemp("data"))
    return create_app(settings, WebOptions(fast_password_hash=True, clock=clock, cookie_secure=True))


def new_client(app: Any) -> TestClient:
    # https so that the Secure cookie is sent back, as a browser does.
    return TestClient(app, base_url="https://testserver", raise_server_exceptions=False)


@dataclass
class User:
    """A signed-up account with its own cookie client, its CSRF header and a bearer token."""

    client: TestClient
    email: str
    role: str
    account: dict[str, Any]
    csrf: str = ""
    token: str = ""
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def bearer(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}

    @property
    def cookie_write(self) -> dict[str, str]:
        return {"X-CSRF-Token": self.csrf}

    def get(self, url: str, **kw: Any):
        return self.client.get(url, headers=self.bearer, **kw)

    def post(self, url: str, json: Any = None, **kw: Any):
        headers = {**self.bearer, **kw.pop("headers", {})}
        return self.client.post(url, json=json, headers=headers, **kw)

    def page_tokens(self, html: str) -> dict[str, str]:
        out = {"csrf_token": re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)}
        m = re.search(r'name="form_token" value="([^"]+)"', html)
        if m:
            out["form_token"] = m.group(1)
        return out


def decide_clinician(app: Any, email: str, approve: bool = True) -> None:
    """What an administrator does (`backcoach clinicians approve EMAIL`), straight on the app's database."""
    from backcoach.services import web_accounts

    with SqlAlchemyUnitOfWork(session_factory=app.state.sessionmaker) as db:
        web_accounts.decide_clinician(db, None, approve=approve, email=email,
                                      now=dt.datetime.now(dt.timezone.utc))
        db.commit()


def sign_up(app: Any, role: str = "person", invitation_code: str | None = None, name: str | None = None,
            approved: bool = True, email: str | None = None) -> User:
    """A new account; a clinician's is approved by an administrator unless `approved=False`."""
    client = new_client(app)
    csrf = client.get("/api/auth/csrf").json()["csrf_token"]
    email = email or f"{role}-{uuid.uuid4().hex[:8]}@example.org"
    body = {"email": email, "password": PASSWORD, "display_name": name or f"Test {role}", "role": role,
            "accept_privacy_notice": True}
    if invitation_code:
        body["invitation_code"] = invitation_code
    if role == "clinician":
        body.update(profession="Physiotherapist", registration_number="PH 123456")
    r = client.post("/api/auth/signup", json=body, headers={"X-CSRF-Token": csrf})
    assert r.status_code == 202, r.text  # sign-up does not log in (it must not tell who has an account)
    if role == "clinician" and approved:
        decide_clinician(app, email)
    r = client.post("/api/auth/login", json={"email": email, "password": PASSWORD}, headers={"X-CSRF-Token": csrf})
    assert r.status_code == 200, r.text
    user = User(client=client, email=email, role=role, account=r.json())
    user.csrf = client.get("/api/auth/csrf").json()["csrf_token"]
    t = new_client(app).post("/api/auth/token", json={"email": email, "password": PASSWORD})
    assert t.status_code == 200, t.text
    user.token = t.json()["access_token"]
    return user


def admin_user(app: Any) -> User:
    """An administrator (made as `backcoach create-admin` does), logged in with a cookie and a token."""
    from backcoach.services import web_accounts

    email = f"admin-{uuid.uuid4().hex[:8]}@example.org"
    with SqlAlchemyUnitOfWork(session_factory=app.state.sessionmaker) as db:
        web_accounts.sign_up(db, email=email, password=PASSWORD, display_name="Admin", role="admin", administrator=True,
                             hash_password=app.state.hasher.hash, now=dt.datetime.now(dt.timezone.utc))
        db.commit()
    client = new_client(app)
    csrf = client.get("/api/auth/csrf").json()["csrf_token"]
    r = client.post("/api/auth/login", json={"email": email, "password": PASSWORD}, headers={"X-CSRF-Token": csrf})
    assert r.status_code == 200, r.text
    user = User(client=client, email=email, role="admin", account=r.json())
    user.csrf = client.get("/api/auth/csrf").json()["csrf_token"]
    user.token = new_client(app).post("/api/auth/token", json={"email": email, "password": PASSWORD}).json()["access_token"]
    return user


NO_KEYS = ("bladder_change", "bowel_control_loss", "saddle_numbness", "new_sexual_dysfunction", "worse_at_night",
           "fever_or_chills", "cancer_history", "unexplained_weight_loss", "osteoporosis_or_steroids",
           "immunosuppressed_or_injects_drugs", "first_episode", "leg_numbness_or_tingling",
           "sudden_onset", "recent_infection_or_spinal_procedure", "walking_unsteady", "thoracic_pain",
           "morning_stiffness_over_30_min")


def screening_answers(level: str = "clear") -> dict[str, Any]:
    a: dict[str, Any] = {"age": 40, "pain_now": 3, "pain_worst_24h": 4, "onset_weeks": 3, "radiation": "none",
                         "legs_affected": "none", "leg_weakness": "none", "relieved_by_rest": True, "recent_trauma": "none"}
    a.update({k: False for k in NO_KEYS})
    if level == "see_clinician":
        a["onset_weeks"] = 8
    elif level == "urgent":
        a["fever_or_chills"] = True
    elif level == "emergency":
        a["saddle_numbness"] = True
    return a


ASSESSMENT = {
    "pain_now": 3, "pain_worst_24h": 4, "onset_weeks": 3, "side": "left", "radiation": "none",
    "one_sided_ache": True, "worse_standing_walking": True, "swayback": False, "bridge_felt": "hamstrings",
    "bridge_hold_s": 25, "single_leg_bridge_reps_left": 5, "single_leg_bridge_reps_right": 9,
    "stance_hip_drop_left": True, "stance_hip_drop_right": False,
    "side_lying_hold_s_left": 15, "side_lying_hold_s_right": 30,
}


def person_with_program(app: Any, invitation_code: str | None = None) -> User:
    user = sign_up(app, "person", invitation_code)
    r = user.post("/api/screenings", json={"answers": screening_answers("clear")})
    assert r.status_code == 201, r.text
    r = user.post("/api/assessments", json={"answers": ASSESSMENT})
    assert r.status_code == 201, r.text
    return user


def full_session(today: dict[str, Any], pain: int = 1, rpe: int = 5, form: str = "good") -> dict[str, Any]:
    """A session that does exactly the prescribed dose of every exercise."""
    exercises = []
    for card in today["cards"]:
        e = {"exercise_id": card["exercise_id"], "sets": card["sets"], "hold_s": card["hold_s"],
             "pain_during": pain, "rpe": rpe, "form": form}
        if card["reps"]:
            e["reps"] = card["reps"]
        exercises.append(e)
    return {"exercises": exercises}
