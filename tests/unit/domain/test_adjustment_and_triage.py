"""A clinician's program change is checked against the program's rules, and the clinician's
list puts the most pressing person first with the reason (domain.adjustment, domain.triage)."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import pytest

from backcoach.catalog import load_catalog, load_thresholds
from backcoach.domain.adjustment import adjustment_warnings
from backcoach.domain.monitoring import Alert
from backcoach.domain.program import starting_prescription
from backcoach.domain.triage import ATTENTION_ORDER, LockSummary, NewSymptoms, clinician_attention, clinician_voice, tone_of


T = load_thresholds()


@pytest.fixture(scope="module")
def cat():
    return load_catalog()


def _start(cat, exercise_id, phase="activation"):
    return starting_prescription(cat.get(exercise_id), phase, T)


def _program(cat, *ids):
    return tuple(_start(cat, i) for i in ids)


ACTIVATION = ("glute_bridge", "clamshell", "side_lying_leg_raise")


def test_a_swap_within_the_rules_raises_no_warning(cat):
    program = _program(cat, *ACTIVATION)
    after = _start(cat, "banded_glute_bridge", "activation")
    assert adjustment_warnings(program, program[0], after, cat, "strengthening", T) == ()


def test_removing_the_only_exercise_for_a_muscle_group_is_a_warning(cat):
    program = _program(cat, "glute_bridge", "clamshell")
    after = _start(cat, "dead_bug", "activation")
    warnings = adjustment_warnings(program, program[1], after, cat, "activation", T)
    assert any("only exercise for gluteus medius" in w for w in warnings)


def test_jumping_up_a_ladder_or_ahead_of_the_phase_is_a_warning(cat):
    program = _program(cat, *ACTIVATION)
    after = _start(cat, "single_leg_glute_bridge", "activation")
    warnings = " ".join(adjustment_warnings(program, program[0], after, cat, "activation", T))
    assert "3 step(s) up its ladder" in warnings and "integration phase" in warnings


def test_a_second_exercise_on_the_same_ladder_is_a_warning(cat):
    program = _program(cat, "glute_bridge", "clamshell", "dead_bug")
    after = _start(cat, "banded_glute_bridge", "strengthening")
    warnings = adjustment_warnings(program, program[2], after, cat, "strengthening", T)
    assert any("second exercise on the hip extension ladder" in w for w in warnings)


def test_a_dose_above_the_range_is_a_warning(cat):
    program = _program(cat, *ACTIVATION)
    after = replace(program[0], sets=program[0].sets + 3)
    assert any("above what Glute bridge allows" in w for w in adjustment_warnings(program, program[0], after, cat,
                                                                                   "activation", T))


def _alert(code, message="m"):
    return Alert(code=code, severity=0, message=message)


def test_an_emergency_lock_outranks_everything_and_replaces_the_screen_alert(cat):
    lock = LockSummary(level="emergency", on=dt.date(2026, 11, 2), findings=("Numbness in the saddle area.",),
                       later_level="clear", later_on=dt.date(2026, 11, 2))
    att = clinician_attention(lock, None, ("paused",), [_alert("emergency"), _alert("no_recent_activity")])
    assert att.rank == 0 and att.top.code == "emergency" and att.top.tone == "bad"
    assert "Paused until a clinician has checked them" in att.top.message and "2026-11-02" in att.top.message
    assert "does not lift this" in att.top.message
    assert [i.code for i in att.items].count("emergency") == 1
    assert not att.nothing


def test_new_symptoms_come_before_worsening_and_carry_their_reason():
    news = NewSymptoms(on=dt.date(2026, 11, 3), nprs=6, note="new tingling in the left leg")
    att = clinician_attention(None, news, ("You reported new symptoms...",),
                              [_alert("worsening", "above your baseline"), _alert("low_adherence")])
    assert [i.code for i in att.items] == ["new_symptoms", "worsening", "low_adherence"]
    assert "pain 6/10" in att.top.message and "new tingling in the left leg" in att.top.message
    assert "their baseline" in att.items[1].message


def test_a_paused_program_is_an_item_with_its_reason_and_nothing_means_nothing():
    att = clinician_attention(None, None, ("The last screening was on 2026-11-01: please answer the screening "
                                           "questions again.",), [_alert("rescreen_due")])
    assert [i.code for i in att.items] == ["program_paused"]
    assert "they need to answer the safety questions again" in att.top.message
    assert clinician_attention(None, None, (), []).nothing


def test_order_and_tone_are_one_rule():
    assert ATTENTION_ORDER[:4] == ("emergency", "urgent", "new_symptoms", "worsening")
    assert ATTENTION_ORDER[-2:] == ("low_adherence", "no_recent_activity")
    assert tone_of("emergency") == "bad" and tone_of("six_week_rule") == "warn" and tone_of("low_adherence") == "info"
    assert clinician_voice("since your back pain began. We will remind you every week") == \
        "since their back pain began. We will remind them every week"
    assert clinician_voice("You feel the bridge in your lower back; tell you when you started.") == \
        "They feel the bridge in their lower back; tell them when they started."
