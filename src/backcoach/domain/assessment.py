"""Glute assessment (DESIGN.md §3): pain details, pattern questions, self-tests -> weakness profile.

CONTRACT (names and fields fixed; add fields only with defaults):

Side = Literal["left","right","central","both"]; Severity(enum.IntEnum): NONE=0, MILD=1, MODERATE=2, SEVERE=3 (.code -> "none"...)

@dataclass(frozen=True) class AssessmentAnswers:
    pain_now: int (0-10); pain_worst_24h: int (0-10); side: Side;
    radiation: "none"|"buttock"|"thigh"|"below_knee"; onset_weeks: float (>=0);
    one_sided_ache: bool|None; worse_standing_walking: bool|None; swayback: bool|None;
    bridge_felt: "glutes"|"hamstrings"|"lower_back"|None;
    bridge_hold_s: float|None (0-60, capped);
    single_leg_bridge_reps_left / _right: int|None (0-25, capped);
    stance_hip_drop_left / _right: bool|None   (True = opposite hip dropped while standing on that leg);
    stance_drop_angle_left / _right: float|None (degrees, measured from video; overrides the bool when given);
    side_lying_hold_s_left / _right: float|None (0-60, capped)
    .to_dict()
parse_assessment(mapping) -> AssessmentAnswers  (raises InvalidAnswers; same keys as the JSON file)

@dataclass(frozen=True) class Thresholds: loaded from catalog/thresholds.yaml (every number with its source comment)
    Thresholds.from_dict(dict)

@dataclass(frozen=True) class WeaknessProfile:
    gluteus_maximus: Severity; gluteus_medius_left: Severity; gluteus_medius_right: Severity;
    asymmetry: Literal["none","left_weaker","right_weaker"]; overall: Severity;
    reasons: tuple[str, ...]   (plain language, each says which answer/test led to it)
    .to_dict()

@dataclass(frozen=True) class AssessmentResult:
    profile: WeaknessProfile; starting_levels: dict[str, str] (ladder id -> exercise id:
    "hip_extension","hip_abduction","core_stability"); reasons: tuple[str,...]
    .to_dict() -> {"profile": {...}, "starting_levels": {...}, "reasons": [...]}

assess(answers: AssessmentAnswers, thresholds: Thresholds) -> AssessmentResult
SELF_TESTS: tuple of (key, title, plain instructions) for the CLI and web wizard.
"""
