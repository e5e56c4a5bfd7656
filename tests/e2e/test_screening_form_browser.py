"""The safety-check form in Chromium at desktop and phone size: unanswered questions are marked
where they are, the summary links land on them, and axe-core finds no violation."""

from __future__ import annotations

from typing import Any

import pytest

from .conftest import shot
from .test_web_flow import NO_KEYS, sign_up

pytestmark = pytest.mark.browser


def axe_violations(page: Any) -> list[str]:
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    return [f"{v['id']}: {v['help']} ({len(v['nodes'])})" for v in results.response["violations"]]


@pytest.mark.parametrize("phone", [False, True], ids=["desktop", "phone"])
def test_unanswered_questions_are_marked_and_the_page_passes_axe(server, new_page, phone):
    page = new_page(phone=phone)
    sign_up(page, server)
    page.goto(f"{server}/screening")
    size = "phone" if phone else "desktop"
    shot(page, f"{size}-screening-form")
    assert axe_violations(page) == []
    # answer all but three questions
    for key, value in {"age": "42", "pain_now": "3", "pain_worst_24h": "4", "onset_weeks": "3"}.items():
        page.fill(f'input[name="{key}"]', value)
    for key, value in {"radiation": "none", "legs_affected": "none", "leg_weakness": "none",
                       "recent_trauma": "none", "relieved_by_rest": "yes"}.items():
        page.check(f'input[name="{key}"][value="{value}"]')
    left_out = ("walking_unsteady", "saddle_numbness", "morning_stiffness_over_30_min")
    for key in NO_KEYS:
        if key not in left_out:
            page.check(f'input[name="{key}"][value="no"]')
    page.get_by_role("button", name="See my result").click()
    page.wait_for_load_state()
    summary = page.locator(".error-summary")
    assert summary.is_visible()
    assert summary.locator("li").count() == len(left_out)
    for key in left_out:
        question = page.locator(f".question:has(input[name='{key}'])")
        assert "has-error" in (question.get_attribute("class") or "")
        assert question.locator(".error-message").is_visible()
    assert page.locator(".question.has-error").count() == len(left_out)
    shot(page, f"{size}-screening-unanswered")
    assert axe_violations(page) == []
    summary.locator('a[href="#q-saddle_numbness"]').click()
    assert page.evaluate("document.activeElement.name") == "saddle_numbness"
    assert page.locator(".emergency-group .call-now").is_visible()
    # answering what was left takes the person to the result
    for key in left_out:
        page.check(f'input[name="{key}"][value="no"]')
    page.get_by_role("button", name="See my result").click()
    page.wait_for_load_state()
    assert "/screening/" in page.url and "No warning sign found" in page.content()
    assert "version 2" in page.content()
    shot(page, f"{size}-screening-result")
