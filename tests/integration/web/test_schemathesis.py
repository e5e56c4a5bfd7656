"""Schemathesis against the OpenAPI schema: no generated input gives a 5xx, and every answer
that the schema documents matches the documented shape. Strings include NUL and other control
characters (schemathesis generates "\x00" by default; the edge refuses them with 422).

Bounded by a fixed number of examples per operation (derandomized, so every run sends the same
cases), not by a time budget: under load a time budget covered only part of the operations.
Every operation, as a person (with a program) and as a clinician, on each backend: about 14 s
and 8 s of CPU on SQLite (20 examples: 28 s and 15 s).
"""

from __future__ import annotations

import os

import pytest
import schemathesis
from schemathesis.specs.openapi.checks import response_schema_conformance
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from .conftest import person_with_program, sign_up

EXAMPLES = int(os.environ.get("BACKCOACH_SCHEMATHESIS_EXAMPLES", "10"))  # per operation


# These end the token the run uses (logging out ends a token now), so the rest would only see 401s;
# tests/integration/web/test_sessions_logout.py and test_data_rights.py cover them.
ENDS_THE_SESSION = ("/api/auth/logout", "/api/auth/logout-everywhere", "/api/me/delete")


def _run(app, token: str, skip: tuple[str, ...] = ()) -> list[str]:
    skip = skip + ENDS_THE_SESSION
    schema = schemathesis.openapi.from_asgi("/openapi.json", app)
    failures: list[str] = []
    for result in schema.get_all_operations():
        operation = result.ok()
        if operation.path in skip:
            continue

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
