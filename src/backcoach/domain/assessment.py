"""Glute assessment (DESIGN.md §3): pain details, pattern questions and self-tests -> weakness profile.

Why this shape: the program starts where the person is. Weak gluteus maximus shows as a
short bridge hold, few single-leg bridges, or a bridge felt in the hamstrings or lower
back; weak gluteus medius shows as the opposite hip dropping in single-leg stance or a
short side-lying hold. Each finding becomes a severity with a plain-language reason,
and the severities choose the first exercise on each ladder.

Decisions taken here, on the cautious side:

* A muscle with no self-test result is "not tested": its severity is ``none`` (nothing
  was found) but the ladder starts at its first step, and a reason says so.
* A measured hip-drop angle overrides the yes/no answer for the same side.
* Results above a test's cap are counted as the cap (the test stops there); negative
  or non-numeric results are refused.
* High pain now, or pain spreading beyond the buttock, starts every ladder at its first step.
* The single-leg bridge and side-lying hold cut-offs have no published source: they are a
  clinical rule of thumb, labelled so for the clinician, and they only choose the starting
  level (one step up when no weakness shows); the person is never told a grade from them.
* A hip that hurts to lie on (``side_lying_pain``) is not graded (it is not a diagnosis):
  the program swaps the exercises done lying on the side (``avoid_lying_on_side``).

The numbers live in ``catalog/thresholds.yaml`` (``assessment`` section).
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, fields
from typing import Any, Literal, Mapping, NamedTuple

from .errors import InvalidAnswers
from .fields import FieldSpec, Kind, Spec, validate
from .thresholds import Cutoffs, Thresholds

__all__ = [
    "Side", "Severity", "AssessmentAnswers", "parse_assessment", "Thresholds", "WeaknessProfile",
    "AssessmentResult", "assess", "ASSESSMENT", "SELF_TESTS", "SelfTest", "self_tests", "self_test_cap",
]

Side = Literal["left", "right", "central", "both"]
Radiation = Literal["none", "buttock", "thigh", "below_knee"]
BridgeFelt = Literal["glutes", "hamstrings", "lower_back"]


class Severity(enum.IntEnum):
    NONE = 0
    MILD = 1
    MODERATE = 2
    SEVERE = 3

    @property
    def code(self) -> str:
        return self.name.lower()

    @classmethod
    def from_code(cls, code: str) -> "Severity":
        try:
            return cls[str(code).upper()]
        except KeyError:
            raise InvalidAnswers(f"Unknown severity {code!r}.") from None


@dataclass(frozen=True)
class AssessmentAnswers:
    pain_now: int
    pain_worst_24h: int
    side: Side
    radiation: Radiation
    onset_weeks: float
    one_sided_ache: bool | None = None
    side_lying_pain: bool | None = None
    worse_standing_walking: bool | None = None
    swayback: bool | None = None
    bridge_felt: BridgeFelt | None = None
    bridge_hold_s: float | None = None
    single_leg_bridge_reps_left: int | None = None
    single_leg_bridge_reps_right: int | None = None
    stance_hip_drop_left: bool | None = None
    stance_hip_drop_right: bool | None = None
    stance_drop_angle_left: float | None = None
    stance_drop_angle_right: float | None = None
    side_lying_hold_s_left: float | None = None
    side_lying_hold_s_right: float | None = None

    def to_dict(self) -> dict[str, Any]:
        return {f.name: getattr(self, f.name) for f in fields(self) if getattr(self, f.name) is not None}


def _side(name: str, kind: Kind, label: str, **limits: Any) -> tuple[FieldSpec, FieldSpec]:
    """The same self-test answer for the left and the right side ("{side}" in the label)."""
    return tuple(FieldSpec(f"{name}_{side}", kind, label.format(side=side), **limits)  # type: ignore[return-value]
                 for side in ("left", "right"))


ASSESSMENT: Spec = (
    FieldSpec("pain_now", "int", "Pain right now (0 = none, 10 = worst imaginable)", required=True, low=0, high=10),
    FieldSpec("pain_worst_24h", "int", "Pain at its worst in the last 24 hours (0 to 10)", required=True,
              low=0, high=10),
    FieldSpec("side", "choice", "Where is the pain?", required=True, choices=("left", "right", "central", "both")),
    FieldSpec("radiation", "choice", "How far does it spread?", required=True,
              choices=("none", "buttock", "thigh", "below_knee")),
    FieldSpec("onset_weeks", "number", "How many weeks ago did this episode start?", required=True, low=0,
              high=1040, unit="weeks"),
    FieldSpec("one_sided_ache", "bool", "Is it mostly a one-sided ache?"),
    FieldSpec("side_lying_pain", "bool", "Does your hip hurt when you lie on your side (for example at night)?"),
    FieldSpec("worse_standing_walking", "bool", "Is it worse when you stand or walk for a while?"),
    FieldSpec("swayback", "bool", "Have you or someone else noticed a strong arch in your lower back (swayback)?"),
    FieldSpec("bridge_felt", "choice", "When you do a bridge, where do you feel it most?",
              choices=("glutes", "hamstrings", "lower_back")),
    FieldSpec("bridge_hold_s", "number", "Bridge hold: seconds held", low=0, unit="seconds"),
    *_side("single_leg_bridge_reps", "int", "Single-leg bridges on the {side} leg", low=0, unit="repetitions"),
    *_side("stance_hip_drop", "bool", "Standing on the {side} leg, did the other hip drop?"),
    *_side("stance_drop_angle", "number", "Standing on the {side} leg, the other hip's drop (measured)",
           low=-45, high=45, unit="degrees"),
    *_side("side_lying_hold_s", "number", "Side-lying leg raise hold, {side} leg: seconds held", low=0,
           unit="seconds"),
)
"""The assessment's answers (the keys of the assessment JSON file) as declared input fields.
Self-test results have no upper bound here: above a test's cap they count as the cap."""


def parse_assessment(mapping: Mapping[str, object], thresholds: Thresholds) -> AssessmentAnswers:
    """Check and convert the answers (same keys as the assessment JSON file); never guesses.

    ``thresholds``: loaded from ``catalog/thresholds.yaml``; the self-test caps come from there."""
    t = thresholds.assessment
    if not isinstance(mapping, Mapping):
        raise InvalidAnswers("The assessment answers must be a set of keys with their answers.")
    values = validate(ASSESSMENT, mapping).raise_problems()
    for key, test in _CAPPED.items():
        if key in values:
            cap = getattr(t, test).cap
            values[key] = min(values[key], int(cap) if isinstance(values[key], int) else float(cap))
    return AssessmentAnswers(**values)  # type: ignore[arg-type]


@dataclass(frozen=True)
class WeaknessProfile:
    gluteus_maximus: Severity
    gluteus_medius_left: Severity
    gluteus_medius_right: Severity
    asymmetry: Literal["none", "left_weaker", "right_weaker"]
    overall: Severity
    reasons: tuple[str, ...]
    tested: tuple[str, ...] = ()
    """Which muscles had at least one self-test result ("gluteus_maximus", "gluteus_medius_left", ...)."""

    def to_dict(self) -> dict[str, Any]:
        return {
            "gluteus_maximus": self.gluteus_maximus.code,
            "gluteus_medius_left": self.gluteus_medius_left.code,
            "gluteus_medius_right": self.gluteus_medius_right.code,
            "asymmetry": self.asymmetry,
            "overall": self.overall.code,
            "reasons": list(self.reasons),
            "tested": list(self.tested),
        }


@dataclass(frozen=True)
class AssessmentResult:
    """``reasons`` are the clinician's words (muscle names, test names, grades); ``for_person``
    says the same in plain words for the person, without grades like "severe" or eponyms."""

    profile: WeaknessProfile
    starting_levels: dict[str, str]
    reasons: tuple[str, ...]
    for_person: tuple[str, ...] = ()
    avoid_lying_on_side: bool = False
    """The hip hurts to lie on: the program swaps the exercises done lying on the side."""

    def to_dict(self) -> dict[str, Any]:
        return {"profile": self.profile.to_dict(), "starting_levels": dict(self.starting_levels),
                "reasons": list(self.reasons), "for_person": list(self.for_person),
                "avoid_lying_on_side": self.avoid_lying_on_side}


class SelfTest(NamedTuple):
    """A guided self-test for the CLI and the web wizard; a plain (key, title, instructions) tuple."""

    key: str
    title: str
    instructions: str


SELF_TESTS: tuple[SelfTest, ...] = (
    SelfTest("bridge_hold_s", "Bridge hold",
             "Lie on your back, knees bent, feet flat. Lift your hips until shoulders, hips and knees are in a "
             "straight line and hold. Stop the clock when your hips drop, your back arches or it hurts more than "
             "a little; stop at {cap} seconds. Enter the seconds."),
    SelfTest("single_leg_bridge_reps", "Single-leg bridge",
             "Lie on your back with one knee bent and the other leg straight. Lift your hips to a straight line "
             "and lower, as many times as you can with good form (hips level, no arching), up to {cap}. Enter the "
             "number for each side."),
    SelfTest("single_leg_stance", "Standing on one leg",
             "Stand on one leg for 30 seconds, near a wall for safety, in front of a mirror or camera. Watch the "
             "hip of the lifted leg: does it drop? Enter yes or no for each leg you stood on, or let the camera "
             "measure the drop angle."),
    SelfTest("side_lying_hold_s", "Side-lying leg raise hold",
             "Lie on your side, bottom knee bent. Lift the straight top leg a little, slightly behind your body, "
             "toes forward, and hold. Stop when the leg drops, drifts forward or it hurts more than a little; "
             "stop at {cap} seconds. Enter the seconds for each side. Skip this test if your hip hurts when you "
             "lie on your side."),
)
"""Instructions with ``{cap}`` where the test stops; :func:`self_tests` fills in the caps from the thresholds."""


_CAPPED = {"bridge_hold_s": "bridge_hold_s", "single_leg_bridge_reps_left": "single_leg_bridge_reps",
           "single_leg_bridge_reps_right": "single_leg_bridge_reps", "side_lying_hold_s_left": "side_lying_hold_s",
           "side_lying_hold_s_right": "side_lying_hold_s"}


def self_test_cap(key: str, thresholds: Thresholds) -> float | None:
    """Where a self-test answer stops (``thresholds.yaml``, ``assessment.<test>.cap``); None if uncapped.

    ``key``: an answer key (``single_leg_bridge_reps_left``) or a test id (``single_leg_bridge_reps``)."""
    test = _CAPPED.get(key, key)
    cutoffs = getattr(thresholds.assessment, test, None)
    return cutoffs.cap if isinstance(cutoffs, Cutoffs) else None


def self_tests(thresholds: Thresholds) -> tuple[SelfTest, ...]:
    """The self-tests with their instructions, the caps filled in from the thresholds."""
    out = []
    for test in SELF_TESTS:
        cap = self_test_cap(test[0], thresholds)
        out.append(SelfTest(test[0], test[1], test[2].format(cap=f"{cap:g}") if cap is not None else test[2]))
    return tuple(out)


def _first_reached(value: float, steps: tuple[tuple[float, Severity], ...], below_all: Severity) -> Severity:
    """The grade of the first cut-off `value` reaches (cut-offs from the strictest down)."""
    return next((grade for cut, grade in steps if value >= cut), below_all)


def _grade(value: float, cutoffs: Cutoffs) -> Severity:
    """A self-test result (seconds held, repetitions): more is better."""
    return _first_reached(value, ((cutoffs.none, Severity.NONE), (cutoffs.mild, Severity.MILD),
                                  (cutoffs.moderate, Severity.MODERATE)), Severity.SEVERE)


def _drop_grade(angle: float, t: Any) -> Severity:
    """A hip drop in single-leg stance (degrees): more is worse."""
    return _first_reached(angle, ((t.hip_drop_severe_deg, Severity.SEVERE), (t.hip_drop_moderate_deg, Severity.MODERATE),
                                  (t.hip_drop_mild_deg, Severity.MILD)), Severity.NONE)


def assess(answers: AssessmentAnswers, thresholds: Thresholds) -> AssessmentResult:
    """Weakness profile and starting levels, each with its reasons (``thresholds`` from the YAML)."""
    t = thresholds.assessment
    a = answers
    reasons: list[str] = []
    tested: list[str] = []

    # Gluteus maximus: bridge hold, single-leg bridges, where the bridge is felt, swayback.
    gmax = Severity.NONE
    if a.bridge_hold_s is not None:
        tested.append("gluteus_maximus")
        grade = _grade(a.bridge_hold_s, t.bridge_hold_s)
        gmax = max(gmax, grade)
        reasons.append(f"Bridge hold {a.bridge_hold_s:g} s (no weakness from {t.bridge_hold_s.none:g} s): "
                       f"gluteus maximus {grade.code}.")
    slb = [(side, reps) for side, reps in (("left", a.single_leg_bridge_reps_left),
                                           ("right", a.single_leg_bridge_reps_right)) if reps is not None]
    if slb:
        if "gluteus_maximus" not in tested:
            tested.append("gluteus_maximus")
        side, reps = min(slb, key=lambda item: item[1])
        grade = _grade(reps, t.single_leg_bridge_reps)
        gmax = max(gmax, grade)
        reasons.append(f"Single-leg bridges: {reps} on the {side} (no weakness from "
                       f"{t.single_leg_bridge_reps.none:g}; {RULE_OF_THUMB}): gluteus maximus {grade.code}.")
    if a.bridge_felt in ("hamstrings", "lower_back"):
        gmax = max(gmax, Severity.MILD)
        where = "the back of the thighs" if a.bridge_felt == "hamstrings" else "the lower back"
        reasons.append(f"You feel the bridge in {where} rather than the buttocks: other muscles are doing the "
                       "glutes' work (gluteus maximus at least mild).")
    if a.swayback:
        gmax = max(gmax, Severity.MILD)
        reasons.append("A noticeable swayback often goes with weak gluteus maximus (at least mild).")

    # Gluteus medius per side: opposite hip drop in stance, side-lying hold, pattern questions.
    gmed: dict[str, Severity] = {}
    for side in ("left", "right"):
        severity = Severity.NONE
        angle = getattr(a, f"stance_drop_angle_{side}")
        dropped = getattr(a, f"stance_hip_drop_{side}")
        hold = getattr(a, f"side_lying_hold_s_{side}")
        if angle is not None:
            grade = _drop_grade(angle, t)
            severity = max(severity, grade)
            reasons.append(f"Standing on the {side} leg the other hip dropped {angle:g}° (measured): gluteus "
                           f"medius {side} {grade.code}.")
        elif dropped is not None:
            # Seen by the person themselves: a possible sign, not a measurement (graded mild at most).
            grade = Severity.MILD if dropped else Severity.NONE
            severity = max(severity, grade)
            if dropped:
                reasons.append(f"Standing on the {side} leg the other hip dropped, as the person saw it (possible "
                               f"Trendelenburg sign, not measured): gluteus medius {side} mild.")
            else:
                reasons.append(f"Standing on the {side} leg the hips stayed level.")
        if hold is not None:
            grade = _grade(hold, t.side_lying_hold_s)
            severity = max(severity, grade)
            reasons.append(f"Side-lying leg raise hold on the {side}: {hold:g} s (no weakness from "
                           f"{t.side_lying_hold_s.none:g} s; {RULE_OF_THUMB}): gluteus medius {side} {grade.code}.")
        if angle is not None or dropped is not None or hold is not None:
            tested.append(f"gluteus_medius_{side}")
        gmed[side] = severity

    if a.one_sided_ache and a.side in ("left", "right"):
        gmed[a.side] = max(gmed[a.side], Severity.MILD)
        reasons.append(f"A one-sided ache on the {a.side} often goes with a weak gluteus medius on that side "
                       "(at least mild).")
    if a.side_lying_pain:
        reasons.append("Pain lying on the side (lateral hip pain; consider gluteal tendinopathy, Grimaldi 2015): "
                       "side-lying exercises are swapped for supine or standing abduction; not graded.")
    if a.worse_standing_walking:
        reasons.append("Pain worse with standing and walking: not used to grade gluteus medius (it points at "
                       "least as much to lumbar spinal stenosis); worth a clinician's look with leg symptoms.")

    asymmetry = _asymmetry(a, gmed, t.asymmetry_ratio, reasons)
    overall = max(gmax, gmed["left"], gmed["right"])
    for muscle in ("gluteus_maximus", "gluteus_medius_left", "gluteus_medius_right"):
        if muscle not in tested:
            reasons.append(f"No self-test result for {muscle.replace('_', ' ')}; its ladder starts at the "
                           "first step.")
    profile = WeaknessProfile(
        gluteus_maximus=gmax, gluteus_medius_left=gmed["left"], gluteus_medius_right=gmed["right"],
        asymmetry=asymmetry, overall=overall, reasons=tuple(reasons), tested=tuple(tested),
    )
    starting_levels, start_reasons = _starting_levels(a, profile, t)
    return AssessmentResult(profile=profile, starting_levels=starting_levels,
                            reasons=tuple(reasons) + tuple(start_reasons),
                            for_person=tuple(_for_person(a, profile, starting_levels)),
                            avoid_lying_on_side=bool(a.side_lying_pain))


RULE_OF_THUMB = "clinical rule of thumb, no published cut-off; sets the starting level only"
"""How the clinician's text labels a cut-off without a published source (thresholds.yaml)."""


PLAIN_STRENGTH = {
    Severity.NONE: "the tests showed no weakness",
    Severity.MILD: "a little room to get stronger",
    Severity.MODERATE: "clear room to get stronger",
    Severity.SEVERE: "plenty of room to get stronger, so its exercises start gently",
}
PLAIN_MUSCLE = {
    "gluteus_maximus": "Your main buttock muscle (it straightens the hip when you stand up or climb stairs)",
    "gluteus_medius_left": "The muscle at the side of your left hip (it keeps your pelvis level on the left leg)",
    "gluteus_medius_right": "The muscle at the side of your right hip (it keeps your pelvis level on the right leg)",
}


def _for_person(a: AssessmentAnswers, profile: WeaknessProfile, levels: Mapping[str, str]) -> list[str]:
    """The profile in plain, encouraging words: what each muscle showed and where the program starts."""
    out = []
    for muscle in ("gluteus_maximus", "gluteus_medius_left", "gluteus_medius_right"):
        if muscle in profile.tested:
            out.append(f"{PLAIN_MUSCLE[muscle]}: {PLAIN_STRENGTH[getattr(profile, muscle)]}.")
        else:
            out.append(f"{PLAIN_MUSCLE[muscle]}: not tested, so its exercises start at the first step.")
    if a.bridge_felt in ("hamstrings", "lower_back"):
        where = "the back of your thighs" if a.bridge_felt == "hamstrings" else "your lower back"
        out.append(f"You feel the bridge in {where}: the first weeks teach your buttocks to take over the work.")
    if profile.asymmetry != "none":
        side = "left" if profile.asymmetry == "left_weaker" else "right"
        out.append(f"Your {side} side is the weaker one. You work both sides; the {side} may tire first.")
    if a.side_lying_pain:
        out.append("You said your hip hurts when you lie on your side. The exercises done lying on the side are "
                   "swapped for ones done lying on your back or standing, so nothing presses on it. Lying on the "
                   "other side with a pillow between your knees may help at night.")
    if a.worse_standing_walking:
        out.append("You said standing and walking make the pain worse. Mention it to your clinician if it comes "
                   "with leg symptoms; the program does not change because of it.")
    if a.pain_now is not None and a.radiation is not None:
        gentle = all(levels[ladder] == steps[0] for ladder, steps in _ladders().items())
        out.append("Every exercise starts at its gentlest version, and steps up as you get stronger."
                   if gentle else "Some exercises start one step up, because the tests went well and your pain is "
                                  "low.")
    return out


def _ladders() -> Mapping[str, tuple[str, ...]]:
    from .catalog import LADDERS, PROGRAM_LADDERS

    return {ladder: LADDERS[ladder] for ladder in PROGRAM_LADDERS}


def _asymmetry(a: AssessmentAnswers, gmed: dict[str, Severity], ratio: float, reasons: list[str]) -> str:
    votes = 0  # > 0: left weaker
    pairs = (("single-leg bridges", a.single_leg_bridge_reps_left, a.single_leg_bridge_reps_right),
             ("side-lying hold", a.side_lying_hold_s_left, a.side_lying_hold_s_right))
    for name, left, right in pairs:
        if left is None or right is None or max(left, right) <= 0:
            continue
        if min(left, right) / max(left, right) < ratio:
            weaker = "left" if left < right else "right"
            votes += 1 if weaker == "left" else -1
            reasons.append(f"{name.capitalize()}: the {weaker} side reached less than {ratio:.0%} of the other "
                           "side.")
    if gmed["left"] != gmed["right"]:
        votes += 1 if gmed["left"] > gmed["right"] else -1
    if votes > 0:
        reasons.append("Overall the left side is weaker.")
        return "left_weaker"
    if votes < 0:
        reasons.append("Overall the right side is weaker.")
        return "right_weaker"
    return "none"


def _starting_levels(a: AssessmentAnswers, profile: WeaknessProfile, t: Any) -> tuple[dict[str, str], list[str]]:
    from .catalog import LADDERS, PROGRAM_LADDERS

    levels = {ladder: LADDERS[ladder][0] for ladder in PROGRAM_LADDERS}
    reasons: list[str] = []
    if a.pain_now >= t.high_pain_nprs:
        reasons.append(f"Pain now is {a.pain_now}/10: every exercise starts at its gentlest version.")
        return levels, reasons
    if a.radiation in ("thigh", "below_knee"):
        reasons.append("Pain spreads into the leg: every exercise starts at its gentlest version.")
        return levels, reasons
    low_pain = a.pain_now <= t.advanced_start_max_pain_now and a.pain_worst_24h <= t.advanced_start_max_pain_worst
    tested = set(profile.tested)
    if low_pain and "gluteus_maximus" in tested and profile.gluteus_maximus is Severity.NONE:
        levels["hip_extension"] = LADDERS["hip_extension"][1]
        reasons.append("No gluteus maximus weakness found and pain is low: the bridge starts with a band.")
    if (low_pain and {"gluteus_medius_left", "gluteus_medius_right"} <= tested
            and profile.gluteus_medius_left is Severity.NONE and profile.gluteus_medius_right is Severity.NONE):
        levels["hip_abduction"] = LADDERS["hip_abduction"][1]
        reasons.append("No gluteus medius weakness found and pain is low: the clamshell starts with a band.")
    if low_pain and len(tested) == 3 and profile.overall is Severity.NONE:
        levels["core_stability"] = LADDERS["core_stability"][1]
        reasons.append("No weakness found and pain is low: the core routine starts with the bird dog.")
    for ladder, exercise_id in levels.items():
        if exercise_id == LADDERS[ladder][0]:
            reasons.append(f"The {ladder.replace('_', ' ')} ladder starts at its first step "
                           f"({exercise_id.replace('_', ' ')}).")
    return levels, reasons
