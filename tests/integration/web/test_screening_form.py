"""The safety-check form (DESIGN §2 v2): every question including the five new ones, in our
words with no internal codes; unanswered questions marked where they are and linked from a
summary; the emergency line beside the bladder, bowel and saddle questions."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from typing import Any

import pytest

from answers import CLEAR

from .conftest import sign_up

NEW_KEYS = ("sudden_onset", "recent_infection_or_spinal_procedure", "walking_unsteady", "thoracic_pain",
            "morning_stiffness_over_30_min")
CHOICE_CODES = ("below_knee", "worsening", "stable", "see_clinician")


class _VisibleText(HTMLParser):
    """The text a person sees: text nodes outside script/style, not attributes."""

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: Any) -> None:
        if tag in ("script", "style", "title"):
            self._skip += 1

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style", "title"):
            self._skip -= 1

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.parts.append(data)


def visible_text(html: str) -> str:
    parser = _VisibleText()
    parser.feed(html)
    return " ".join(" ".join(parser.parts).split())


def as_form(answers: dict[str, Any]) -> dict[str, str]:
    return {k: ("yes" if v is True else "no" if v is False else str(v)) for k, v in answers.items()}


def tokens(user) -> dict[str, str]:
    page = user.client.get("/screening")
    assert page.status_code == 200
    return user.page_tokens(page.text)


def question_block(html: str, key: str) -> str:
    """The <div class="question ..."> that holds the question `key`."""
    starts = [m.start() for m in re.finditer(r'<div class="question', html)]
    for i, start in enumerate(starts):
        end = starts[i + 1] if i + 1 < len(starts) else len(html)
        if f'name="{key}"' in html[start:end]:
            return html[start:end]
    raise AssertionError(f"no question block for {key}")


def test_the_form_asks_the_new_questions_with_time_frames_and_no_internal_codes(app):
    from backcoach.services.screening import screening_questions

    user = sign_up(app)
    page = user.client.get("/screening")
    assert page.status_code == 200
    for key in NEW_KEYS:
        assert f'name="{key}"' in page.text
    text = visible_text(page.text)
    for q in screening_questions():
        assert " ".join(q.text.split()) in text, q.key
    assert "in the last 2 weeks" in text and "more than 30 minutes" in text and "In the last 3 months" in text
    for key in CLEAR:
        assert key not in text, key
    for code in CHOICE_CODES:
        assert code not in text, code
    assert "{" not in text


def test_every_choice_has_a_label_written_for_people(app):
    from backcoach.services.screening import screening_questions
    from backcoach.web.views import CHOICE_LABELS

    for q in screening_questions():
        for choice in q.choices:
            assert CHOICE_LABELS.get(choice), (q.key, choice)


def test_the_emergency_line_is_next_to_the_bladder_bowel_and_saddle_questions(app):
    user = sign_up(app)
    html = user.client.get("/screening").text
    fieldset = html[html.index("<legend>Bladder, bowel and numbness</legend>"):]
    fieldset = fieldset[:fieldset.index("</fieldset>")]
    assert "call your emergency number" in fieldset
    assert fieldset.index("call your emergency number") < fieldset.index('name="bladder_change"')
    for key in ("bladder_change", "bowel_control_loss", "saddle_numbness"):
        assert f'name="{key}"' in fieldset


def test_unanswered_questions_are_marked_where_they_are_and_linked_from_a_summary(app):
    user = sign_up(app)
    missing = ("walking_unsteady", "thoracic_pain", "saddle_numbness", "age")
    given = {k: v for k, v in as_form(CLEAR).items() if k not in missing}
    r = user.client.post("/screening", data={**tokens(user), **given})
    assert r.status_code == 400
    html = r.text
    summary = html[html.index('class="error-summary"'):html.index("</div>", html.index('class="error-summary"'))]
    for key in missing:
        assert f'href="#q-{key}"' in summary
        block = question_block(html, key)
        assert "has-error" in block and f'id="e-{key}"' in block and "never taken as “no”" in block
        assert f'id="q-{key}"' in block  # the summary link lands on the question itself
    assert summary.count("<li>") == len(missing)
    for key in ("bladder_change", "sudden_onset", "pain_now"):
        assert "has-error" not in question_block(html, key)
    # what was answered is kept
    assert re.search(r'name="sudden_onset" value="no" checked', html)
    assert 'value="3"' in question_block(html, "pain_now")
    assert user.get("/api/screenings").json() == []


def test_a_wrong_value_is_marked_at_its_question(app):
    user = sign_up(app)
    r = user.client.post("/screening", data={**tokens(user), **as_form({**CLEAR, "pain_now": 11})})
    assert r.status_code == 400
    block = question_block(r.text, "pain_now")
    assert "has-error" in block and "Enter a whole number from 0 to 10." in block and 'aria-invalid="true"' in block
    assert user.get("/api/screenings").json() == []


@pytest.mark.parametrize(("changes", "level"), [
    ({}, "clear"),
    ({"walking_unsteady": True}, "urgent"),
    ({"walking_unsteady": True, "legs_affected": "both"}, "emergency"),
    ({"recent_infection_or_spinal_procedure": True, "fever_or_chills": True}, "emergency"),
    ({"sudden_onset": True, "age": 75}, "urgent"),
    ({"thoracic_pain": True}, "see_clinician"),
    ({"morning_stiffness_over_30_min": True}, "see_clinician"),
])
def test_the_new_answers_are_stored_and_decide_the_level(app, changes, level):
    user = sign_up(app)
    r = user.client.post("/screening", data={**tokens(user), **as_form({**CLEAR, **changes})},
                         follow_redirects=False)
    assert r.status_code == 303, r.text[:500]
    stored = user.get("/api/screenings").json()[0]
    assert stored["level"] == level and stored["rule_version"] == 2
    for key in NEW_KEYS:
        assert key in stored["answers"]
    result = user.client.get(r.headers["location"])
    assert "safety rules version 2" in result.text
    assert not any(code in visible_text(result.text) for code in NEW_KEYS)


def test_a_warning_sign_is_not_held_back_by_an_unanswered_question(app):
    user = sign_up(app)
    given = {k: v for k, v in as_form({**CLEAR, "bladder_change": True}).items() if k != "thoracic_pain"}
    r = user.client.post("/screening", data={**tokens(user), **given}, follow_redirects=False)
    assert r.status_code == 303
    stored = user.get("/api/screenings").json()[0]
    assert stored["level"] == "emergency"
    assert "thoracic_pain" not in stored["answers"]
    assert any(x["item"] == "thoracic_pain" and x["message"].startswith("not answered") for x in stored["reasons"])


def test_the_api_takes_and_returns_the_new_keys(app):
    user = sign_up(app)
    questions = {q["key"]: q for q in user.get("/api/screening/questions").json()}
    assert set(NEW_KEYS) <= set(questions)
    assert "30 minutes" in questions["morning_stiffness_over_30_min"]["text"]
    r = user.post("/api/screenings", json={"answers": {**CLEAR, "walking_unsteady": True}})
    assert r.status_code == 201
    body = r.json()
    assert body["level"] == "urgent" and body["rule_version"] == 2
    one = user.get(f"/api/screenings/{body['screening_id']}").json()
    assert one["rule_version"] == 2 and one["answers"]["walking_unsteady"] is True
