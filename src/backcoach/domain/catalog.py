"""The exercise catalog as domain objects.

The exercises are data, not code: ``backcoach/catalog/exercises.yaml`` holds them and
``backcoach.catalog.load_catalog()`` reads it. This module only gives that data a shape
and refuses a file that would break a rule elsewhere (a ladder with a gap, a fault id
the motion checks do not know, a progression that skips a step), so that the rules can
trust it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, Literal, Mapping

from .errors import InvalidCatalog, UnknownExercise

if TYPE_CHECKING:  # pragma: no cover
    from .thresholds import Thresholds

LADDERS: Mapping[str, tuple[str, ...]] = MappingProxyType({
    "hip_extension": ("glute_bridge", "banded_glute_bridge", "marching_bridge", "single_leg_glute_bridge"),
    "hip_abduction": ("clamshell", "banded_clamshell", "side_lying_leg_raise", "banded_side_lying_leg_raise"),
    "core_stability": ("dead_bug", "bird_dog", "side_plank_knees", "side_plank"),
    "functional": ("sit_to_stand", "split_squat", "step_up", "single_leg_hip_hinge"),
    "hip_abduction_off_side": ("supine_banded_abduction", "standing_hip_abduction", "banded_standing_hip_abduction"),
})
"""The stable ladder ids and their order; the data file must define exactly these."""

PROGRAM_LADDERS: tuple[str, ...] = ("hip_extension", "hip_abduction", "core_stability", "functional")
"""The ladders a program is built from (the assessment gives each a starting level)."""

SORE_HIP_LADDERS: Mapping[str, str] = MappingProxyType({"hip_abduction": "hip_abduction_off_side"})
"""A ladder whose exercises lie on the side -> the ladder that works the same muscles without it
(for a person whose hip hurts lying on it; Grimaldi 2015)."""

CAMERA_CHECKS: tuple[str, ...] = ("form", "none")
"""``form``: the camera coach checks this exercise; ``none``: it cannot, and the app says so."""

BANDS: tuple[str, ...] = ("light", "medium", "heavy")
PHASES: tuple[str, ...] = ("activation", "strengthening", "integration")
CAMERA_VIEWS: tuple[str, ...] = ("side", "front", "above", "feet")

FAULT_IDS: frozenset[str] = frozenset({
    "incomplete_extension", "lumbar_hyperextension", "no_hold", "rushed", "feet_position", "pelvis_drop",
    "feet_apart", "pelvis_roll_back", "small_range",
    "hip_flexion", "toes_up", "trunk_roll", "excess_range",
    "hip_sag",
    "knee_inward", "trunk_lean",
})
"""Fault ids shared with the motion checks (DESIGN.md §6); the catalog may use no other. The last
two belong to standing exercises that have no camera check: they are shown as common mistakes only."""

SERIOUS_FAULTS: frozenset[str] = frozenset({"lumbar_hyperextension"})
"""Faults that load the lower back; they must be marked serious in the data."""

JOINTS: tuple[str, ...] = ("head", "shoulder", "elbow", "wrist", "hip", "knee", "ankle", "toe")
FAR_JOINTS: tuple[str, ...] = tuple(f"{j}_far" for j in JOINTS if j != "head")

Phase = Literal["activation", "strengthening", "integration"]


@dataclass(frozen=True)
class DoseRange:
    """The range a prescription moves in; ``hold_s`` is the top squeeze for reps, the whole hold for holds."""

    unit: Literal["reps", "hold"]
    sets_min: int
    sets_max: int
    reps_min: int | None
    reps_max: int | None
    hold_s_min: int
    hold_s_max: int

    def to_dict(self) -> dict[str, Any]:
        return {
            "unit": self.unit, "sets_min": self.sets_min, "sets_max": self.sets_max,
            "reps_min": self.reps_min, "reps_max": self.reps_max,
            "hold_s_min": self.hold_s_min, "hold_s_max": self.hold_s_max,
        }


@dataclass(frozen=True)
class Fault:
    id: str
    name: str
    why_it_matters: str
    fix: str
    serious: bool

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "name": self.name, "why_it_matters": self.why_it_matters, "fix": self.fix,
                "serious": self.serious}


@dataclass(frozen=True)
class Keyframe:
    """One pose of the looping stick-figure illustration.

    ``t`` is the moment in the cycle (0..1; after the last keyframe the figure returns to
    the first). ``joints`` are (x, y) in a 0..1 box, x to the right and y downward, as on
    a screen. A ``*_far`` joint is the limb further from the viewer. Every keyframe of an
    exercise has the same joints (so a renderer can interpolate); a far joint at the same
    place as its near joint is hidden behind it.
    """

    t: float
    joints: Mapping[str, tuple[float, float]]

    def __hash__(self) -> int:
        return hash((self.t, tuple(sorted(self.joints.items()))))

    def to_dict(self) -> dict[str, Any]:
        return {"t": self.t, "joints": {k: [x, y] for k, (x, y) in self.joints.items()}}


@dataclass(frozen=True)
class Exercise:
    id: str
    name: str
    ladder: str
    step: int
    phase: Phase
    targets: tuple[str, ...]
    position: str
    equipment: tuple[str, ...]
    per_side: bool
    banded: bool
    dose: DoseRange
    cues: tuple[str, ...]
    faults: tuple[Fault, ...]
    camera_views: tuple[str, ...]
    regression: str | None
    progression: str | None
    keyframes: tuple[Keyframe, ...]
    summary: str
    instructions: tuple[str, ...] = ()
    illustration_view: str = "side"
    camera_check: str = "form"
    """``form`` when the camera coach can check this exercise, ``none`` when it cannot (shown plainly)."""
    sources: tuple[str, ...] = ()
    lies_on_side: bool = False
    sore_hip_swap: str | None = None
    """For an exercise done lying on the side: the one done in its place when that hip hurts to lie on."""

    @property
    def camera_checked(self) -> bool:
        return self.camera_check != "none"

    @property
    def fault_ids(self) -> tuple[str, ...]:
        return tuple(f.id for f in self.faults)

    @property
    def serious_fault_ids(self) -> frozenset[str]:
        return frozenset(f.id for f in self.faults if f.serious)

    def fault(self, fault_id: str) -> Fault | None:
        return next((f for f in self.faults if f.id == fault_id), None)

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id, "name": self.name, "ladder": self.ladder, "step": self.step, "phase": self.phase,
            "targets": list(self.targets), "position": self.position, "equipment": list(self.equipment),
            "per_side": self.per_side, "banded": self.banded, "dose": self.dose.to_dict(),
            "cues": list(self.cues), "faults": [f.to_dict() for f in self.faults],
            "camera_views": list(self.camera_views), "regression": self.regression,
            "progression": self.progression, "keyframes": [k.to_dict() for k in self.keyframes],
            "summary": self.summary, "instructions": list(self.instructions),
            "illustration_view": self.illustration_view, "camera_check": self.camera_check,
            "sources": list(self.sources), "lies_on_side": self.lies_on_side, "sore_hip_swap": self.sore_hip_swap,
        }


@dataclass(frozen=True)
class Catalog:
    exercises: Mapping[str, Exercise]
    ladders: Mapping[str, tuple[str, ...]]
    thresholds: "Thresholds | None" = field(default=None, compare=False)
    bands: tuple[str, ...] = BANDS

    def __hash__(self) -> int:
        return hash(tuple(self.exercises))

    def get(self, exercise_id: str) -> Exercise:
        try:
            return self.exercises[exercise_id]
        except KeyError:
            valid = ", ".join(self.exercises)
            raise UnknownExercise(f"There is no exercise called {exercise_id!r}. Known exercises: {valid}.") from None

    def next_on_ladder(self, exercise_id: str) -> Exercise | None:
        exercise = self.get(exercise_id)
        return self.get(exercise.progression) if exercise.progression else None

    def previous_on_ladder(self, exercise_id: str) -> Exercise | None:
        exercise = self.get(exercise_id)
        return self.get(exercise.regression) if exercise.regression else None

    def ladder_of(self, exercise_id: str) -> tuple[str, ...]:
        return self.ladders[self.get(exercise_id).ladder]

    def sore_hip_variant(self, exercise_id: str) -> Exercise:
        """The exercise itself, or the one done in its place when a hip hurts to lie on."""
        exercise = self.get(exercise_id)
        return self.get(exercise.sore_hip_swap) if exercise.sore_hip_swap else exercise

    def by_phase(self, phase: str) -> tuple[Exercise, ...]:
        return tuple(e for e in self.exercises.values() if e.phase == phase)

    def to_dict(self) -> dict[str, Any]:
        return {"ladders": {k: list(v) for k, v in self.ladders.items()}, "bands": list(self.bands),
                "exercises": [e.to_dict() for e in self.exercises.values()]}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any], thresholds: "Thresholds | None" = None) -> "Catalog":
        """Build and validate; every problem is an :class:`InvalidCatalog` naming the entry."""
        if not isinstance(data, Mapping):
            raise InvalidCatalog("The catalog must be a mapping with 'ladders' and 'exercises'.")
        ladders_raw = data.get("ladders")
        if not isinstance(ladders_raw, Mapping):
            raise InvalidCatalog("The catalog has no 'ladders' mapping.")
        ladders = {str(k): tuple(str(i) for i in v) for k, v in ladders_raw.items()}
        if ladders != dict(LADDERS):
            raise InvalidCatalog(f"The ladders must be exactly {dict(LADDERS)} (ids are stable); got {ladders}.")
        bands = tuple(data.get("bands", BANDS))
        if bands != BANDS:
            raise InvalidCatalog(f"The bands must be {BANDS}; got {bands}.")
        items = data.get("exercises")
        if not isinstance(items, list):
            raise InvalidCatalog("The catalog has no 'exercises' list.")
        exercises: dict[str, Exercise] = {}
        for raw in items:
            exercise = _exercise(raw)
            if exercise.id in exercises:
                raise InvalidCatalog(f"The exercise id {exercise.id!r} appears twice.")
            exercises[exercise.id] = exercise
        _check_ladders(exercises, ladders)
        ordered = {i: exercises[i] for ladder in ladders.values() for i in ladder}
        return cls(exercises=MappingProxyType(ordered), ladders=MappingProxyType(ladders),
                   thresholds=thresholds, bands=bands)


def _need(raw: Mapping[str, Any], key: str, kind: type | tuple[type, ...], where: str) -> Any:
    if key not in raw:
        raise InvalidCatalog(f"{where}: missing {key!r}.")
    value = raw[key]
    if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
        raise InvalidCatalog(f"{where}: {key!r} has the wrong type ({value!r}).")
    return value


def _strings(raw: Mapping[str, Any], key: str, where: str, *, allow_empty: bool = False) -> tuple[str, ...]:
    value = _need(raw, key, list, where)
    if not all(isinstance(v, str) and v.strip() for v in value) or (not value and not allow_empty):
        raise InvalidCatalog(f"{where}: {key!r} must be a list of non-empty texts.")
    return tuple(value)


def _exercise(raw: Any) -> Exercise:
    if not isinstance(raw, Mapping):
        raise InvalidCatalog("Each exercise must be a mapping.")
    exercise_id = _need(raw, "id", str, "exercise")
    where = f"exercise {exercise_id!r}"
    known = {"id", "name", "ladder", "step", "phase", "targets", "position", "equipment", "per_side", "banded",
             "dose", "cues", "faults", "camera_views", "regression", "progression", "keyframes", "summary",
             "instructions", "illustration_view", "camera_check", "sources", "lies_on_side", "sore_hip_swap"}
    unknown = set(raw) - known
    if unknown:
        raise InvalidCatalog(f"{where}: unknown field(s) {', '.join(sorted(unknown))}.")
    phase = _need(raw, "phase", str, where)
    if phase not in PHASES:
        raise InvalidCatalog(f"{where}: phase must be one of {PHASES}.")
    banded = _need(raw, "banded", bool, where)
    equipment = _strings(raw, "equipment", where, allow_empty=True)
    if banded != ("resistance_band" in equipment):
        raise InvalidCatalog(f"{where}: a banded exercise lists 'resistance_band' as equipment, and only then.")
    camera_check = raw.get("camera_check", "form")
    if camera_check not in CAMERA_CHECKS:
        raise InvalidCatalog(f"{where}: camera_check must be one of {CAMERA_CHECKS}.")
    views = _strings(raw, "camera_views", where, allow_empty=camera_check == "none")
    if camera_check == "none" and views:
        raise InvalidCatalog(f"{where}: an exercise without a camera check has no camera views.")
    sources = _strings(raw, "sources", where)
    lies_on_side = raw.get("lies_on_side", False)
    swap = raw.get("sore_hip_swap")
    if not isinstance(lies_on_side, bool) or lies_on_side != (swap is not None) or not isinstance(swap, (str, type(None))):
        raise InvalidCatalog(f"{where}: an exercise done lying on the side names its sore_hip_swap, and only then.")
    if not set(views) <= set(CAMERA_VIEWS):
        raise InvalidCatalog(f"{where}: camera views must be among {CAMERA_VIEWS}.")
    illustration_view = raw.get("illustration_view", "side")
    if illustration_view not in CAMERA_VIEWS:
        raise InvalidCatalog(f"{where}: illustration_view must be among {CAMERA_VIEWS}.")
    faults = tuple(_fault(f, where) for f in _need(raw, "faults", list, where))
    if len({f.id for f in faults}) != len(faults):
        raise InvalidCatalog(f"{where}: a fault id appears twice.")
    keyframes = tuple(_keyframe(k, where) for k in _need(raw, "keyframes", list, where))
    if not 2 <= len(keyframes) <= 4:
        raise InvalidCatalog(f"{where}: the illustration needs 2 to 4 keyframes.")
    if len({frozenset(k.joints) for k in keyframes}) > 1:
        raise InvalidCatalog(f"{where}: every keyframe must have the same joints.")
    times = [k.t for k in keyframes]
    if times != sorted(set(times)) or times[0] != 0:
        raise InvalidCatalog(f"{where}: keyframe times must start at 0 and increase.")
    return Exercise(
        id=exercise_id,
        name=_need(raw, "name", str, where),
        ladder=_need(raw, "ladder", str, where),
        step=_need(raw, "step", int, where),
        phase=phase,  # type: ignore[arg-type]
        targets=_strings(raw, "targets", where),
        position=_need(raw, "position", str, where),
        equipment=equipment,
        per_side=_need(raw, "per_side", bool, where),
        banded=banded,
        dose=_dose(_need(raw, "dose", Mapping, where), where),
        cues=_strings(raw, "cues", where),
        faults=faults,
        camera_views=views,
        regression=raw.get("regression"),
        progression=raw.get("progression"),
        keyframes=keyframes,
        summary=_need(raw, "summary", str, where),
        instructions=_strings(raw, "instructions", where) if "instructions" in raw else (),
        illustration_view=illustration_view,
        camera_check=camera_check,
        sources=sources,
        lies_on_side=lies_on_side,
        sore_hip_swap=swap,
    )


def _dose(raw: Mapping[str, Any], where: str) -> DoseRange:
    where = f"{where} dose"
    unit = _need(raw, "unit", str, where)
    if unit not in ("reps", "hold"):
        raise InvalidCatalog(f"{where}: unit must be 'reps' or 'hold'.")
    sets = _need(raw, "sets", list, where)
    hold = _need(raw, "hold_s", list, where)
    reps = raw.get("reps")
    pairs = [("sets", sets), ("hold_s", hold)] + ([("reps", reps)] if unit == "reps" else [])
    for name, pair in pairs:
        if (not isinstance(pair, list) or len(pair) != 2 or not all(isinstance(v, int) and not isinstance(v, bool)
                                                                       for v in pair)
                or not 0 < pair[0] <= pair[1]):
            raise InvalidCatalog(f"{where}: {name} must be [min, max] whole numbers with 0 < min <= max.")
    if unit == "hold" and reps is not None:
        raise InvalidCatalog(f"{where}: a timed hold has no repetitions.")
    return DoseRange(unit=unit, sets_min=sets[0], sets_max=sets[1],  # type: ignore[arg-type]
                     reps_min=reps[0] if unit == "reps" else None, reps_max=reps[1] if unit == "reps" else None,
                     hold_s_min=hold[0], hold_s_max=hold[1])


def _fault(raw: Any, where: str) -> Fault:
    if not isinstance(raw, Mapping):
        raise InvalidCatalog(f"{where}: each fault must be a mapping.")
    fault_id = _need(raw, "id", str, where)
    if fault_id not in FAULT_IDS:
        raise InvalidCatalog(f"{where}: fault {fault_id!r} is not one the motion checks know ({sorted(FAULT_IDS)}).")
    fault = Fault(
        id=fault_id,
        name=_need(raw, "name", str, f"{where} fault {fault_id}"),
        why_it_matters=_need(raw, "why", str, f"{where} fault {fault_id}"),
        fix=_need(raw, "fix", str, f"{where} fault {fault_id}"),
        serious=_need(raw, "serious", bool, f"{where} fault {fault_id}"),
    )
    if fault.serious != (fault_id in SERIOUS_FAULTS):
        raise InvalidCatalog(f"{where}: fault {fault_id!r} must{'' if fault_id in SERIOUS_FAULTS else ' not'} "
                             "be marked serious.")
    return fault


def _keyframe(raw: Any, where: str) -> Keyframe:
    if not isinstance(raw, Mapping):
        raise InvalidCatalog(f"{where}: each keyframe must be a mapping with 't' and 'joints'.")
    t = _need(raw, "t", (int, float), f"{where} keyframe")
    if not 0 <= t < 1:
        raise InvalidCatalog(f"{where}: keyframe time {t} must be in [0, 1).")
    joints_raw = _need(raw, "joints", Mapping, f"{where} keyframe")
    missing = set(JOINTS) - set(joints_raw)
    unknown = set(joints_raw) - set(JOINTS) - set(FAR_JOINTS)
    if missing or unknown:
        raise InvalidCatalog(f"{where}: keyframe at t={t} is missing {sorted(missing)} or has unknown "
                             f"{sorted(unknown)} joints.")
    joints: dict[str, tuple[float, float]] = {}
    for name, point in joints_raw.items():
        if (not isinstance(point, (list, tuple)) or len(point) != 2
                or not all(isinstance(v, (int, float)) and 0 <= v <= 1 for v in point)):
            raise InvalidCatalog(f"{where}: joint {name} at t={t} must be [x, y] inside the 0..1 box.")
        joints[name] = (float(point[0]), float(point[1]))
    return Keyframe(t=float(t), joints=MappingProxyType(joints))


def _check_ladders(exercises: Mapping[str, Exercise], ladders: Mapping[str, tuple[str, ...]]) -> None:
    listed = [i for ladder in ladders.values() for i in ladder]
    if set(listed) != set(exercises) or len(listed) != len(set(listed)):
        missing = sorted(set(listed) - set(exercises))
        extra = sorted(set(exercises) - set(listed))
        raise InvalidCatalog(f"The ladders and the exercises do not match (missing: {missing}, not on a ladder: "
                             f"{extra}).")
    for ladder_id, ladder in ladders.items():
        for step, exercise_id in enumerate(ladder):
            e = exercises[exercise_id]
            where = f"exercise {exercise_id!r}"
            if e.ladder != ladder_id or e.step != step:
                raise InvalidCatalog(f"{where}: should be step {step} of ladder {ladder_id!r}.")
            expected_regression = ladder[step - 1] if step > 0 else None
            expected_progression = ladder[step + 1] if step + 1 < len(ladder) else None
            if e.regression != expected_regression or e.progression != expected_progression:
                raise InvalidCatalog(f"{where}: regression/progression must be {expected_regression!r}/"
                                     f"{expected_progression!r} (the ladder order; no step may be skipped).")
            if expected_regression is not None and PHASES.index(e.phase) < PHASES.index(
                    exercises[expected_regression].phase):
                raise InvalidCatalog(f"{where}: its phase ({e.phase}) comes before the phase of the step below it "
                                     f"({exercises[expected_regression].phase}); phases never go back along a ladder.")
    for e in exercises.values():
        if e.sore_hip_swap is None:
            continue
        swap = exercises.get(e.sore_hip_swap)
        where = f"exercise {e.id!r}"
        if swap is None or swap.lies_on_side:
            raise InvalidCatalog(f"{where}: sore_hip_swap must name an exercise that is not done lying on the side.")
        if swap.ladder != SORE_HIP_LADDERS.get(e.ladder):
            raise InvalidCatalog(f"{where}: sore_hip_swap must be on the ladder {SORE_HIP_LADDERS.get(e.ladder)!r}.")
        if PHASES.index(swap.phase) > PHASES.index(e.phase):
            raise InvalidCatalog(f"{where}: its sore-hip swap belongs to a later phase ({swap.phase}).")
