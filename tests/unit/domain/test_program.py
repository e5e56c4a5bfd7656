"""The screening gate, building the program, phase advance, today's session."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, timedelta, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st

from backcoach.catalog import load_catalog, load_thresholds
from backcoach.domain.assessment import assess, parse_assessment
from backcoach.domain.errors import ProgramLocked
from backcoach.domain.program import (
    Prescription,
    Program,
    advance_program,
    apply_decisions,
    build_program,
    phase_for,
    require_program_allowed,
    screening_gate,
    todays_session,
)
from backcoach.domain.progression import Decision
from backcoach.domain.screening import Level

from .support import FAST

T = load_thresholds()

CATALOG = load_catalog()
NOW = datetime(2026, 11, 25, 9, 0, tzinfo=timezone.utc)
TODAY = NOW.date()
E, U, S, C = Level.EMERGENCY, Level.URGENT, Level.SEE_CLINICIAN, Level.CLEAR


def gate(level=C, screened=NOW - timedelta(days=1), clearance=None, symptoms=None):
    return screening_gate(level, screened, NOW, clearance, symptoms, T)


@pytest.mark.parametrize(
    ("kwargs", "allowed", "reminder"),
    [
        (dict(level=C), True, False),
        (dict(level=S), True, True),
        (dict(level=U), False, True),
        (dict(level=U, clearance=NOW - timedelta(hours=2)), True, True),
        (dict(level=U, clearance=NOW - timedelta(days=3)), False, True),  # clearance before the screening
        (dict(level=E), False, True),
        (dict(level=E, clearance=NOW - timedelta(hours=2)), False, True),  # emergency never opens
        (dict(level=C, screened=NOW - timedelta(days=7, minutes=1)), False, False),
        (dict(level=C, screened=NOW - timedelta(days=7)), True, False),
        (dict(level=C, symptoms=NOW - timedelta(hours=1)), False, False),
        (dict(level=C, symptoms=NOW - timedelta(days=2)), True, False),  # reported before the screening
        (dict(level=None), False, False),
        (dict(level=C, screened=None), False, False),
    ],
)
def test_screening_gate(kwargs, allowed, reminder) -> None:
    result = gate(**kwargs)
    assert result.allowed is allowed
    assert result.reasons
    assert (result.reminder is not None) is reminder
    if not allowed:
        with pytest.raises(ProgramLocked):
            require_program_allowed(result)
    else:
        require_program_allowed(result)
    assert result.to_dict()["allowed"] is allowed


def assessment(**answers):
    base = {"pain_now": 3, "pain_worst_24h": 4, "side": "left", "radiation": "none", "onset_weeks": 2}
    return assess(parse_assessment({**base, **answers}, T), T)


STRONG = dict(bridge_hold_s=180, single_leg_bridge_reps_left=25, single_leg_bridge_reps_right=25,
              stance_hip_drop_left=False, stance_hip_drop_right=False, side_lying_hold_s_left=60,
              side_lying_hold_s_right=60)


def test_build_program_starts_in_activation_at_the_bottom_of_the_range() -> None:
    program = build_program(assessment(), CATALOG, gate(S), TODAY)
    assert program.phase == "activation"
    assert program.days_per_week == 5
    assert program.started_on == TODAY
    # the side-lying leg raise works the side glutes much harder than the clamshell (Distefano 2009): strengthening
    assert [p.exercise_id for p in program.prescriptions] == ["glute_bridge", "clamshell"]
    for p in program.prescriptions:
        assert (p.sets, p.reps, p.hold_s) == (2, 8, 2)
    assert program.starting_levels["core_stability"] == "dead_bug"
    assert any("review" in r for r in program.reasons)  # the see-clinician reminder
    assert Program.from_dict(program.to_dict()) == program


def test_build_program_from_advanced_starting_levels() -> None:
    program = build_program(assessment(**STRONG), CATALOG, gate(C), TODAY)
    ids = [p.exercise_id for p in program.prescriptions]
    assert ids == ["banded_glute_bridge", "banded_clamshell"]
    assert program.prescription_for("banded_clamshell").band == "light"


@pytest.mark.parametrize("level", [U, E])
def test_build_program_refuses_a_closed_gate(level) -> None:
    with pytest.raises(ProgramLocked):
        build_program(assessment(), CATALOG, gate(level), TODAY)


class D:
    def __init__(self, action: str) -> None:
        self.action = action


@pytest.mark.parametrize(
    ("phase", "weeks", "actions", "expected"),
    [
        ("activation", 1.0, ["progress"] * 5, "activation"),  # too early
        ("activation", 2.0, ["progress", "hold"], "strengthening"),
        ("activation", 3.0, ["progress", "hold", "regress"], "activation"),  # a recent step back
        ("activation", 3.0, ["hold", "hold"], "activation"),  # no progress yet
        ("activation", 3.0, [], "activation"),
        ("activation", 3.0, ["regress", "progress", "hold", "hold"], "strengthening"),  # the step back is old
        ("strengthening", 5.0, ["progress"] * 3, "strengthening"),
        ("strengthening", 6.0, ["progress"] * 3, "integration"),
        ("integration", 20.0, ["regress"], "integration"),
    ],
)
def test_phase_for(phase, weeks, actions, expected) -> None:
    program = Program(phase=phase, prescriptions=(), days_per_week=5, started_on=TODAY, reasons=())
    new_phase, reasons = phase_for(program, weeks, [D(a) for a in actions], T)
    assert new_phase == expected
    assert reasons


def test_phase_for_accepts_decision_dicts() -> None:
    program = Program(phase="activation", prescriptions=(), days_per_week=5, started_on=TODAY, reasons=())
    assert phase_for(program, 2.5, [{"action": "progress"}], T)[0] == "strengthening"


def test_advance_to_strengthening_then_integration() -> None:
    program = build_program(assessment(), CATALOG, gate(C), TODAY)
    strengthening = advance_program(program, CATALOG, "strengthening", TODAY + timedelta(weeks=2))
    assert strengthening.phase == "strengthening" and strengthening.days_per_week == 3
    assert [replace(p, phase=None) for p in strengthening.prescriptions[:-1]] == \
        [replace(p, phase=None) for p in program.prescriptions]
    # the functional ladder joins at its first step, at the bottom of the strength dose
    functional = strengthening.prescriptions[-1]
    assert (functional.exercise_id, functional.sets, functional.reps) == ("sit_to_stand", 2, 8)
    assert any("cannot check" in r for r in strengthening.reasons)
    assert {p.phase for p in strengthening.prescriptions} == {"strengthening"}
    integration = advance_program(strengthening, CATALOG, "integration", TODAY + timedelta(weeks=6))
    assert integration.days_per_week == 3
    assert [p.exercise_id for p in integration.prescriptions][-2:] == ["sit_to_stand", "dead_bug"]
    assert integration.phase_started_on == TODAY + timedelta(weeks=6)
    assert advance_program(integration, CATALOG, "integration", TODAY) is integration


def test_apply_decisions_merges_tracks_that_meet_on_a_ladder() -> None:
    built = build_program(assessment(), CATALOG, gate(C), TODAY)
    program = replace(built, prescriptions=built.prescriptions + (Prescription("side_lying_leg_raise", 2, 8, 1, None,
                                                                                 True),))
    clam = program.prescription_for("clamshell")
    moved = Prescription("banded_clamshell", 2, 8, 1, "light", True)
    program = apply_decisions(program, [Decision("clamshell", "progress", clam, moved, ("x",))], CATALOG)
    assert [p.exercise_id for p in program.prescriptions] == ["glute_bridge", "banded_clamshell",
                                                              "side_lying_leg_raise"]
    onto = Prescription("side_lying_leg_raise", 2, 8, 1, None, True)
    raise_rx = program.prescription_for("side_lying_leg_raise")
    both = [Decision("banded_clamshell", "progress", moved, onto, ("x",)),
            Decision("side_lying_leg_raise", "hold", raise_rx, raise_rx, ("x",))]
    program = apply_decisions(program, both, CATALOG)
    assert program.prescriptions[1:] == (raise_rx,)  # the one already there stays


def test_todays_session() -> None:
    program = build_program(assessment(), CATALOG, gate(C), TODAY)
    assert todays_session(program, CATALOG, TODAY, 0) == program.prescriptions
    assert todays_session(program, CATALOG, TODAY, 5) == ()
    three = Program(phase="strengthening", prescriptions=program.prescriptions, days_per_week=3,
                    started_on=TODAY, reasons=())
    monday = date(2026, 11, 23)
    assert todays_session(three, CATALOG, monday + timedelta(days=1), 1, last_session_on=monday) == ()
    # strength days always have a rest day between, even when that leaves the week one session short
    sunday = monday + timedelta(days=6)
    assert todays_session(three, CATALOG, sunday, 2, last_session_on=sunday - timedelta(days=1)) == ()
    assert todays_session(three, CATALOG, sunday, 2, last_session_on=sunday - timedelta(days=2)) != ()
    assert todays_session(three, CATALOG, monday, 1, last_session_on=monday) != ()  # the day's session stays listed
    # activation work may be daily
    assert todays_session(program, CATALOG, monday + timedelta(days=1), 1, last_session_on=monday) != ()


def test_prescription_describe_and_round_trip() -> None:
    assert Prescription("glute_bridge", 2, 10, 3).describe() == "2 × 10 reps, 3 s squeeze at the top"
    banded = Prescription("banded_clamshell", 3, 12, 2, "medium", True)
    assert banded.describe() == "3 × 12 reps per side, 2 s squeeze at the top, medium band"
    assert Prescription("side_plank", 2, None, 20, None, True).describe() == "2 × 20 s hold per side"
    assert Prescription.from_dict(banded.to_dict()) == banded


def test_phase_does_not_move_on_while_progression_is_paused() -> None:
    program = Program(phase="activation", prescriptions=(), days_per_week=5, started_on=TODAY, reasons=())
    phase, reasons = phase_for(program, 3.0, [D("progress")], T, pause_progression=True)
    assert phase == "activation" and "paused" in reasons[0]


moments = st.one_of(st.none(), st.integers(-20 * 24, 2 * 24).map(lambda h: NOW + timedelta(hours=h)))


@FAST
@given(level=st.sampled_from([None, *Level]), screened=moments, clearance=moments, symptoms=moments)
def test_the_gate_never_opens_for_emergency_or_an_uncleared_urgent(level, screened, clearance, symptoms) -> None:
    result = screening_gate(level, screened, NOW, clearance, symptoms, T)
    assert result.reasons
    if result.allowed:
        assert level is not None and screened is not None and level is not Level.EMERGENCY
        assert NOW - screened <= timedelta(days=7)
        assert symptoms is None or symptoms <= screened
        if level is Level.URGENT:
            assert clearance is not None and clearance > screened
