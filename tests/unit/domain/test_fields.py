"""domain.fields: declared input fields, one rule and one wording per kind of mistake."""

from __future__ import annotations

import math

import pytest

from backcoach.domain.errors import InvalidAnswers
from backcoach.domain.fields import MISSING, FieldProblem, FieldSpec, validate
from backcoach.domain.inputs import ASSESSMENT, CHECKIN, SCREENING, SESSION, SESSION_ENTRY
from backcoach.domain.screening import QUESTIONS

PAIN = FieldSpec("pain", "int", "Pain", required=True, low=0, high=10)
HOLD = FieldSpec("hold_s", "number", "Seconds held", low=0, high=600, per_set=True)
OPEN = FieldSpec("reps", "int", "Repetitions", low=0)
OPEN_NUMBER = FieldSpec("hold", "number", "Seconds held", low=0)
YES_NO = FieldSpec("rest", "bool", "Rest helps")
SIDE = FieldSpec("side", "choice", "Side", choices=("left", "right"))
NOTE = FieldSpec("note", "text", "Note", max_length=5)


@pytest.mark.parametrize("field, value", [
    (PAIN, 11), (PAIN, -1), (PAIN, 2.5), (PAIN, "3"), (PAIN, True), (PAIN, math.nan), (PAIN, 10**400),
    (HOLD, 601), (HOLD, math.inf), (HOLD, "x"), (HOLD, 10**400), (HOLD, -10**400), (OPEN, -1),
    (OPEN_NUMBER, 10**400),
    (YES_NO, "yes"), (YES_NO, 1), (SIDE, "middle"), (SIDE, 1), (NOTE, "toolong"), (NOTE, 3),
])
def test_a_json_value_that_breaks_the_rule_gets_the_rule_as_its_words(field, value):
    with pytest.raises(FieldProblem) as caught:
        field.check(value)
    assert caught.value.message == field.rule() and caught.value.field == field.name


@pytest.mark.parametrize("field, typed", [
    (PAIN, "11"), (PAIN, "lots"), (PAIN, "2.5"), (HOLD, "abc"), (HOLD, "nan"), (YES_NO, "maybe"),
    (SIDE, "middle"), (NOTE, "toolong"),
])
def test_typed_text_that_breaks_the_rule_gets_the_same_words_as_json(field, typed):
    with pytest.raises(FieldProblem) as caught:
        field.parse_text(typed)
    assert caught.value.message == field.rule()


def test_the_words_for_each_kind():
    assert PAIN.rule() == "Enter a whole number from 0 to 10."
    assert HOLD.rule() == "Enter a number from 0 to 600."
    assert OPEN.rule() == "Enter a whole number, 0 or more."
    assert YES_NO.rule() == "Answer yes or no."
    assert SIDE.rule() == "Choose one of: left, right."
    assert NOTE.rule() == "Enter a text of at most 5 characters."


@pytest.mark.parametrize("field, value, expected", [
    (PAIN, 7, 7), (PAIN, 7.0, 7), (HOLD, 2, 2.0), (YES_NO, False, False), (SIDE, "left", "left"), (PAIN, None, None),
])
def test_good_json_values_come_back_checked(field, value, expected):
    checked = field.check(value)
    assert checked == expected and type(checked) is type(expected)


@pytest.mark.parametrize("field, typed, expected", [
    (PAIN, " 7 ", 7), (HOLD, "2,5", 2.5), (YES_NO, "Yes", True), (YES_NO, "n", False), (SIDE, "right", "right"),
    (PAIN, "", None),
])
def test_good_typed_values_come_back_checked(field, typed, expected):
    assert field.parse_text(typed) == expected


def test_validate_keys_every_problem_by_its_field_and_keeps_the_good_values():
    spec = (PAIN, SIDE, YES_NO)
    checked = validate(spec, {"pain": 12, "side": "left", "colour": "blue"})
    assert checked.values == {"side": "left"}
    assert checked.problems["pain"] == PAIN.rule()
    assert checked.problems["colour"].startswith("This is not something we ask for.")
    assert set(checked.problems) == {"pain", "colour"}
    assert validate(spec, {}).problems == {"pain": MISSING}
    with pytest.raises(InvalidAnswers) as caught:
        validate(spec, {"pain": 12}).raise_problems("days[0].")
    assert caught.value.problems == {"days[0].pain": PAIN.rule()}
    assert str(caught.value) == f"days[0].pain: {PAIN.rule()}"


def test_validate_reads_a_form_as_typed_text():
    checked = validate((PAIN, HOLD), {"pain": "3", "hold_s": "10, 12"}, text=True)
    assert checked.values == {"pain": 3, "hold_s": [10.0, 12.0]} and not checked.problems
    assert validate((PAIN,), {"pain": ""}, text=True).problems == {"pain": MISSING}


def test_one_value_per_set_or_one_for_all():
    assert HOLD.check_per_set(3, 2) == (3.0, 3.0)
    assert HOLD.check_per_set([3, 4], 2) == (3.0, 4.0)
    with pytest.raises(FieldProblem, match="one value for each set"):
        HOLD.check_per_set([3, 4, 5], 2)
    with pytest.raises(FieldProblem) as caught:
        HOLD.check_per_set([3, 700], 2)
    assert caught.value.message == HOLD.rule()


def test_every_input_is_declared_once_with_unique_names_and_sensible_bounds():
    for spec in (SCREENING, ASSESSMENT, SESSION, SESSION_ENTRY, CHECKIN):
        names = [f.name for f in spec]
        assert len(names) == len(set(names))
        for f in spec:
            assert f.label and f.kind in ("bool", "int", "number", "choice", "text")
            if f.kind in ("int", "number"):
                assert f.low is not None and (f.high is None or f.low < f.high)
            if f.kind == "choice":
                assert f.choices
    # the screening spec is the questions' own kinds and bounds, and never needs an answer
    # (an unanswered question is kept as "not answered", never read as "no")
    assert [(f.name, f.kind, f.low, f.high, f.choices) for f in SCREENING] == [
        (q.key, q.kind, q.min, q.max, q.choices) for q in QUESTIONS]
    assert not any(f.required for f in SCREENING)
