"""Red-flag screening, rules version 2 (DESIGN §2): a table of every rule line alone and in its
combinations, the issue's mis-triages as regression tests, and the safety properties."""

from __future__ import annotations

import itertools
from dataclasses import replace
from importlib import resources

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from backcoach.catalog import load_thresholds
from backcoach.domain.errors import InvalidAnswers, InvalidCatalog
from backcoach.domain.screening import (
    ALL_KEYS,
    DISCLAIMER,
    QUESTIONS,
    QUESTIONS_BY_KEY,
    RULE_VERSION,
    SERIOUS_KEYS,
    Level,
    ScreeningAnswers,
    parse_answers,
    questions,
    screen,
)
from backcoach.domain.thresholds import Thresholds

from .support import ALL_CLEAR, FAST

E, U, S, C = Level.EMERGENCY, Level.URGENT, Level.SEE_CLINICIAN, Level.CLEAR
T = load_thresholds()
NEW_KEYS = ("sudden_onset", "recent_infection_or_spinal_procedure", "walking_unsteady", "thoracic_pain",
            "morning_stiffness_over_30_min")


def result_of(**changes: object):
    return screen(parse_answers({**ALL_CLEAR, **changes}), T)


def test_all_no_is_clear_with_a_reason_and_the_rule_version() -> None:
    result = screen(parse_answers(ALL_CLEAR), T)
    assert result.level is C
    assert result.program_allowed
    assert result.reasons and result.reasons[0].level is C
    assert result.rule_version == RULE_VERSION == 2
    assert result.to_dict()["rule_version"] == 2


def test_the_five_new_keys_are_questions() -> None:
    assert set(NEW_KEYS) <= set(QUESTIONS_BY_KEY)
    assert {"sudden_onset", "recent_infection_or_spinal_procedure", "walking_unsteady"} <= set(SERIOUS_KEYS)


# ---- every rule line of DESIGN §2 v2, alone (everything else answered "no") -------------------
# (answers changed from all-clear, expected level, the item that carries the reason)

RULE_LINES = [
    # emergency
    ({"bladder_change": True}, E, "bladder_change"),
    ({"bowel_control_loss": True}, E, "bowel_control_loss"),
    ({"saddle_numbness": True}, E, "saddle_numbness"),
    ({"new_sexual_dysfunction": True}, E, "new_sexual_dysfunction"),
    ({"leg_weakness": "worsening"}, E, "leg_weakness"),
    ({"cancer_history": True, "leg_weakness": "stable"}, E, "cancer_history"),
    ({"cancer_history": True, "leg_numbness_or_tingling": True}, E, "cancer_history"),
    ({"fever_or_chills": True, "immunosuppressed_or_injects_drugs": True}, E, "fever_or_chills"),
    ({"fever_or_chills": True, "recent_infection_or_spinal_procedure": True}, E, "fever_or_chills"),
    ({"walking_unsteady": True, "legs_affected": "both"}, E, "walking_unsteady"),
    # urgent
    ({"radiation": "below_knee", "leg_numbness_or_tingling": True}, U, "radiation"),
    ({"radiation": "below_knee", "leg_weakness": "stable"}, U, "radiation"),
    ({"leg_weakness": "stable"}, U, "leg_weakness"),
    ({"radiation": "thigh", "leg_weakness": "stable"}, U, "leg_weakness"),
    ({"pain_now": 7, "relieved_by_rest": False}, U, "pain_now"),
    ({"pain_now": 8, "worse_at_night": True}, U, "pain_now"),
    ({"pain_worst_24h": 7, "relieved_by_rest": False}, U, "pain_worst_24h"),
    ({"pain_worst_24h": 9, "worse_at_night": True}, U, "pain_worst_24h"),
    ({"fever_or_chills": True}, U, "fever_or_chills"),
    ({"cancer_history": True}, U, "cancer_history"),
    ({"unexplained_weight_loss": True}, U, "unexplained_weight_loss"),
    ({"immunosuppressed_or_injects_drugs": True}, U, "immunosuppressed_or_injects_drugs"),
    ({"recent_infection_or_spinal_procedure": True}, U, "recent_infection_or_spinal_procedure"),
    ({"recent_trauma": "major"}, U, "recent_trauma"),
    ({"recent_trauma": "minor", "osteoporosis_or_steroids": True}, U, "recent_trauma"),
    ({"recent_trauma": "minor", "age": 70}, U, "recent_trauma"),
    ({"sudden_onset": True, "osteoporosis_or_steroids": True}, U, "sudden_onset"),
    ({"sudden_onset": True, "age": 70}, U, "sudden_onset"),
    ({"legs_affected": "both", "leg_numbness_or_tingling": True}, U, "legs_affected"),
    ({"legs_affected": "both", "leg_weakness": "stable"}, U, "legs_affected"),
    ({"legs_affected": "both", "radiation": "below_knee"}, U, "legs_affected"),
    ({"walking_unsteady": True}, U, "walking_unsteady"),
    # see a clinician
    ({"onset_weeks": 6.5}, S, "onset_weeks"),
    ({"radiation": "below_knee"}, S, "radiation"),
    ({"legs_affected": "both"}, S, "legs_affected"),
    ({"legs_affected": "both", "radiation": "thigh"}, S, "legs_affected"),
    ({"relieved_by_rest": False}, S, "relieved_by_rest"),
    ({"worse_at_night": True, "pain_now": 6, "pain_worst_24h": 6}, S, "worse_at_night"),
    ({"first_episode": True, "age": 51}, S, "first_episode"),
    ({"first_episode": True, "age": 19}, S, "first_episode"),
    ({"age": 15}, S, "age"),
    ({"thoracic_pain": True}, S, "thoracic_pain"),
    ({"morning_stiffness_over_30_min": True}, S, "morning_stiffness_over_30_min"),
    ({"leg_numbness_or_tingling": True}, S, "leg_numbness_or_tingling"),
]

# Each piece of a combination alone, and the edges of the numbers: not a flag (or a lower one).
NOT_FLAGS = [
    ({"onset_weeks": 6}, C),
    ({"first_episode": True, "age": 50}, C),
    ({"first_episode": True, "age": 20}, C),
    ({"first_episode": False, "age": 70}, C),
    ({"age": 16}, C),
    ({"age": 95}, C),
    ({"pain_now": 9, "relieved_by_rest": True, "worse_at_night": False}, C),
    ({"pain_now": 6, "pain_worst_24h": 6, "relieved_by_rest": False, "worse_at_night": True}, S),
    ({"recent_trauma": "minor"}, C),
    ({"recent_trauma": "minor", "age": 69}, C),
    ({"osteoporosis_or_steroids": True}, C),
    ({"sudden_onset": True}, C),
    ({"sudden_onset": True, "age": 69}, C),
    ({"radiation": "thigh", "legs_affected": "one"}, C),
    ({"radiation": "buttock", "legs_affected": "both"}, S),
    ({"walking_unsteady": True, "legs_affected": "one"}, U),
    ({"fever_or_chills": True, "cancer_history": True}, U),
    ({"cancer_history": True, "radiation": "below_knee"}, U),
    ({"cancer_history": True, "legs_affected": "both"}, U),
]


@pytest.mark.parametrize(("changes", "expected", "item"), RULE_LINES)
def test_each_rule_line_alone(changes: dict[str, object], expected: Level, item: str) -> None:
    result = result_of(**changes)
    assert result.level is expected
    assert any(r.item == item and r.level is expected for r in result.reasons)
    assert all(r.message for r in result.reasons)
    assert result.next_step
    assert result.program_allowed is (expected <= S)


@pytest.mark.parametrize(("changes", "expected"), NOT_FLAGS)
def test_pieces_of_combinations_and_edges(changes: dict[str, object], expected: Level) -> None:
    assert result_of(**changes).level is expected


def _combinable(a: dict[str, object], b: dict[str, object]) -> bool:
    return all(a[k] == b[k] for k in a.keys() & b.keys())


@pytest.mark.parametrize(
    ("first", "second"),
    [(a, b) for (a, b) in itertools.combinations([(c, lvl) for c, lvl, _ in RULE_LINES], 2) if _combinable(a[0], b[0])],
)
def test_any_two_rule_lines_together_give_at_least_the_higher_level_and_keep_the_reasons(first, second) -> None:
    """A "see a clinician" reason may merge into a higher one (pain below the knee plus numbness
    is one urgent reason); an urgent or emergency reason never disappears."""
    (a, level_a), (b, level_b) = first, second
    result = result_of(**{**a, **b})
    assert result.level >= max(level_a, level_b)
    same = {"pain_worst_24h": "pain_now"}  # severe pain is one reason, named after the score that is severe
    together = {same.get(r.item, r.item) for r in result.reasons}
    for alone in (result_of(**a), result_of(**b)):
        assert {same.get(r.item, r.item) for r in alone.reasons if r.level >= U} <= together


def test_one_reason_per_item_at_its_highest_level() -> None:
    result = result_of(cancer_history=True, leg_numbness_or_tingling=True, radiation="thigh")
    cancer = [r for r in result.reasons if r.item == "cancer_history"]
    assert [r.level for r in cancer] == [E]
    assert "spinal" in cancer[0].message


def test_every_item_together_is_emergency_with_all_reasons() -> None:
    everything = {**ALL_CLEAR}
    for changes, level, _ in RULE_LINES:
        if level >= U:
            everything.update(changes)
    everything.update(recent_trauma="major", onset_weeks=10, first_episode=True, age=72, thoracic_pain=True,
                      morning_stiffness_over_30_min=True, radiation="below_knee", leg_weakness="worsening")
    result = screen(parse_answers(everything), T)
    assert result.level is E
    assert not result.program_allowed
    items = {r.item for r in result.reasons}
    for key in ("bladder_change", "bowel_control_loss", "saddle_numbness", "new_sexual_dysfunction",
                "leg_weakness", "legs_affected", "radiation", "fever_or_chills", "cancer_history",
                "unexplained_weight_loss", "recent_trauma", "immunosuppressed_or_injects_drugs",
                "recent_infection_or_spinal_procedure", "sudden_onset", "walking_unsteady", "thoracic_pain",
                "morning_stiffness_over_30_min", "onset_weeks", "first_episode"):
        assert key in items
    levels = [r.level for r in result.reasons]
    assert levels == sorted(levels, reverse=True)


# ---- the mis-triages found against published red-flag guidance (issue 8) ----------------------

MIS_TRIAGES = [
    ("cancer history and tingling in one thigh: possible cord compression",
     {"cancer_history": True, "leg_numbness_or_tingling": True, "radiation": "thigh", "legs_affected": "one"}, E),
    ("immunosuppressed with chills: possible spinal infection",
     {"immunosuppressed_or_injects_drugs": True, "fever_or_chills": True}, E),
    ("injects drugs with a fever: possible spinal infection",
     {"immunosuppressed_or_injects_drugs": True, "fever_or_chills": True, "pain_now": 5}, E),
    ("age 81 after a minor fall: possible fracture", {"age": 81, "recent_trauma": "minor"}, U),
    ("age 72 tripped on a kerb: possible fracture", {"age": 72, "recent_trauma": "minor"}, U),
    ("constant 6/10 pain that rest does not ease and that wakes them",
     {"pain_now": 6, "pain_worst_24h": 6, "relieved_by_rest": False, "worse_at_night": True}, S),
    ("thigh pain with a knee that gives way",
     {"radiation": "thigh", "legs_affected": "one", "leg_weakness": "stable"}, U),
    ("age 13", {"age": 13}, S),
    ("both buttocks ache, nothing else", {"radiation": "buttock", "legs_affected": "both"}, S),
]


@pytest.mark.parametrize(("story", "changes", "expected"), MIS_TRIAGES, ids=[m[0] for m in MIS_TRIAGES])
def test_issue_8_mis_triages_now_give_the_right_level(story: str, changes: dict, expected: Level) -> None:
    assert result_of(**changes).level is expected, story


# ---- unanswered items -------------------------------------------------------------------------


@pytest.mark.parametrize("key", ALL_KEYS)
def test_each_unanswered_item_is_never_clear(key: str) -> None:
    answers = {**ALL_CLEAR}
    del answers[key]
    result = screen(parse_answers(answers), T)
    assert result.level is S
    assert any(r.item == key and r.message.startswith("not answered") for r in result.reasons)


def test_empty_answers_are_never_clear() -> None:
    result = screen(ScreeningAnswers(), T)
    assert result.level is S
    assert len([r for r in result.reasons if r.message.startswith("not answered")]) == len(ALL_KEYS)


def test_answers_without_the_new_keys_are_not_clear() -> None:
    v1_only = {k: v for k, v in ALL_CLEAR.items() if k not in NEW_KEYS}
    result = screen(parse_answers(v1_only), T)
    assert result.level is S
    assert {r.item for r in result.reasons} == set(NEW_KEYS)


def test_below_the_knee_with_numbness_unanswered_names_both() -> None:
    answers = {**ALL_CLEAR, "radiation": "below_knee"}
    del answers["leg_numbness_or_tingling"]
    result = screen(parse_answers(answers), T)
    assert result.level is S
    assert {"radiation", "leg_numbness_or_tingling"} <= {r.item for r in result.reasons}


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


def test_every_question_but_age_has_an_order_of_concern() -> None:
    for q in QUESTIONS:
        if q.kind in ("bool", "choice"):
            assert set(q.risk_order) == ({False, True} if q.kind == "bool" else set(q.choices)), q.key
    assert {q.key for q in RANKED} >= set(NEW_KEYS)


@FAST
@given(data=st.data(), answers=answers_strategy)
def test_a_more_concerning_answer_never_lowers_the_level(data, answers) -> None:
    before = screen(parse_answers(answers), T)
    worse = dict(answers)
    for question in data.draw(st.lists(st.sampled_from(RANKED), min_size=1, max_size=4, unique_by=lambda q: q.key)):
        worse[question.key] = data.draw(_worse_or_equal(question, answers[question.key]))
    after = screen(parse_answers(worse), T)
    assert after.level >= before.level


@FAST
@given(answers=answers_strategy, key=st.sampled_from([q.key for q in QUESTIONS if q.kind == "bool"]))
def test_adding_a_yes_never_lowers_the_level(answers, key) -> None:
    concerning, reassuring = QUESTIONS_BY_KEY[key].risk_order[-1], QUESTIONS_BY_KEY[key].risk_order[0]
    calm = screen(parse_answers({**answers, key: reassuring}), T).level
    worried = screen(parse_answers({**answers, key: concerning}), T).level
    assert worried >= calm


@FAST
@given(answers=answers_strategy, key=st.sampled_from(NEW_KEYS))
def test_yes_to_a_new_key_never_lowers_the_level_and_never_gives_clear(answers, key) -> None:
    no = screen(parse_answers({**answers, key: False}), T).level
    yes = screen(parse_answers({**answers, key: True}), T).level
    assert yes >= no
    assert yes >= S or key == "sudden_onset"


@FAST
@given(answers=answers_strategy, age=st.integers(0, 120))
def test_at_or_above_the_fracture_age_an_older_age_never_lowers_the_level(answers, age) -> None:
    older = max(age, T.screening.fracture_risk_age)
    young = screen(parse_answers({**answers, "age": older}), T).level
    assert screen(parse_answers({**answers, "age": min(120, older + 5)}), T).level >= young


@FAST
@given(answers=answers_strategy, missing=st.sets(st.sampled_from(ALL_KEYS), min_size=1))
def test_any_unanswered_items_never_give_clear(answers, missing) -> None:
    result = screen(parse_answers({**answers, **{k: None for k in missing}}), T)
    assert result.level >= S
    reasons = {r.item for r in result.reasons if r.message.startswith("not answered")}
    assert reasons == set(missing)


@FAST
@given(answers=answers_strategy, missing=st.sets(st.sampled_from(SERIOUS_KEYS), min_size=1))
def test_any_unanswered_serious_items_never_give_clear(answers, missing) -> None:
    assert screen(parse_answers({**answers, **{k: None for k in missing}}), T).level is not C


@FAST
@given(answers=answers_strategy)
def test_every_result_has_reasons_and_the_level_is_their_maximum(answers) -> None:
    result = screen(parse_answers(answers), T)
    assert result.reasons
    assert result.level == max(r.level for r in result.reasons)
    if result.level is not C:
        assert all(r.level is not C for r in result.reasons)
        assert all(r.message and r.item for r in result.reasons)
    assert result.to_dict()["level"] == result.level.code
    assert result.to_dict()["rule_version"] == RULE_VERSION


# ---- thresholds: one copy, in catalog/thresholds.yaml ----------------------------------------


def _shipped_yaml() -> dict:
    text = resources.files("backcoach.catalog").joinpath("thresholds.yaml").read_text(encoding="utf-8")
    return yaml.safe_load(text)


def _with_screening(**changes: object) -> Thresholds:
    data = _shipped_yaml()
    data["screening"].update(changes)
    return Thresholds.from_dict(data)


@pytest.mark.parametrize(
    ("change", "answers", "before", "after"),
    [
        ({"severe_pain_nprs": 6}, {"pain_now": 6, "relieved_by_rest": False}, S, U),
        ({"long_episode_weeks": 4}, {"onset_weeks": 5}, C, S),
        ({"first_episode_age_over": 45}, {"first_episode": True, "age": 47}, C, S),
        ({"first_episode_age_under": 25}, {"first_episode": True, "age": 22}, C, S),
        ({"fracture_risk_age": 65}, {"recent_trauma": "minor", "age": 66}, C, U),
        ({"fracture_risk_age": 65}, {"sudden_onset": True, "age": 66}, C, U),
        ({"adult_age": 18}, {"age": 17}, C, S),
    ],
)
def test_each_screening_number_comes_from_the_file(change, answers, before, after) -> None:
    answers = parse_answers({**ALL_CLEAR, **answers})
    assert screen(answers, T).level is before
    assert screen(answers, _with_screening(**change)).level is after


def test_question_time_frames_come_from_the_file() -> None:
    shown = {q.key: q.text for q in questions(T)}
    assert "30 minutes" in shown["morning_stiffness_over_30_min"]
    assert "last 2 weeks" in shown["bladder_change"] and "last 3 months" in shown["recent_infection_or_spinal_procedure"]
    changed = {q.key: q.text for q in questions(_with_screening(morning_stiffness_minutes=45, new_symptom_weeks=4,
                                                                 recent_months=6, long_term_steroid_months=2))}
    assert "45 minutes" in changed["morning_stiffness_over_30_min"]
    assert "last 4 weeks" in changed["walking_unsteady"]
    assert "last 6 months" in changed["unexplained_weight_loss"]
    assert "more than 2 months" in changed["osteoporosis_or_steroids"]
    assert all("{" not in q.text and "{" not in q.help for q in questions(T))


def test_the_screen_refuses_to_run_without_the_files_numbers() -> None:
    with pytest.raises(InvalidCatalog):
        screen(parse_answers(ALL_CLEAR), None)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        screen(parse_answers(ALL_CLEAR))  # type: ignore[call-arg]
    data = _shipped_yaml()
    del data["screening"]
    with pytest.raises(InvalidCatalog, match="screening"):
        Thresholds.from_dict(data)
    data = _shipped_yaml()
    del data["screening"]["fracture_risk_age"]
    with pytest.raises(InvalidCatalog, match="fracture_risk_age"):
        Thresholds.from_dict(data)


def test_the_shipped_file_has_every_screening_number() -> None:
    assert T.screening is not None
    assert replace(T.screening) == T.screening


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


