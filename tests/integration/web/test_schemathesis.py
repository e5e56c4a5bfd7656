"""Schemathesis against the OpenAPI schema: no generated input gives a 5xx, and every answer
that the schema documents matches the documented shape. Strings include NUL and other control
characters (schemathesis generates "\x00" by default; the edge refuses them with 422).

Bounded: a fixed number of examples per operation and an overall time budget, so the
suite stays fast; run as a person (with a program) and as a clinician.
"""

from __future__ import annotations

import os
import time

import pytest
import schemathesis
from schemathesis.specs.openapi.checks import response_schema_conformance
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from .conftest import person_with_program, sign_up

EXAMPLES = int(os.environ.get("BACKCOACH_SCHEMATHESIS_EXAMPLES", "20"))
BUDGET_S = float(os.environ.get("BACKCOACH_SCHEMATHESIS_SECONDS", "30"))  # per backend and role


# These end the token the run uses (logging out ends a token now), so the rest would only see 401s;
# tests/integration/web/test_sessions_logout.py and test_data_rights.py cover them.
ENDS_THE_SESSION = ("/api/auth/logout", "/api/auth/logout-everywhere", "/api/me/delete")


def _run(app, token: str, skip: tuple[str, ...] = ()) -> list[str]:
    skip = skip + ENDS_THE_SESSION
    schema = schemathesis.openapi.from_asgi("/openapi.json", app)
    failures: list[str] = []
    started = time.monotonic()
    for result in schema.get_all_operations():
        operation = result.ok()
        if operation.path in skip:
            continue
        if time.monotonic() - started > BUDGET_S:
            break

        @settings(max_examples=EXAMPLES, deadline=None, database=None, derandomize=True,
                  suppress_health_check=list(HealthCheck))
        @given(case=operation.as_strategy(), data=st.data())
        def check(case, data):
            response = case.call(headers={"Authorization": f"Bearer {token}"})
            if response.status_code >= 500:
                failures.append(f"{case.method} {case.formatted_path} -> {response.status_code}: {response.text[:300]}")
                return
            try:
                case.validate_response(response, checks=[response_schema_conformance])
            except AssertionError as exc:  # schemathesis raises a failure group (an AssertionError)
                failures.append(f"{case.method} {case.formatted_path} -> {response.status_code}: shape: {exc}"[:500])

        check()
    return failures


def test_no_server_error_for_generated_input_as_a_person(app):
    user = person_with_program(app)
    # log-in/sign-up are exercised too; their rate limiting answers 429, never 5xx
    failures = _run(app, user.token)
    assert failures == [], "\n".join(failures[:10])


def test_no_server_error_for_generated_input_as_a_clinician(app):
    clinician = sign_up(app, "clinician")
    code = clinician.post("/api/clinician/invitations").json()["code"]
    person_with_program(app, invitation_code=code)
    failures = _run(app, clinician.token, skip=("/api/auth/signup", "/api/auth/login", "/api/auth/token"))
    assert failures == [], "\n".join(failures[:10])
