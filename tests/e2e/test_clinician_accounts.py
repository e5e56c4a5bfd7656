"""Clinician accounts in Chromium: a person's second account "as a clinician" cannot clear
their own pause; an administrator approves a real clinician, who then sees their list.
Screenshots and axe-core at desktop and 390x844 for the pending page and the admin page."""

from __future__ import annotations

import uuid
from typing import Any

import pytest

from .conftest import run_cli
from .test_clinician_lock_flow import check_both_sizes
from .test_web_flow import PASSWORD, answer_screening, sign_up

pytestmark = pytest.mark.browser


def log_in(page: Any, base: str, email: str, password: str = PASSWORD) -> None:
    page.goto(f"{base}/login")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_load_state()


def administrator(server: str, server_database: str, new_page: Any) -> Any:
    email = f"admin-{uuid.uuid4().hex[:8]}@example.org"
    password = "a long admin password"
    run_cli(server_database, "create-admin", "--email", email, "--name", "Ada Admin",
            input=f"{password}\n{password}\n")
    page = new_page()
    log_in(page, server, email, password)
    return page


def test_a_second_account_as_a_clinician_cannot_clear_ones_own_pause(server, server_database, new_page):
    tag = uuid.uuid4().hex[:8]
    person = new_page(phone=True)
    sign_up(person, server, name="Sam Self", email=f"sam-{tag}@example.org")
    answer_screening(person, server, "urgent")

    fake = new_page()
    sign_up(fake, server, role="clinician", name="Dr Sam", email=f"sam-{tag}+doc@example.org")
    assert fake.get_by_role("heading", name="Your clinician account is waiting for approval").is_visible()
    assert fake.get_by_role("button", name="Create an invitation code").count() == 0
    check_both_sizes(fake, "clinician-pending")
    fake.goto(f"{server}/clinic/audit")
    assert fake.get_by_role("heading", name="Your clinician account is waiting for approval").is_visible()

    admin = administrator(server, server_database, new_page)
    admin.get_by_role("link", name="Clinician accounts").click()
    admin.wait_for_load_state()
    card = admin.locator("li.card", has_text="Dr Sam")
    assert card.get_by_text(f"same mailbox as the person's account sam-{tag}@example.org").is_visible()
    assert card.get_by_role("button", name="Approve Dr Sam").count() == 0
    card.get_by_role("button", name="Refuse Dr Sam").click()
    admin.wait_for_load_state()
    assert admin.get_by_text("The clinician account is refused.").is_visible()

    fake.goto(f"{server}/clinic")
    assert fake.get_by_role("heading", name="Your clinician account was not approved").is_visible()
    person.goto(f"{server}/today")
    assert person.get_by_text("paused until a clinician has checked you", exact=False).first.is_visible()


def test_an_administrator_approves_a_clinician_who_then_sees_their_list(server, server_database, new_page):
    clinician = new_page()
    sign_up(clinician, server, role="clinician", name="Dr Noor Haddad")
    assert clinician.get_by_role("heading", name="Your clinician account is waiting for approval").is_visible()

    admin = administrator(server, server_database, new_page)
    admin.goto(f"{server}/admin/clinicians")
    card = admin.locator("li.card", has_text="Dr Noor Haddad")
    assert card.get_by_text("Physiotherapist").is_visible() and card.get_by_text("PH 123456").is_visible()
    check_both_sizes(admin, "admin-clinicians")
    card.get_by_role("button", name="Approve Dr Noor Haddad").click()
    admin.wait_for_load_state()
    assert admin.get_by_text("The clinician account is approved.").is_visible()
    decided = admin.locator("li.card", has_text="Dr Noor Haddad")
    assert decided.get_by_text("Approved").is_visible()
    assert decided.get_by_role("button", name="Withdraw the approval of Dr Noor Haddad").is_visible()
    check_both_sizes(admin, "admin-clinicians-decided")

    clinician.goto(f"{server}/clinic")
    assert clinician.get_by_role("heading", name="People you follow").is_visible()
    clinician.get_by_role("button", name="Create an invitation code").click()
    clinician.wait_for_load_state()
    code = clinician.locator("#new-code").inner_text().strip()
    person = new_page(phone=True)
    sign_up(person, server, code=code, name="Rita Joined")
    clinician.goto(f"{server}/clinic")
    assert "Rita Joined" in clinician.locator("ul.people").inner_text()
