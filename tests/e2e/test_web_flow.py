"""End to end in headless Chromium: sign-up -> safety check at each level -> assessment ->
today's session -> log -> decisions -> progress charts -> the clinician sees the alert."""

from __future__ import annotations

import re
import uuid
from typing import Any

import pytest

from .conftest import run_cli, shot

pytestmark = pytest.mark.browser

PASSWORD = "correct horse battery"
NO_KEYS = ("first_episode", "leg_numbness_or_tingling", "bladder_change", "bowel_control_loss", "saddle_numbness",
           "new_sexual_dysfunction", "worse_at_night", "fever_or_chills", "cancer_history", "unexplained_weight_loss",
           "osteoporosis_or_steroids", "immunosuppressed_or_injects_drugs", "sudden_onset",
           "recent_infection_or_spinal_procedure", "walking_unsteady", "thoracic_pain", "morning_stiffness_over_30_min")


def sign_up(page: Any, base: str, role: str = "person", code: str | None = None, name: str = "Alex",
            email: str | None = None) -> str:
    email = email or f"{role}-{uuid.uuid4().hex[:8]}@example.org"
    page.goto(f"{base}/signup")
    page.get_by_label("Your name").fill(name)
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.check(f'input[name="role"][value="{role}"]')
    page.check('input[name="accept_privacy_notice"]')
    if role == "clinician":
        page.get_by_label("Profession", exact=True).select_option("Physiotherapist")
        page.get_by_label("Professional registration number").fill("PH 123456")
    if code:
        page.get_by_label("Invitation code from your clinician (optional)").fill(code)
    page.get_by_role("button", name="Create account").click()
    page.wait_for_load_state()
    # sign-up does not log in (it answers the same for an address that has an account): log in now
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_load_state()
    return email


def answer_screening(page: Any, base: str, level: str) -> None:
    if "/screening" not in page.url:
        page.goto(f"{base}/screening")
    numbers = {"age": "42", "pain_now": "3", "pain_worst_24h": "4", "onset_weeks": "8" if level == "see_clinician" else "3"}
    for key, value in numbers.items():
        page.fill(f'input[name="{key}"]', value)
    choices = {"radiation": "none", "legs_affected": "none", "leg_weakness": "none", "recent_trauma": "none",
               "relieved_by_rest": "yes"}
    for key in NO_KEYS:
        choices[key] = "no"
    if level == "urgent":
        choices["fever_or_chills"] = "yes"
    if level == "emergency":
        choices["saddle_numbness"] = "yes"
    for key, value in choices.items():
        page.check(f'input[name="{key}"][value="{value}"]')
    page.get_by_role("button", name="See my result").click()
    page.wait_for_load_state()


def do_assessment(page: Any, base: str, *, sore_hip: bool = False) -> None:
    page.goto(f"{base}/assessment")
    page.check('input[name="side"][value="left"]')
    for key, value in (("one_sided_ache", "yes"), ("worse_standing_walking", "yes"), ("swayback", "no"),
                       ("side_lying_pain", "yes" if sore_hip else "no"),
                       ("stance_hip_drop_left", "yes"), ("stance_hip_drop_right", "no")):
        page.check(f'input[name="{key}"][value="{value}"]')
    page.check('input[name="bridge_felt"][value="hamstrings"]')
    for key, value in (("bridge_hold_s", "25"), ("single_leg_bridge_reps_left", "5"), ("single_leg_bridge_reps_right", "9"),
                       ("side_lying_hold_s_left", "15"), ("side_lying_hold_s_right", "30")):
        page.fill(f'input[name="{key}"]', value)
    page.get_by_role("button", name="See my result and program").click()
    page.wait_for_load_state()


def log_today(page: Any) -> None:
    cards = page.locator("section.exercise-card")
    n = cards.count()
    assert n >= 1
    for i in range(n):
        card = cards.nth(i)
        sets, reps, hold = card.get_attribute("data-sets"), card.get_attribute("data-reps"), card.get_attribute("data-hold")
        if i == 0 and reps:
            # the rep counter fills the log fields, as a person would use it while training
            for _ in range(int(sets)):
                for _ in range(int(reps)):
                    card.get_by_role("button", name="Count a repetition").click()
                card.get_by_role("button", name="Set done").click()
            assert page.input_value(f"#ex{i}_sets") == sets
        else:
            page.fill(f"#ex{i}_sets", sets)
            if reps:
                page.fill(f"#ex{i}_reps", ",".join([reps] * int(sets)))
        if not reps:
            page.fill(f"#ex{i}_holds", ",".join([hold] * int(sets)))
        page.fill(f"#ex{i}_pain", "1")
        page.fill(f"#ex{i}_rpe", "5")
        page.check(f'input[name="ex{i}_form"][value="good"]')
    page.get_by_role("button", name="Save session").click()
    page.wait_for_load_state()


@pytest.mark.parametrize("phone", [False, True], ids=["desktop", "phone"])
def test_person_clear_path_from_sign_up_to_progress_chart(server, new_page, phone):
    page = new_page(phone=phone)
    size = "phone" if phone else "desktop"
    sign_up(page, server)
    assert "/screening" in page.url
    shot(page, f"{size}-01-screening")
    answer_screening(page, server, "clear")
    assert page.get_by_role("heading", name="No warning sign found").is_visible()
    shot(page, f"{size}-02-result-clear")
    page.get_by_role("link", name="Continue to the glute assessment").click()
    page.wait_for_load_state()
    assert page.get_by_text("Step 3 of 3").is_visible()
    do_assessment(page, server)
    assert page.url.endswith("/program")
    assert page.get_by_role("heading", name="What the assessment found").is_visible()
    shot(page, f"{size}-03-program")
    page.get_by_role("link", name="Start today's session").click()
    page.wait_for_load_state()
    canvas = page.locator("canvas.figure").first
    assert canvas.is_visible()
    # the figure is drawn (non-blank canvas: the animation draws on the next animation frame, so
    # wait for it) and the hold timer starts
    page.wait_for_function("""() => { const c = document.querySelector('canvas.figure');
        const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
        let n = 0; for (let i = 3; i < d.length; i += 4) if (d[i] > 0) n++; return n > 100; }""", timeout=10_000)
    timer = page.locator("[data-hold-timer]").first
    if timer.count():
        timer.get_by_role("button", name="Start hold").click()
        page.wait_for_timeout(1200)
        assert timer.get_by_role("button", name="Stop").is_visible()
    shot(page, f"{size}-04-today")
    log_today(page)
    assert re.search(r"/sessions/\d+", page.url), page.url
    assert page.get_by_role("heading", name="What happens next").is_visible()
    assert page.locator(".badge").first.is_visible()
    shot(page, f"{size}-05-decisions")
    page.goto(f"{server}/checkin")
    page.check('input[name="nprs"][value="2"]')
    page.get_by_role("button", name="Save check-in").click()
    page.wait_for_load_state()
    assert page.get_by_text("Your pain score of 2 is saved").is_visible()
    page.goto(f"{server}/progress")
    assert page.locator("svg.pain-chart").is_visible()
    assert page.locator("svg.pain-chart circle").count() >= 1
    assert page.locator("svg.adherence-chart").is_visible()
    assert page.locator("svg.ladder-chart").is_visible()
    assert page.locator("svg.decisions-chart").is_visible()
    shot(page, f"{size}-06-progress")


def test_see_clinician_urgent_and_emergency_results(server, new_page):
    page = new_page()
    sign_up(page, server)
    answer_screening(page, server, "see_clinician")
    assert page.get_by_role("heading", name="You can start gently — and please book a review").is_visible()
    assert page.get_by_role("link", name="Continue to the glute assessment").is_visible()
    shot(page, "desktop-07-result-see-clinician")

    page = new_page(phone=True)
    sign_up(page, server)
    answer_screening(page, server, "urgent")
    assert page.get_by_role("heading", name="Please see a doctor within 24 hours").is_visible()
    assert page.get_by_text("stays paused until a clinician").is_visible()
    assert page.get_by_role("link", name="Continue to the glute assessment").count() == 0
    shot(page, "phone-08-result-urgent")
    page.goto(f"{server}/today")
    assert page.get_by_role("heading", name="Paused until a clinician has checked you").is_visible()

    page = new_page(phone=True)
    sign_up(page, server)
    answer_screening(page, server, "emergency")
    assert page.get_by_role("heading", name="Seek emergency care now").is_visible()
    assert page.get_by_role("link", name="Continue to the glute assessment").count() == 0
    assert page.get_by_role("link", name="Go to today's session").count() == 0
    shot(page, "phone-09-result-emergency")
    page.goto(f"{server}/assessment")
    assert page.get_by_role("heading", name="Paused until a clinician has checked you").is_visible()


def test_clinician_sees_the_alert_and_records_clearance(server, server_database, new_page):
    clinician = new_page()
    email = sign_up(clinician, server, role="clinician", name="Dr Rivera")
    assert clinician.url.endswith("/clinic")
    assert clinician.get_by_role("heading", name="Your clinician account is waiting for approval").is_visible()
    run_cli(server_database, "clinicians", "approve", email)
    clinician.goto(f"{server}/clinic")
    clinician.get_by_role("button", name="Create an invitation code").click()
    clinician.wait_for_load_state()
    code = clinician.locator("#new-code").inner_text().strip()
    assert code

    person = new_page(phone=True)
    sign_up(person, server, code=code, name="Sam Patel")
    answer_screening(person, server, "urgent")

    clinician.goto(f"{server}/clinic")
    entry = clinician.locator("ul.people > li").first
    assert "Sam Patel" in entry.inner_text()
    assert entry.locator(".badge", has_text="Urgent screen").count() >= 1
    shot(clinician, "desktop-10-clinic-list")
    entry.get_by_role("link").first.click()
    clinician.wait_for_load_state()
    assert clinician.get_by_text("Paused until a clinician has checked them").is_visible()
    clinician.get_by_label("What you ruled out").fill("Spinal infection")
    clinician.get_by_label("Where they were seen").fill("My clinic")
    clinician.get_by_label("What you concluded").fill("Examined today: no neurological deficit, fever explained by flu.")
    clinician.get_by_role("button", name="Record the assessment").click()
    clinician.wait_for_load_state()
    assert clinician.get_by_text("The assessment is saved").is_visible()
    shot(clinician, "desktop-11-clinic-person")
    clinician.goto(f"{server}/clinic/audit")
    assert clinician.get_by_role("cell", name="Viewed the person's record").first.is_visible()
    assert clinician.get_by_role("cell", name="Recorded an assessment (lifted the pause)").first.is_visible()

    person.goto(f"{server}/assessment")
    assert person.get_by_text("Step 3 of 3").is_visible()


def test_keyboard_skip_link_and_labels(server, new_page):
    page = new_page()
    page.goto(f"{server}/login")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Skip to content"
    # every visible input has a label
    unlabeled = page.evaluate("""() => [...document.querySelectorAll('input:not([type=hidden]), select, textarea')]
        .filter(el => !(el.labels && el.labels.length) && !el.getAttribute('aria-label')).map(el => el.name)""")
    assert unlabeled == []
    # no asset comes from another host
    hosts = page.evaluate("""() => [...document.querySelectorAll('link[href], script[src], img[src]')]
        .map(e => new URL(e.href || e.src, location.href).host)""")
    assert set(hosts) == {server.split("//")[1]}
