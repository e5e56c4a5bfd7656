"""The program (DESIGN.md §4): phases and per-exercise prescriptions, gated by screening.

Why: form before resistance, always. The program starts in the activation phase with the
gentlest useful dose, moves on by criteria (not only by the calendar), and nothing
produces or continues a program without a current screening: :func:`screening_gate` is
the single gate every path goes through.

Phases:

* activation: the starting exercise on the hip-extension and hip-abduction ladders plus
  the side-lying leg raise (DESIGN.md §4: bridge, clamshell, side-lying leg raise),
  4-6 days a week, 2 sets of 8-12 with a 2-3 s squeeze;
* strengthening: progress along the ladders at strength intensity (effort 7-8 of 10 at
  the end of a set), 3 days a week with a rest day between, 2-3 sets of 8-12; the
  functional ladder (sit to stand -> split squat -> step-up -> single-leg hip hinge) joins;
* integration: the ladders continue up to single-leg work, and the core-stability
  routine is added at the assessment's starting level.

A person whose hip hurts lying on it (the assessment asks) gets the exercises done lying on
the side swapped for their catalog ``sore_hip_swap`` (lying on the back, or standing).

Each phase caps the dose range of the exercises (``thresholds.yaml``, ``phases``); an
exercise of a later phase is not reached by progression until that phase starts.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any, Literal, Mapping, Sequence

from .catalog import BANDS, PHASES, Catalog, DoseRange, Exercise
from .errors import InvalidAnswers, ProgramLocked
from .screening import NEXT_STEPS, Level
from .thresholds import Thresholds

if TYPE_CHECKING:  # pragma: no cover
    from .assessment import AssessmentResult

Phase = Literal["activation", "strengthening", "integration"]

__all__ = [
    "Phase", "Prescription", "Program", "ScreeningGate", "screening_gate", "require_program_allowed",
    "build_program", "phase_for", "advance_program", "todays_session", "dose_range_for",
    "starting_prescription", "clamp_to_range", "apply_decisions", "resting", "rest_days_between",
    "effort_target", "effort_text",
]


@dataclass(frozen=True)
class Prescription:
    """What to do for one exercise: sets of reps with a squeeze at the top, or sets of a timed hold."""

    exercise_id: str
    sets: int
    reps: int | None
    hold_s: int
    band: Literal["light", "medium", "heavy"] | None = None
    per_side: bool = False
    phase: str | None = None
    """The phase whose dose caps apply when progressing (set by the program; None = the exercise's range)."""
    rest_until: date | None = None
    """After a step back at the gentlest step: the exercise rests up to and including this day."""

    def resting_on(self, day: date) -> bool:
        return self.rest_until is not None and day <= self.rest_until

    def describe(self) -> str:
        side = " per side" if self.per_side else ""
        if self.reps is None:
            text = f"{self.sets} × {self.hold_s} s hold{side}"
        else:
            text = f"{self.sets} × {self.reps} reps{side}, {self.hold_s} s squeeze at the top"
        if self.band:
            text += f", {self.band} band"
        return text

    def to_dict(self) -> dict[str, Any]:
        out = {"exercise_id": self.exercise_id, "sets": self.sets, "reps": self.reps, "hold_s": self.hold_s,
               "band": self.band, "per_side": self.per_side, "phase": self.phase}
        if self.rest_until is not None:
            out["rest_until"] = self.rest_until.isoformat()
        return out

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> "Prescription":
        try:
            band = data.get("band")
            if band is not None and band not in BANDS:
                raise ValueError(band)
            reps = data.get("reps")
            phase = data.get("phase")
            if phase is not None and phase not in PHASES:
                raise ValueError(f"phase {phase!r}")
            rest_until = data.get("rest_until")
            if rest_until is not None and not isinstance(rest_until, date):
                rest_until = date.fromisoformat(rest_until)
            return cls(exercise_id=str(data["exercise_id"]), sets=int(data["sets"]),
                       reps=None if reps is None else int(reps), hold_s=int(data["hold_s"]),
                       band=band, per_side=bool(data.get("per_side", False)), phase=phase,
                       rest_until=rest_until)
        except (KeyError, TypeError, ValueError) as error:
            raise InvalidAnswers(f"A prescription is incomplete or malformed ({error}).") from None


@dataclass(frozen=True)
class Program:
    phase: Phase
    prescriptions: tuple[Prescription, ...]
    days_per_week: int
    started_on: date
    reasons: tuple[str, ...]
    starting_levels: Mapping[str, str] = field(default_factory=dict)
    """Ladder id -> the assessment's starting exercise (the functional ladder joins at
    strengthening, the core routine at integration)."""
    phase_started_on: date | None = None
    avoid_lying_on_side: bool = False
    """The person's hip hurts lying on it: no exercise done lying on the side."""

    def prescription_for(self, exercise_id: str) -> Prescription | None:
        return next((p for p in self.prescriptions if p.exercise_id == exercise_id), None)

    def to_dict(self) -> dict[str, Any]:
        return {
            "phase": self.phase,
            "prescriptions": [p.to_dict() for p in self.prescriptions],
            "days_per_week": self.days_per_week,
            "started_on": self.started_on.isoformat(),
            "reasons": list(self.reasons),
            "starting_levels": dict(self.starting_levels),
            "phase_started_on": None if self.phase_started_on is None else self.phase_started_on.isoformat(),
            "avoid_lying_on_side": self.avoid_lying_on_side,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> "Program":
        try:
            phase = data["phase"]
            if phase not in PHASES:
                raise ValueError(f"unknown phase {phase!r}")
            started = data["started_on"]
            phase_started = data.get("phase_started_on")
            return cls(
                phase=phase,
                prescriptions=tuple(Prescription.from_dict(p) for p in data["prescriptions"]),
                days_per_week=int(data["days_per_week"]),
                started_on=started if isinstance(started, date) else date.fromisoformat(started),
                reasons=tuple(str(r) for r in data.get("reasons", ())),
                starting_levels=dict(data.get("starting_levels") or {}),
                phase_started_on=(None if phase_started is None else
                                  phase_started if isinstance(phase_started, date) else
                                  date.fromisoformat(phase_started)),
                avoid_lying_on_side=bool(data.get("avoid_lying_on_side", False)),
            )
        except (KeyError, TypeError, ValueError) as error:
            raise InvalidAnswers(f"The stored program is incomplete or malformed ({error}).") from None


# ---- the screening gate ---------------------------------------------------------------------


@dataclass(frozen=True)
class ScreeningGate:
    allowed: bool
    reasons: tuple[str, ...]
    reminder: str | None = None
    level: Level | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"allowed": self.allowed, "reasons": list(self.reasons), "reminder": self.reminder,
                "level": None if self.level is None else self.level.code}


def screening_gate(
    latest_level: Level | None,
    screened_at: datetime | None,
    now: datetime,
    clearance_at: datetime | None,
    new_symptoms_since: datetime | None,
    thresholds: Thresholds,
) -> ScreeningGate:
    """The single gate every path uses before producing or continuing a program.

    Emergency never opens; urgent opens only with a clinician's clearance recorded after
    that screening; a missing, week-old, or pre-new-symptom screening closes the gate.
    """
    max_age = timedelta(days=thresholds.monitoring.rescreen_days)
    if latest_level is None or screened_at is None:
        return ScreeningGate(False, ("No safety screening has been done yet: please answer the screening "
                                     "questions first.",))
    reasons: list[str] = []
    allowed = True
    reminder: str | None = None
    when = screened_at.date().isoformat()
    if latest_level is Level.EMERGENCY:
        allowed = False
        reasons.append(f"The screening on {when} found signs that need emergency care. The program is locked.")
        reminder = NEXT_STEPS[Level.EMERGENCY]
    elif latest_level is Level.URGENT:
        if clearance_at is not None and clearance_at > screened_at:
            reasons.append(f"The screening on {when} found signs that needed a doctor; a clinician's go-ahead was "
                           f"recorded on {clearance_at.date().isoformat()}.")
            reminder = "Keep following your clinician's advice, and stop if anything new or worse happens."
        else:
            allowed = False
            reasons.append(f"The screening on {when} found signs that need a doctor within 24 hours. The program "
                           "stays paused until a clinician who has checked you records their go-ahead.")
            reminder = NEXT_STEPS[Level.URGENT]
    elif latest_level is Level.SEE_CLINICIAN:
        reasons.append(f"The screening on {when} suggests a review with a doctor or physiotherapist; the gentle "
                       "program may continue with care.")
        reminder = NEXT_STEPS[Level.SEE_CLINICIAN]
    else:
        reasons.append(f"The screening on {when} found no warning sign.")
    if now - screened_at > max_age:
        allowed = False
        reasons.append(f"The last screening was on {when}, more than {max_age.days} days ago: please answer the "
                       "screening questions again.")
    if new_symptoms_since is not None and new_symptoms_since > screened_at:
        allowed = False
        reasons.append(f"You reported new symptoms on {new_symptoms_since.date().isoformat()}: please answer the "
                       "screening questions again before exercising.")
    return ScreeningGate(allowed=allowed, reasons=tuple(reasons), reminder=reminder, level=latest_level)


def require_program_allowed(gate: ScreeningGate) -> None:
    if not gate.allowed:
        raise ProgramLocked(" ".join(gate.reasons) or "The program is locked.")


# ---- doses ---------------------------------------------------------------------------------


def _intersect(low: int, high: int, cap_low: int, cap_high: int) -> tuple[int, int]:
    new_low, new_high = max(low, cap_low), min(high, cap_high)
    return (new_low, new_high) if new_low <= new_high else (low, high)


def dose_range_for(exercise: Exercise, phase: str | None, thresholds: Thresholds | None = None) -> DoseRange:
    """The exercise's own dose range, within the caps of the phase (when one is given)."""
    dose = exercise.dose
    if phase is None:
        return dose
    if thresholds is None:
        raise ValueError("Phase caps need the thresholds loaded from catalog/thresholds.yaml.")
    caps = getattr(thresholds.phases, phase)
    sets = _intersect(dose.sets_min, dose.sets_max, caps.sets_min, caps.sets_max)
    if dose.unit == "reps":
        reps = _intersect(dose.reps_min, dose.reps_max, caps.reps_min, caps.reps_max)  # type: ignore[arg-type]
        hold = _intersect(dose.hold_s_min, dose.hold_s_max, caps.squeeze_s_min, caps.squeeze_s_max)
        return replace(dose, sets_min=sets[0], sets_max=sets[1], reps_min=reps[0], reps_max=reps[1],
                       hold_s_min=hold[0], hold_s_max=hold[1])
    return replace(dose, sets_min=sets[0], sets_max=sets[1])


def starting_prescription(exercise: Exercise, phase: str | None = None,
                          thresholds: Thresholds | None = None) -> Prescription:
    """The bottom of the exercise's range for the phase, lightest band when banded."""
    dose = dose_range_for(exercise, phase, thresholds)
    return Prescription(exercise_id=exercise.id, sets=dose.sets_min,
                        reps=dose.reps_min if dose.unit == "reps" else None, hold_s=dose.hold_s_min,
                        band=BANDS[0] if exercise.banded else None, per_side=exercise.per_side, phase=phase)


def clamp_to_range(prescription: Prescription, exercise: Exercise, phase: str | None = None,
                   thresholds: Thresholds | None = None) -> Prescription:
    dose = dose_range_for(exercise, phase, thresholds)
    return replace(
        prescription,
        sets=min(max(prescription.sets, dose.sets_min), dose.sets_max),
        reps=None if dose.unit == "hold" else min(max(prescription.reps or dose.reps_min, dose.reps_min),
                                                  dose.reps_max),
        hold_s=min(max(prescription.hold_s, dose.hold_s_min), dose.hold_s_max),
        band=(prescription.band or BANDS[0]) if exercise.banded else None,
        per_side=exercise.per_side,
        phase=phase if phase is not None else prescription.phase,
    )


# ---- building and advancing ----------------------------------------------------------------

def _thresholds(catalog: Catalog, thresholds: Thresholds | None) -> Thresholds:
    """The thresholds passed in, else the ones the catalog was loaded with; never a code copy."""
    chosen = thresholds or catalog.thresholds
    if chosen is None:
        raise ValueError("No thresholds: pass the ones loaded from catalog/thresholds.yaml.")
    return chosen


_PHASE_TEXT = {
    "activation": "Activation phase: wake the glutes up without loading the back; feel the glutes, not the back. "
                  "Low effort, a squeeze at the top of each repetition.",
    "strengthening": "Strengthening phase: the exercises progress along their ladders as your sessions go well. "
                     "Strength days are three a week with a rest day between; each set should end feeling hard "
                     "(effort 7–8 of 10). Everyday movements such as standing up from a chair join the program.",
    "integration": "Integration phase: single-leg work and a core-stability routine join the program.",
}


def _joining(catalog: Catalog, program_levels: Mapping[str, str], ladder: str, avoid_lying_on_side: bool) -> Exercise:
    """The exercise a ladder starts with: the assessment's level (else its first step), swapped
    for its sore-hip variant when the person's hip hurts lying on it."""
    exercise = catalog.get(program_levels.get(ladder) or catalog.ladders[ladder][0])
    return catalog.sore_hip_variant(exercise.id) if avoid_lying_on_side else exercise


def _swap_reason(catalog: Catalog, original: str, used: Exercise) -> str | None:
    if original == used.id:
        return None
    return (f"{used.name} in place of {catalog.get(original).name}: your hip hurts when you lie on it, so nothing "
            "in your program presses on it.")


def build_program(assessment: "AssessmentResult", catalog: Catalog, gate: ScreeningGate, today: date,
                  thresholds: Thresholds | None = None) -> Program:
    """A new program in the activation phase, from the assessment's starting levels (bottom of the range)."""
    require_program_allowed(gate)
    t = _thresholds(catalog, thresholds)
    levels = dict(assessment.starting_levels)
    avoid = bool(getattr(assessment, "avoid_lying_on_side", False))
    phase: Phase = "activation"
    prescriptions: list[Prescription] = []
    reasons: list[str] = [_PHASE_TEXT[phase]]
    for ladder in ("hip_extension", "hip_abduction"):
        exercise = _joining(catalog, levels, ladder, avoid)
        prescriptions.append(starting_prescription(exercise, phase, t))
        reasons.append(f"{exercise.name}: the starting level for {ladder.replace('_', ' ')} from your assessment.")
        swapped = _swap_reason(catalog, levels.get(ladder) or catalog.ladders[ladder][0], exercise)
        if swapped:
            reasons.append(swapped)
    for exercise in catalog.by_phase(phase):
        if exercise.ladder not in levels or (avoid and exercise.lies_on_side):
            continue  # only the program's ladders (not the sore-hip alternatives), nothing on the side if it hurts
        start = catalog.get(levels.get(exercise.ladder) or catalog.ladders[exercise.ladder][0])
        if exercise.step > start.step and all(p.exercise_id != exercise.id for p in prescriptions):
            prescriptions.append(starting_prescription(exercise, phase, t))
            reasons.append(f"{exercise.name}: part of the activation routine.")
    if "functional" in levels:
        reasons.append(f"Everyday strength work ({catalog.get(levels['functional']).name}) joins in the "
                       "strengthening phase.")
    if "core_stability" in levels:
        reasons.append(f"The core-stability routine ({catalog.get(levels['core_stability']).name}) joins in the "
                       "integration phase.")
    if gate.reminder:
        reasons.append(gate.reminder)
    return Program(phase=phase, prescriptions=tuple(prescriptions), days_per_week=t.phases.activation.days_per_week,
                   started_on=today, reasons=tuple(reasons), starting_levels=levels, phase_started_on=today,
                   avoid_lying_on_side=avoid)


def phase_for(program: Program, weeks_since_start: float, recent_decisions: Sequence[Any],
              thresholds: Thresholds, pause_progression: bool = False,
              at_phase_top: bool = False) -> tuple[Phase, tuple[str, ...]]:
    """The phase the program should be in now: a minimum week and criteria (not only the calendar).

    ``recent_decisions`` are the latest progression decisions (oldest first; actions, or
    anything with an ``action``). To move on: at least ``min_progressions_to_advance`` progressions among
    them and no regression among the last ``recent_decisions_without_regress``.
    Phases never go back here; a flare-up is handled by regressing the exercises. While
    monitoring pauses progression (worsening pain) the phase does not move on either.
    ``at_phase_top``: every exercise is at the top of this phase's doses, which counts as
    the progress needed (otherwise someone who got there would hold, and stay, for ever).
    """
    p = thresholds.phases
    current: Phase = program.phase
    if current == "integration":
        return current, ("Integration is the last phase; the exercises keep progressing along their ladders.",)
    target: Phase = "strengthening" if current == "activation" else "integration"
    from_week = p.strengthening_from_week if target == "strengthening" else p.integration_from_week
    reasons: list[str] = []
    if weeks_since_start < from_week:
        reasons.append(f"Week {int(weeks_since_start) + 1} of the program: the {target} phase starts from week "
                       f"{from_week:g} at the earliest, when your sessions go well.")
        return current, tuple(reasons)
    actions = [d if isinstance(d, str) else getattr(d, "action", None)
               or (d.get("action") if isinstance(d, Mapping) else None) for d in recent_decisions]
    last = actions[-p.recent_decisions_without_regress:] if p.recent_decisions_without_regress else []
    progressions = sum(1 for a in actions if a == "progress")
    if pause_progression:
        reasons.append(f"Pain is worse than at the start: staying in the {current} phase while progression is "
                       "paused.")
        return current, tuple(reasons)
    if not actions:
        reasons.append(f"No sessions recorded recently: staying in the {current} phase until your sessions show "
                       "how it goes.")
        return current, tuple(reasons)
    if "regress" in last:
        reasons.append(f"An exercise was stepped back recently: staying in the {current} phase until sessions go "
                       "well again.")
        return current, tuple(reasons)
    if progressions < p.min_progressions_to_advance and not at_phase_top:
        reasons.append(f"Not enough progress yet ({progressions} of {p.min_progressions_to_advance} needed): "
                       f"staying in the {current} phase.")
        return current, tuple(reasons)
    if progressions < p.min_progressions_to_advance:
        reasons.append(f"Week {int(weeks_since_start) + 1}: every exercise is at the top of the {current} phase's "
                       f"doses with no recent step back: moving on to the {target} phase.")
    else:
        reasons.append(f"Week {int(weeks_since_start) + 1}, sessions going well ({progressions} progression(s), no "
                       f"recent step back): moving on to the {target} phase.")
    return target, tuple(reasons)


def advance_program(program: Program, catalog: Catalog, phase: Phase, today: date,
                    reasons: Sequence[str] = (), thresholds: Thresholds | None = None) -> Program:
    """The program in its new phase: the doses fitted to the phase, the functional ladder added
    from strengthening and the core routine at integration."""
    if phase == program.phase:
        return program
    t = _thresholds(catalog, thresholds)
    prescriptions = [clamp_to_range(p, catalog.get(p.exercise_id), phase, t) for p in program.prescriptions]
    new_reasons = list(reasons) + [_PHASE_TEXT[phase]]
    joins = (("functional", "starts the everyday strength work"),) if phase in ("strengthening", "integration") else ()
    if phase == "integration":
        joins += (("core_stability", "starts the core-stability routine"),)
    for ladder, what in joins:
        if any(catalog.get(p.exercise_id).ladder == ladder for p in prescriptions):
            continue
        exercise = _joining(catalog, program.starting_levels, ladder, program.avoid_lying_on_side)
        prescriptions.append(starting_prescription(exercise, phase, t))
        new_reasons.append(f"{exercise.name} {what}" + ("." if exercise.camera_checked else
                                                          " (the camera coach cannot check this one)."))
    days = getattr(t.phases, phase).days_per_week
    return replace(program, phase=phase, prescriptions=tuple(prescriptions), days_per_week=days,
                   reasons=tuple(new_reasons), phase_started_on=today)


def apply_decisions(program: Program, decisions: Sequence[Any], catalog: Catalog) -> Program:
    """The program after the decisions: each ``before`` replaced by its ``after``.

    When an exercise moves onto one that another prescription already covers (the
    clamshell ladder reaching the side-lying leg raise of the activation routine), the two
    merge and the prescription that was already there stays.
    """
    by_id = {d.exercise_id: d.after for d in decisions}
    updated = [by_id.get(p.exercise_id, p) for p in program.prescriptions]
    stayed = {p.exercise_id for original, p in zip(program.prescriptions, updated)
              if p.exercise_id == original.exercise_id}
    kept: list[Prescription] = []
    for original, p in zip(program.prescriptions, updated):
        moved = p.exercise_id != original.exercise_id
        if moved and p.exercise_id in stayed:
            continue
        if all(k.exercise_id != p.exercise_id for k in kept):
            kept.append(p)
    return replace(program, prescriptions=tuple(kept))


def todays_session(program: Program, catalog: Catalog, today: date, sessions_this_week: int,
                   last_session_on: date | None = None) -> tuple[Prescription, ...]:
    """Today's exercises, or an empty tuple on a rest day.

    A rest day is one where the week's planned sessions (``days_per_week``) are done, or one
    of the phase's ``rest_days_between`` after a session: strength days (strengthening,
    integration) always have a rest day between them, even if that leaves the week one
    session short (2-3 strength days a week; ACSM 2009). Activation work may be daily.
    """
    for p in program.prescriptions:
        catalog.get(p.exercise_id)
    remaining_sessions = program.days_per_week - sessions_this_week
    if remaining_sessions <= 0:
        return ()
    if last_session_on is not None and 1 <= (today - last_session_on).days <= rest_days_between(program, catalog):
        return ()
    return tuple(p for p in program.prescriptions if not p.resting_on(today))


def rest_days_between(program: Program, catalog: Catalog, thresholds: Thresholds | None = None) -> int:
    """Rest days wanted after a session in the program's phase (thresholds.yaml, ``phases``)."""
    return getattr(_thresholds(catalog, thresholds).phases, program.phase).rest_days_between


def effort_target(phase: str | None, thresholds: Thresholds) -> tuple[int, int] | None:
    """The effort (0-10) to aim for at the end of each set in this phase, or None without a phase."""
    if phase not in PHASES:
        return None
    dose = getattr(thresholds.phases, phase)
    return dose.effort_min, dose.effort_max


def effort_text(phase: str | None, thresholds: Thresholds) -> str | None:
    """The effort target in plain words, for the person."""
    target = effort_target(phase, thresholds)
    if target is None:
        return None
    low, high = target
    if high <= 5:
        return f"Effort {low}–{high} of 10: easy to moderate; feel the muscles working, without strain."
    return (f"Effort {low}–{high} of 10 at the end of each set: hard, with about {10 - high}–{10 - low} more "
            "repetitions left in you. Choose the band, step or chair height that gets you there.")


def resting(program: Program, today: date) -> tuple[Prescription, ...]:
    """The exercises resting today after a step back at the gentlest step (shown on Today, not done)."""
    return tuple(p for p in program.prescriptions if p.resting_on(today))
