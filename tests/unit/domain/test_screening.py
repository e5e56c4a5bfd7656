"""Red-flag screening: table of every item alone and in combination, and the safety properties."""

from __future__ import annotations

import dataclasses

import itertools

import pytest
from hypothesis import given
from hypothesis import strategies as st

from backcoach.domain.errors import InvalidAnswers
from backcoach.domain.screening import (
    DISCLAIMER,
    QUESTIONS,
    QUESTIONS_BY_KEY,
    SERIOUS_KEYS,
    Level,
    ScreeningAnswers,
    parse_answers,
    screen,
)
from backcoach.catalog import load_thresholds
from backcoach.domain.thresholds import ScreeningThresholds, Thresholds

from .support import ALL_CLEAR, FAST

E, U, S, C = Level.EMERGENCY, Level.URGENT, Level.SEE_CLINICIAN, Level.CLEAR


def level_of(**changes: object) -> Level:
    return screen(parse_answers({**ALL_CLEAR, **changes})).level


def items_of(**changes: object) -> set[str]:
    return {r.item for r in screen(parse_answers({**ALL_CLEAR, **changes})).reasons}


def test_all_no_is_clear_with_a_reason() -> None:
    result = screen(parse_answers(ALL_CLEAR))
    assert result.level is C
    assert result.program_allowed
    assert result.reasons and result.reasons[0].level is C


SINGLE_ITEMS = [
    # emergency
    ({"bladder_change": True}, E, "bladder_change"),
    ({"bowel_control_loss": True}, E, "bowel_control_loss"),
    ({"saddle_numbness": True}, E, "saddle_numbness"),
    ({"new_sexual_dysfunction": True}, E, "new_sexual_dysfunction"),
    ({"leg_weakness": "worsening"}, E, "leg_weakness"),
    # urgent
    ({"radiation": "below_knee", "leg_numbness_or_tingling": True}, U, "radiation"),
    ({"radiation": "below_knee", "leg_weakness": "stable"}, U, "radiation"),
    ({"pain_now": 7, "relieved_by_rest": False}, U, "pain_now"),
    ({"pain_now": 8, "worse_at_night": True}, U, "pain_now"),
    ({"pain_worst_24h": 7, "relieved_by_rest": False}, U, "pain_worst_24h"),
    ({"pain_worst_24h": 9, "worse_at_night": True}, U, "pain_worst_24h"),
    ({"fever_or_chills": True}, U, "fever_or_chills"),
    ({"cancer_history": True}, U, "cancer_history"),
    ({"unexplained_weight_loss": True}, U, "unexplained_weight_loss"),
    ({"recent_trauma": "major"}, U, "recent_trauma"),
    ({"recent_trauma": "minor", "osteoporosis_or_steroids": True}, U, "recent_trauma"),
    ({"immunosuppressed_or_injects_drugs": True}, U, "immunosuppressed_or_injects_drugs"),
    ({"legs_affected": "both"}, U, "legs_affected"),
    # see a clinician
    ({"onset_weeks": 6.5}, S, "onset_weeks"),
    ({"radiation": "below_knee"}, S, "radiation"),
    ({"first_episode": True, "age": 51}, S, "first_episode"),
    ({"first_episode": True, "age": 19}, S, "first_episode"),
    ({"leg_numbness_or_tingling": True}, S, "leg_numbness_or_tingling"),
    ({"leg_weakness": "stable"}, S, "leg_weakness"),
    # not flags on their own
    ({"onset_weeks": 6}, C, None),
    ({"first_episode": True, "age": 50}, C, None),
    ({"first_episode": True, "age": 20}, C, None),
    ({"first_episode": False, "age": 70}, C, None),
    ({"pain_now": 6, "relieved_by_rest": False, "worse_at_night": True}, C, None),
    ({"pain_now": 9, "relieved_by_rest": True, "worse_at_night": False}, C, None),
    ({"recent_trauma": "minor"}, C, None),
    ({"osteoporosis_or_steroids": True}, C, None),
    ({"radiation": "thigh", "legs_affected": "one"}, C, None),
]


@pytest.mark.parametrize(("changes", "expected", "item"), SINGLE_ITEMS)
def test_each_item_alone(changes: dict[str, object], expected: Level, item: str | None) -> None:
    result = screen(parse_answers({**ALL_CLEAR, **changes}))
    assert result.level is expected
    if item is not None:
        assert any(r.item == item and r.level is expected for r in result.reasons)
    assert result.next_step
    assert result.program_allowed is (expected <= S)


EMERGENCY_ITEMS = [
    {"bladder_change": True},
    {"bowel_control_loss": True},
    {"saddle_numbness": True},
    {"new_sexual_dysfunction": True},
    {"leg_weakness": "worsening"},
]
URGENT_ITEMS = [changes for changes, level, _ in SINGLE_ITEMS if level is U]
SEE_ITEMS = [changes for changes, level, _ in SINGLE_ITEMS if level is S]


@pytest.mark.parametrize("emergency", EMERGENCY_ITEMS)
def test_both_legs_with_an_emergency_item_is_emergency(emergency: dict[str, object]) -> None:
    result = screen(parse_answers({**ALL_CLEAR, **emergency, "legs_affected": "both"}))
    assert result.level is E
    assert any(r.item == "legs_affected" and r.level is E for r in result.reasons)


def _combinable(a: dict[str, object], b: dict[str, object]) -> bool:
    return all(a[k] == b[k] for k in a.keys() & b.keys())


ALL_FLAGS = [(c, lvl) for c, lvl, item in SINGLE_ITEMS if item is not None]


@pytest.mark.parametrize(
    ("first", "second"),
    [(a, b) for (a, b) in itertools.combinations(ALL_FLAGS, 2) if _combinable(a[0], b[0])],
)
def test_any_two_flags_together_give_the_higher_level_and_both_reasons(first, second) -> None:
    (a, level_a), (b, level_b) = first, second
    result = screen(parse_answers({**ALL_CLEAR, **a, **b}))
    assert result.level >= max(level_a, level_b)
    alone_a = {r.item for r in screen(parse_answers({**ALL_CLEAR, **a})).reasons if r.level >= level_a}
    together = {r.item for r in result.reasons}
    assert alone_a <= together


def test_every_item_together_is_emergency_with_all_reasons() -> None:
    everything = {**ALL_CLEAR}
    for changes in URGENT_ITEMS + EMERGENCY_ITEMS:
        everything.update(changes)
    everything.update(recent_trauma="major", onset_weeks=10, first_episode=True, age=60)
    result = screen(parse_answers(everything))
    assert result.level is E
    assert not result.program_allowed
    items = {r.item for r in result.reasons}
    for key in ("bladder_change", "bowel_control_loss", "saddle_numbness", "new_sexual_dysfunction",
                "leg_weakness", "legs_affected", "radiation", "fever_or_chills", "cancer_history",
                "unexplained_weight_loss", "recent_trauma", "immunosuppressed_or_injects_drugs",
                "onset_weeks", "first_episode"):
        assert key in items
    levels = [r.level for r in result.reasons]
    assert levels == sorted(levels, reverse=True)


@pytest.mark.parametrize("key", SERIOUS_KEYS)
def test_each_unanswered_serious_item_is_never_clear(key: str) -> None:
    answers = {**ALL_CLEAR}
    del answers[key]
    result = screen(parse_answers(answers))
    assert result.level is S
    assert any(r.item == key and r.message.startswith("not answered") for r in result.reasons)


@pytest.mark.parametrize("key", ["age", "onset_weeks", "first_episode"])
def test_unanswered_non_serious_items_do_not_block_clear(key: str) -> None:
    answers = {**ALL_CLEAR}
    del answers[key]
    assert screen(parse_answers(answers)).level is C


def test_empty_answers_are_never_clear() -> None:
    result = screen(ScreeningAnswers())
    assert result.level is S
    assert len([r for r in result.reasons if r.message.startswith("not answered")]) == len(SERIOUS_KEYS)


# ---- properties ------------------------------------------------------------------------------


def _value_strategy(question) -> st.SearchStrategy:
    if question.kind == "bool":
        return st.booleans()
    if question.kind == "choice":
        return st.sampled_from(question.choices)
    if question.kind == "int":
        return st.integers(int(question.min), int(question.max))
    return st.floats(question.min, 60, allow_nan=False)


answers_strategy = st.fixed_dictionaries({q.key: _value_strategy(q) for q in QUESTIONS})
RANKED = [q for q in QUESTIONS if q.key != "age"]


def _worse_or_equal(question, value) -> st.SearchStrategy:
    if question.risk_order:
        return st.sampled_from(question.risk_order[question.risk_order.index(value):])
    if question.kind == "int":
        return st.integers(int(value), int(question.max))
    return st.floats(value, max(value, 60.0), allow_nan=False)


@FAST
@given(data=st.data(), answers=answers_strategy)
def test_a_more_concerning_answer_never_lowers_the_level(data, answers) -> None:
    before = screen(parse_answers(answers))
    worse = dict(answers)
    for question in data.draw(st.lists(st.sampled_from(RANKED), min_size=1, max_size=4, unique_by=lambda q: q.key)):
        worse[question.key] = data.draw(_worse_or_equal(question, answers[question.key]))
    after = screen(parse_answers(worse))
    assert after.level >= before.level


@FAST
@given(answers=answers_strategy, key=st.sampled_from([q.key for q in QUESTIONS if q.kind == "bool"]))
def test_adding_a_yes_never_lowers_the_level(answers, key) -> None:
    if QUESTIONS_BY_KEY[key].risk_order[-1] is not True:  # "relieved by rest": yes is the reassuring answer
        return
    no = screen(parse_answers({**answers, key: False})).level
    yes = screen(parse_answers({**answers, key: True})).level
    assert yes >= no


@FAST
@given(answers=answers_strategy, missing=st.sets(st.sampled_from(SERIOUS_KEYS), min_size=1))
def test_any_unanswered_serious_items_never_give_clear(answers, missing) -> None:
    result = screen(parse_answers({**answers, **{k: None for k in missing}}))
    assert result.level >= S
    assert not (result.level is C)
    reasons = {r.item for r in result.reasons if r.message.startswith("not answered")}
    assert reasons == set(missing)


@FAST
@given(answers=answers_strategy)
def test_every_result_has_reasons_and_the_level_is_their_maximum(answers) -> None:
    result = screen(parse_answers(answers))
    assert result.reasons
    assert result.level == max(r.level for r in result.reasons)
    if result.level is not C:
        assert all(r.level is not C for r in result.reasons)
        assert all(r.message and r.item for r in result.reasons)
    assert result.to_dict()["level"] == result.level.code


# ---- parsing, levels, wording ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("bladder_change", "yes"),
        ("bladder_change", 1),
        ("pain_now", 11),
        ("pain_now", -1),
        ("pain_now", True),
        ("pain_now", 3.5),
        ("pain_now", "7"),
        ("onset_weeks", float("nan")),
        ("onset_weeks", -1),
        ("radiation", "calf"),
        ("leg_weakness", True),
        ("unknown_key", True),
    ],
)
def test_parse_refuses_what_it_would_have_to_guess(key: str, value: object) -> None:
    with pytest.raises(InvalidAnswers) as info:
        parse_answers({**ALL_CLEAR, key: value})
    assert key in str(info.value)


def test_parse_round_trip_and_nulls() -> None:
    answers = parse_answers({**ALL_CLEAR, "pain_now": 4.0, "onset_weeks": 3, "cancer_history": None})
    assert answers.pain_now == 4 and isinstance(answers.pain_now, int)
    assert answers.onset_weeks == 3.0
    assert answers.cancer_history is None
    assert "cancer_history" not in answers.to_dict()
    assert parse_answers(answers.to_dict()) == answers


def test_level_codes() -> None:
    assert [lvl.code for lvl in Level] == ["clear", "see_clinician", "urgent", "emergency"]
    for lvl in Level:
        assert Level.from_code(lvl.code) is lvl
        assert lvl.value_name == lvl.code
    with pytest.raises(InvalidAnswers):
        Level.from_code("bad")


def test_questions_cover_every_answer_field_once() -> None:
    assert {q.key for q in QUESTIONS} == set(ScreeningAnswers.__dataclass_fields__)
    assert len(QUESTIONS) == len({q.key for q in QUESTIONS})
    for q in QUESTIONS:
        assert q.text.endswith("?") or q.text.endswith(".")
        if q.kind == "choice":
            assert set(q.risk_order) == set(q.choices)


def test_disclaimer_says_it_does_not_replace_a_clinician() -> None:
    assert "does not replace a clinician" in DISCLAIMER


def test_screening_cut_offs_come_from_thresholds() -> None:
    stricter = dataclasses.replace(load_thresholds(), screening=ScreeningThresholds(severe_pain_nprs=6, long_episode_weeks=4,
                                                        first_episode_age_over=45, first_episode_age_under=18))
    answers = parse_answers({**ALL_CLEAR, "pain_now": 6, "relieved_by_rest": False})
    assert screen(answers).level is C
    assert screen(answers, stricter).level is U
    assert screen(parse_answers({**ALL_CLEAR, "onset_weeks": 5}), stricter).level is S
    assert screen(parse_answers({**ALL_CLEAR, "first_episode": True, "age": 47}), stricter).level is S


def test_below_the_knee_with_numbness_unanswered_names_both() -> None:
    answers = {**ALL_CLEAR, "radiation": "below_knee"}
    del answers["leg_numbness_or_tingling"]
    result = screen(parse_answers(answers))
    assert result.level is S
    assert {"radiation", "leg_numbness_or_tingling"} <= {r.item for r in result.reasons}
