"""Issue 9 in headless Chromium: after an emergency screen, answering "no" a minute later
never reads as "you can start" (the person sees "paused", the clinician's list puts them
first with the lock); new symptoms reach the top of the list with their reason. Each page
is screenshotted at desktop and phone size and checked with axe-core."""

from __future__ import annotations

import re
from typing import Any

import pytest

from .conftest import shot
from .test_web_flow import do_assessment, sign_up

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}


def axe_violations(page: Any) -> list[str]:
    """axe-core's serious and critical findings on the page as it is now."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    return [f"{v['id']}: {v['help']} ({len(v['nodes'])}x)" for v in results.response["violations"]
            if v.get("impact") in ("serious", "critical")]


def check_both_sizes(page: Any, name: str) -> None:
    """Screenshot at desktop and phone size, with no serious axe finding at either."""
    for size, viewport in (("desktop", DESKTOP), ("phone", PHONE)):
        page.set_viewport_size(viewport)
        shot(page, f"{size}-{name}")
        assert axe_violations(page) == [], (size, name)
    page.set_viewport_size(DESKTOP)


def answer_all(page: Any, base: str, yes: tuple[str, ...] = ()) -> None:
    """The safety check with every question answered "no"/"none" (whatever questions it has), except `yes`."""
    page.goto(f"{base}/screening")
    for key, value in {"age": "42", "pain_now": "3", "pain_worst_24h": "4", "onset_weeks": "3"}.items():
        if page.locator(f'input[name="{key}"]').count():
            page.fill(f'input[name="{key}"]', value)
    page.evaluate("""(yes) => {
        const names = [...new Set([...document.querySelectorAll('input[type=radio]')].map(r => r.name))];
        for (const name of names) {
            const radios = [...document.querySelectorAll(`input[type=radio][name="${name}"]`)];
            const want = yes.includes(name) ? ['yes'] : (name === 'relieved_by_rest' ? ['yes'] : ['no', 'none']);
            const pick = radios.find(r => want.includes(r.value));
            if (pick) pick.checked = true;
        }
    }""", list(yes))
    for key in yes:
        page.check(f'input[name="{key}"][value="yes"]')
    page.get_by_role("button", name="See my result").click()
    page.wait_for_load_state()


def clinician_with_code(new_page: Any, server: str, name: str, approve: Any) -> tuple[Any, str]:
    page = new_page()
    approve(sign_up(page, server, role="clinician", name=name))
    page.goto(f"{server}/clinic")
    page.get_by_role("button", name="Create an invitation code").click()
    page.wait_for_load_state()
    return page, page.locator("#new-code").inner_text().strip()


def new_code(page: Any, server: str) -> str:
    page.goto(f"{server}/clinic")
    page.get_by_role("button", name="Create an invitation code").click()
    page.wait_for_load_state()
    return page.locator("#new-code").inner_text().strip()


def person_with_program(new_page: Any, server: str, code: str, name: str) -> Any:
    page = new_page()
    sign_up(page, server, code=code, name=name)
    answer_all(page, server)
    do_assessment(page, server)
    assert page.url.endswith("/program"), page.url
    return page


def first_card(clinician: Any, server: str) -> Any:
    clinician.goto(f"{server}/clinic")
    return clinician.locator("ul.people > li").first


def test_emergency_then_no_keeps_the_lock_everywhere(server, new_page, approve_clinician):
    clinician, code = clinician_with_code(new_page, server, "Dr Amara Osei", approve_clinician)
    person_with_program(new_page, server, code, "Calm Casey")
    robin = person_with_program(new_page, server, new_code(clinician, server), "Robin Flagged")

    answer_all(robin, server, yes=("bladder_change", "saddle_numbness"))
    assert robin.get_by_role("heading", name="Seek emergency care now").is_visible()
    answer_all(robin, server)  # "no" to everything, a minute later
    assert robin.get_by_role("heading", name="Paused until a clinician has checked you").is_visible()
    body = robin.locator("main").inner_text()
    assert "emergency" in body and "You can start" not in body and "Go to today's session" not in body
    assert robin.locator(".notice.ok").count() == 0  # no green "no warning sign" banner
    check_both_sizes(robin, "20-result-no-after-emergency")
    robin.goto(f"{server}/today")
    assert robin.get_by_role("heading", name="Paused until a clinician has checked you").is_visible()
    assert re.search(r"emergency safety screen on \d{4}-\d{2}-\d{2}", robin.locator("main").inner_text())
    check_both_sizes(robin, "21-today-locked")

    card = first_card(clinician, server)
    text = card.inner_text()
    assert "Robin Flagged" in text and "paused until checked" in text.lower()
    assert "Nothing needs attention" not in text and card.locator(".badge.clear").count() == 0
    check_both_sizes(clinician, "22-clinic-list-emergency-first")
    card.get_by_role("link", name="Robin Flagged").click()
    clinician.wait_for_load_state()
    first_notice = clinician.locator("main .notice").first
    assert "Paused until a clinician has checked them" in first_notice.inner_text()
    assert "emergency" in first_notice.inner_text()
    check_both_sizes(clinician, "23-clinic-person-lock")

    clinician.get_by_label("What you ruled out").fill("Cauda equina syndrome (MRI normal)")
    clinician.get_by_label("Where they were seen").fill("Emergency department, St Mary's")
    clinician.get_by_label("What you concluded").fill("No compression; bladder symptoms from a urinary infection.")
    clinician.get_by_role("button", name="Record the assessment").click()
    clinician.wait_for_load_state()
    assert clinician.get_by_text("The assessment is saved").is_visible()
    assert "by Dr Amara Osei — seen at Emergency department, St Mary's" in clinician.locator("main").inner_text()
    robin.goto(f"{server}/today")
    assert robin.locator("section.exercise-card").count() >= 1


def test_new_symptoms_reach_the_top_of_the_list_with_their_reason(server, new_page, approve_clinician):
    clinician, code = clinician_with_code(new_page, server, "Dr Lena Park", approve_clinician)
    aaron = person_with_program(new_page, server, code, "Aaron Steady")
    jo = person_with_program(new_page, server, new_code(clinician, server), "Zoe Tingling")
    jo.goto(f"{server}/checkin")
    jo.check('input[name="nprs"][value="6"]')
    jo.check('input[name="new_symptoms"]')
    jo.fill("#note", "New tingling down my left leg since yesterday")
    jo.get_by_role("button", name="Save check-in").click()
    jo.wait_for_load_state()

    card = first_card(clinician, server)
    text = card.inner_text()
    assert "Zoe Tingling" in text  # above "Aaron Steady", although the list is otherwise alphabetical
    assert "New symptoms reported" in text and "pain 6/10" in text and "tingling down my left leg" in text
    assert "Nothing needs attention" not in text
    check_both_sizes(clinician, "24-clinic-list-new-symptoms")
    clinician.goto(f"{server}/clinic/audit")
    table = clinician.locator("main table").inner_text()
    assert "Opened the list of people" in table and "people.listed" not in table  # plain words, not codes
    check_both_sizes(clinician, "25-clinic-audit")


    # a change beyond the rules asks for confirmation; the note reaches the person's Today
    clinician.goto(f"{server}/clinic")
    clinician.get_by_role("link", name="Aaron Steady").click()
    clinician.wait_for_load_state()
    clinician.select_option("#adj-ex", "glute_bridge")
    clinician.select_option("#adj-action", "swap")
    clinician.select_option("#adj-new", "single_leg_glute_bridge")
    clinician.get_by_label("Note to the person").fill("You are ready for single-leg work; stop if it pinches.")
    clinician.get_by_role("button", name="Save change").click()
    clinician.wait_for_load_state()
    warnings = clinician.locator("#adj-warnings")
    assert warnings.is_visible() and "step(s) up its ladder" in warnings.inner_text()
    check_both_sizes(clinician, "26-clinic-adjust-warnings")
    clinician.get_by_label("I have read these warnings").check()
    clinician.get_by_role("button", name="Save change").click()
    clinician.wait_for_load_state()
    assert clinician.get_by_text("The change is saved").is_visible()
    aaron.goto(f"{server}/today")
    assert aaron.get_by_role("heading", name="A note from Dr Lena Park").is_visible()
    assert "ready for single-leg work" in aaron.locator(".clinician-note").inner_text()
    check_both_sizes(aaron, "27-today-clinician-note")
