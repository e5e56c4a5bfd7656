"""Who may call what: every route of the app (read from the app's own route table, so a new
route without an expectation fails) × seven kinds of caller, with the status each must get.

Callers: X anonymous, A person A, B person B, N a pending clinician (assigned to A all the
same), O an approved clinician not linked to A, C the approved clinician A joined, M an
administrator. Path ids are A's records. A denied API call is 401 (anonymous) or 403; a
denied page redirects to the log-in page (303, anonymous) or is 403.

Writes are sent with a valid body, so a refusal can only come from the access check; a
page form is sent with its CSRF token but nothing else, so an allowed caller gets the form's
own complaint (400) and nothing changes. Writes that change the caller's own state (log out,
delete the account, a clearance...) run, when allowed, in a fresh world of their own.
"""

from __future__ import annotations

import datetime as dt
import re
import uuid
from dataclasses import dataclass, field
from typing import Any, Callable

import pytest

from .conftest import (PASSWORD, admin_user, full_session, new_client, person_with_program, screening_answers,
                       sign_up)

ACTORS = "XABNOCM"
NAMES = {"X": "anonymous", "A": "person A", "B": "person B", "N": "pending clinician",
         "O": "approved clinician, not linked", "C": "approved clinician of A", "M": "administrator"}
LOGIN = "LOGIN"  # a page's redirect to the log-in page


def api(ok: int, who: str = ACTORS, **other: int) -> dict[str, Any]:
    """An API route: `ok` for the callers in `who`, 401/403 for the rest, `other` for exceptions."""
    out = {a: (ok if a in who else 401 if a == "X" else 403) for a in ACTORS}
    out.update(other)
    return out


def page(ok: int | str, who: str = ACTORS, **other: int | str) -> dict[str, Any]:
    """A page: `ok` for the callers in `who`; anonymous is sent to log in, the rest get 403."""
    out = {a: (ok if a in who else LOGIN if a == "X" else 403) for a in ACTORS}
    out.update(other)
    return out


PERSONS, CLINICAL, SIGNED_IN = "AB", "CM", "ABNOCM"


@dataclass(frozen=True)
class Rule:
    statuses: dict[str, Any]
    fresh: bool = False  # an allowed call changes the caller's state: give it a world of its own
    urgent: bool = False  # the fresh world's person A has an urgent screen waiting for a clearance


def R(statuses: dict[str, Any], **kw: Any) -> Rule:
    return Rule(statuses, **kw)


# (method, path as in the route table) -> who gets what
EXPECTED: dict[tuple[str, str], Rule] = {
    ("GET", "/openapi.json"): R(api(200)),
    ("GET", "/static"): R(api(307)),  # the folder itself (redirected to /static/); its files are public
    # accounts
    ("GET", "/api/auth/csrf"): R(api(200)),
    ("POST", "/api/auth/signup"): R(api(202)),  # the same answer whether or not the address is taken
    ("POST", "/api/auth/login"): R(api(200)),
    ("POST", "/api/auth/token"): R(api(200)),
    ("POST", "/api/auth/logout"): R(api(204, SIGNED_IN), fresh=True),
    ("POST", "/api/auth/logout-everywhere"): R(api(200, SIGNED_IN), fresh=True),
    ("GET", "/api/auth/me"): R(api(200, SIGNED_IN)),
    ("POST", "/api/auth/join"): R(api(200, PERSONS), fresh=True),
    ("GET", "/api/privacy-notice"): R(api(200)),
    ("GET", "/api/me/export/everything"): R(api(200, SIGNED_IN)),
    ("POST", "/api/me/delete"): R(api(202, SIGNED_IN), fresh=True),
    # a person's own record
    ("GET", "/api/screening/questions"): R(api(200, SIGNED_IN)),
    ("POST", "/api/screenings"): R(api(201, PERSONS), fresh=True),
    ("GET", "/api/screenings"): R(api(200, PERSONS)),
    ("GET", "/api/screenings/{screening_id}"): R(api(200, "A", B=404)),
    ("GET", "/api/assessment/self-tests"): R(api(200, SIGNED_IN)),
    ("POST", "/api/assessments"): R(api(201, PERSONS), fresh=True),
    ("GET", "/api/program"): R(api(200, PERSONS)),
    ("GET", "/api/today"): R(api(200, PERSONS)),
    ("POST", "/api/sessions"): R(api(201, PERSONS), fresh=True),
    ("GET", "/api/sessions"): R(api(200, PERSONS)),
    ("GET", "/api/sessions/{session_id}"): R(api(200, "A", B=404)),
    ("POST", "/api/pain"): R(api(201, PERSONS), fresh=True),
    ("GET", "/api/pain"): R(api(200, PERSONS)),
    ("GET", "/api/progress"): R(api(200, PERSONS)),
    ("GET", "/api/catalog/exercises"): R(api(200, SIGNED_IN)),
    ("GET", "/api/me/export/fhir"): R(api(200, PERSONS)),
    ("GET", "/api/me/export/report.pdf"): R(api(200, PERSONS)),
    ("GET", "/api/outcomes/questionnaires"): R(api(200, SIGNED_IN)),
    ("GET", "/api/outcomes"): R(api(200, PERSONS)),
    ("POST", "/api/outcomes/{instrument_id}"): R(api(201, PERSONS), fresh=True),
    ("POST", "/api/coach/landmarks/{exercise_id}"): R(api(422, PERSONS)),  # no frames: the analysis' own complaint
    ("POST", "/api/videos"): R(api(415, PERSONS)),  # no file: the upload's own complaint
    ("GET", "/api/videos/{video_id}"): R(api(404, PERSONS)),  # nobody's video has this id
    ("DELETE", "/api/videos/{video_id}/file"): R(api(404, PERSONS)),
    ("GET", "/api/videos/{video_id}/keyframes/{rep_index}"): R(api(404, PERSONS)),
    # the clinician's side: only an approved clinician following A, or an administrator
    ("GET", "/api/clinician/people"): R(api(200, "OCM")),
    ("GET", "/api/clinician/people/{person_id}"): R(api(200, CLINICAL)),
    ("POST", "/api/clinician/people/{person_id}/clearance"): R(api(201, CLINICAL), fresh=True, urgent=True),
    ("POST", "/api/clinician/people/{person_id}/adjustments"): R(api(201, CLINICAL), fresh=True),
    ("POST", "/api/clinician/invitations"): R(api(201, "OCM")),
    ("GET", "/api/clinician/audit"): R(api(200, "OCM")),
    ("POST", "/api/clinician/assignments"): R(api(201, "M"), fresh=True),
    ("GET", "/api/clinician/people/{person_id}/export/fhir"): R(api(200, CLINICAL)),
    ("GET", "/api/clinician/people/{person_id}/export/report.pdf"): R(api(200, CLINICAL)),
    ("GET", "/api/clinician/people/{person_id}/outcomes"): R(api(200, CLINICAL)),
    # administration
    ("GET", "/api/admin/clinicians"): R(api(200, "M")),
    ("POST", "/api/admin/clinicians/{user_id}/approve"): R(api(200, "M"), fresh=True),
    ("POST", "/api/admin/clinicians/{user_id}/refuse"): R(api(200, "M"), fresh=True),
    # pages: public
    ("GET", "/"): R(page(200, "X", **{a: 303 for a in SIGNED_IN})),  # home: each to their own first page
    ("GET", "/signup"): R(page(200)),
    ("POST", "/signup"): R(page(400)),
    ("GET", "/login"): R(page(303, SIGNED_IN, X=200)),
    ("POST", "/login"): R(page(400)),
    ("POST", "/logout"): R(page(303), fresh=True),
    ("GET", "/privacy"): R(page(200)),
    ("GET", "/docs"): R(page(200)),
    ("GET", "/learn"): R(page(200)),  # general reading about back pain
    # pages: any account
    ("GET", "/account"): R(page(200, SIGNED_IN)),
    ("POST", "/account/logout-everywhere"): R(page(303, SIGNED_IN), fresh=True),
    ("POST", "/account/delete"): R(page(400, SIGNED_IN)),
    ("POST", "/account/join"): R(page(400, PERSONS)),
    # pages: a person's own
    ("GET", "/screening"): R(page(200, PERSONS)),
    ("POST", "/screening"): R(page(400, PERSONS)),
    ("GET", "/screening/{screening_id}"): R(page(200, "A")),
    ("GET", "/assessment"): R(page(200, PERSONS)),
    ("POST", "/assessment"): R(page(400, PERSONS)),
    ("GET", "/program"): R(page(200, PERSONS)),
    ("GET", "/today"): R(page(200, PERSONS)),
    ("POST", "/today/log"): R(page(400, PERSONS)),
    ("GET", "/sessions/{session_id}"): R(page(200, "A")),
    ("GET", "/checkin"): R(page(200, PERSONS)),
    ("POST", "/checkin"): R(page(400, PERSONS)),
    ("GET", "/progress"): R(page(200, PERSONS)),
    ("GET", "/outcomes"): R(page(200, PERSONS)),
    ("POST", "/outcomes/{instrument_id}"): R(page(400, PERSONS)),
    ("GET", "/coach/{exercise_id}"): R(page(200, PERSONS)),
    ("GET", "/guided"): R(page(200, PERSONS)),
    # pages: the clinician's
    ("GET", "/clinic"): R(page(200, "OCM")),
    ("POST", "/clinic/invitations"): R(page(303, "OCM")),
    ("POST", "/clinic/assign"): R(page(400, "M")),
    ("GET", "/clinic/people/{person_id}"): R(page(200, CLINICAL)),
    ("POST", "/clinic/people/{person_id}/clearance"): R(page(400, CLINICAL)),
    ("POST", "/clinic/people/{person_id}/adjust"): R(page(400, CLINICAL)),
    ("GET", "/clinic/audit"): R(page(200, "OCM")),
    # pages: administration
    ("GET", "/admin/clinicians"): R(page(200, "M")),
    ("POST", "/admin/clinicians/{user_id}/approve"): R(page(303, "M"), fresh=True),
    ("POST", "/admin/clinicians/{user_id}/refuse"): R(page(303, "M"), fresh=True),
}
# not plain HTTP: the camera coach's live socket checks the person's cookie itself (tests/.../test_live*)
NOT_HTTP = {("WEBSOCKET", "/ws/live/{exercise_id}")}


def route_table(app: Any) -> set[tuple[str, str]]:
    """(method, path) of every route the app serves, included routers flattened."""
    try:
        from fastapi.routing import iter_route_contexts

        routes = list(iter_route_contexts(app.routes))
    except ImportError:  # older FastAPI: app.routes is already flat
        routes = app.routes
    out = set()
    for r in routes:
        methods = getattr(r, "methods", None)
        if methods is None:
            out.add(("WEBSOCKET" if "websocket" in type(getattr(r, "route", r)).__name__.lower() else "GET", r.path))
            continue
        out.update((m, r.path) for m in methods if m != "HEAD")
    return out


# -- the world: two people, four clinical accounts, their records -------------------------------

@dataclass
class World:
    app: Any
    users: dict[str, Any] = field(default_factory=dict)  # actor -> conftest User (X: None)
    ids: dict[str, Any] = field(default_factory=dict)
    api_client: Any = None  # no cookie: API calls carry only their bearer token


def _link(app: Any, clinician_id: int, person_id: int) -> None:
    from backcoach.services import web_accounts
    from backcoach.storage import SqlAlchemyUnitOfWork

    with SqlAlchemyUnitOfWork(session_factory=app.state.sessionmaker) as db:
        web_accounts.assign(db, clinician_user_id=clinician_id, person_id=person_id, now=dt.datetime.now(dt.timezone.utc))
        db.commit()


def make_world(app: Any, only: str = ACTORS, urgent: bool = False) -> World:
    """Person A (a program and a logged session) joined to clinician C; the pending clinician is
    assigned to A too (it must not help). `only` limits which other accounts are made."""
    w = World(app, api_client=new_client(app))
    c = sign_up(app, "clinician", name="Dr Linked")
    code = c.post("/api/clinician/invitations").json()["code"]
    a = person_with_program(app, invitation_code=code)
    today = a.get("/api/today").json()
    session = a.post("/api/sessions", json=full_session(today))
    assert session.status_code == 201, session.text
    w.users.update(X=None, A=a, C=c)
    if "B" in only:
        w.users["B"] = person_with_program(app)
    if "N" in only:
        w.users["N"] = sign_up(app, "clinician", name="Dr Pending", approved=False)
        _link(app, w.users["N"].account["id"], a.account["person_id"])
    if "O" in only:
        w.users["O"] = sign_up(app, "clinician", name="Dr Other")
    if "M" in only:
        w.users["M"] = admin_user(app)
    waiting = sign_up(app, "clinician", name="Dr Waiting", approved=False)
    pid = a.account["person_id"]
    w.ids = {"person_id": pid, "screening_id": a.get("/api/screenings").json()[0]["id"],
             "session_id": session.json()["session_id"], "user_id": waiting.account["id"],
             "instrument_id": a.get("/api/outcomes/questionnaires").json()[0]["id"],
             "exercise_id": today["cards"][0]["exercise_id"], "video_id": 2_000_000, "rep_index": 1}
    if urgent:
        assert a.post("/api/screenings", json={"answers": screening_answers("urgent")}).status_code == 201
    return w


def _body(method: str, path: str, w: World) -> dict[str, Any]:
    """A valid request body for each API write (so that only the access check can refuse it)."""
    a = w.users["A"]
    if path == "/api/auth/signup":
        return {"json": {"email": f"new-{uuid.uuid4().hex[:8]}@example.org", "password": PASSWORD,
                         "display_name": "New", "accept_privacy_notice": True}}
    if path in ("/api/auth/login", "/api/auth/token"):
        return {"json": {"email": a.email, "password": PASSWORD}}
    if path == "/api/auth/join":
        return {"json": {"code": w.users["C"].post("/api/clinician/invitations").json()["code"]}}
    if path == "/api/me/delete":
        return {"json": {"password": PASSWORD}}
    if path == "/api/screenings":
        return {"json": {"answers": screening_answers("clear")}}
    if path == "/api/assessments":
        from .conftest import ASSESSMENT

        return {"json": {"answers": ASSESSMENT}}
    if path == "/api/sessions":
        return {"json": full_session(a.get("/api/today").json())}
    if path == "/api/pain":
        return {"json": {"nprs": 3}}
    if path == "/api/outcomes/{instrument_id}":
        q = a.get("/api/outcomes/questionnaires").json()[0]
        return {"json": {"answers": {i["id"]: (i.get("min") if i.get("min") is not None else 0) for i in q["items"]}}}
    if path == "/api/coach/landmarks/{exercise_id}":
        return {"json": {"frames": []}}
    if path.endswith("/clearance"):
        return {"json": {"ruled_out": "Spinal infection", "seen_where": "Clinic", "note": "Examined; no infection."}}
    if path.endswith("/adjustments"):
        return {"json": {"exercise_id": w.ids["exercise_id"], "action": "dose", "note": "Fewer while it settles.", "sets": 1,
                         "confirm": True}}
    if path == "/api/clinician/assignments":
        return {"json": {"clinician_email": w.users["O"].email if "O" in w.users else w.users["C"].email,
                         "person_email": a.email}}
    return {}


def _page_tokens(client: Any) -> dict[str, str]:
    html = client.get("/signup").text
    return {"csrf_token": re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)}


def call(w: World, actor: str, method: str, path: str) -> int:
    url = path.format(**w.ids)
    user = w.users.get(actor)
    if path.startswith("/api/") or path == "/openapi.json" or path == "/static":
        client = w.api_client
        client.cookies.clear()
        headers = user.bearer if user else {}
        kw = _body(method, path, w) if method != "GET" else {}
        return client.request(method, url, headers=headers, follow_redirects=False, **kw).status_code
    client = user.client if user else new_client(w.app)
    if method == "GET":
        r = client.get(url, follow_redirects=False)
    else:
        form = _page_tokens(client)
        if path == "/login":  # a new address each time, so the log-in limit is not what answers
            form["email"] = f"nobody-{uuid.uuid4().hex[:8]}@example.org"
        r = client.post(url, data=form, follow_redirects=False)
    location = r.headers.get("location", "")
    if r.status_code == 303 and (location == "/login" or location.startswith(("/login?next=", "/login?msg=expired"))):
        return LOGIN  # type: ignore[return-value]
    return r.status_code


@pytest.fixture(scope="module")
def world(app: Any) -> World:
    return make_world(app)


def test_every_route_has_an_expectation(app: Any) -> None:
    served = route_table(app)
    missing = sorted(served - set(EXPECTED) - NOT_HTTP)
    assert missing == [], f"routes without an expected status per caller (add them to EXPECTED): {missing}"
    stale = sorted(set(EXPECTED) - served)
    assert stale == [], f"expectations for routes the app no longer serves: {stale}"


@pytest.mark.parametrize("method, path", sorted(EXPECTED))
def test_who_gets_what(app: Any, world: World, method: str, path: str) -> None:
    rule = EXPECTED[(method, path)]
    got: dict[str, Any] = {}
    for actor in ACTORS:
        expected = rule.statuses[actor]
        allowed = expected not in (401, 403, LOGIN)
        w = make_world(app, only=actor, urgent=rule.urgent) if rule.fresh and allowed else world
        got[actor] = call(w, actor, method, path)
    wrong = {NAMES[a]: f"expected {rule.statuses[a]}, got {got[a]}" for a in ACTORS if got[a] != rule.statuses[a]}
    assert wrong == {}, f"{method} {path}: {wrong}"
