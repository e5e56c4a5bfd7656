"""The exercise catalog as domain objects. The data itself lives in
backcoach/catalog/exercises.yaml (one file); backcoach.catalog.load_catalog() reads it.

CONTRACT (names and fields fixed; add fields only with defaults):

LADDERS = {"hip_extension": ("glute_bridge","banded_glute_bridge","marching_bridge","single_leg_glute_bridge"),
           "hip_abduction": ("clamshell","banded_clamshell","side_lying_leg_raise","banded_side_lying_leg_raise"),
           "core_stability": ("dead_bug","bird_dog","side_plank_knees","side_plank")}   (defined by the data file)
BANDS = ("light","medium","heavy")

@dataclass(frozen=True) class DoseRange: unit: "reps"|"hold"; sets_min, sets_max: int;
    reps_min, reps_max: int|None (for unit reps); hold_s_min, hold_s_max: int (the squeeze at the top
    for reps, or the whole hold for unit hold)
@dataclass(frozen=True) class Fault: id: str; name: str; why_it_matters: str; fix: str; serious: bool
@dataclass(frozen=True) class Keyframe: t: float (0..1 of the cycle); joints: dict[str, tuple[float,float]]
    (joint names: head, shoulder, elbow, wrist, hip, knee, ankle, toe, and *_far for the far side)
@dataclass(frozen=True) class Exercise:
    id, name, ladder: str, step: int (0-based on its ladder), phase: "activation"|"strengthening"|"integration",
    targets: tuple[str,...]; position: str; equipment: tuple[str,...]; per_side: bool; banded: bool;
    dose: DoseRange; cues: tuple[str,...]; faults: tuple[Fault,...]; camera_views: tuple[str,...];
    regression: str|None; progression: str|None; keyframes: tuple[Keyframe,...]; summary: str
    .to_dict()
@dataclass(frozen=True) class Catalog:
    exercises: Mapping[str, Exercise]; ladders: Mapping[str, tuple[str,...]]
    get(exercise_id) -> Exercise (raises UnknownExercise with the list of valid ids)
    next_on_ladder(exercise_id) -> Exercise|None ; previous_on_ladder(exercise_id) -> Exercise|None
    Catalog.from_dict(data) -> Catalog (validates: ids unique, ladders complete, fault ids known, progression/
    regression consistent with ladder order)
"""
