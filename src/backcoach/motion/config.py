"""The camera coach's numbers, read from ``backcoach/catalog/motion.yaml``.

Thresholds, filter settings and sampling defaults are data a clinician or an engineer
may change, so they live in one commented file rather than in the code. The file is
read once (it does not change while the program runs) into frozen dataclasses and
checked on load: a missing key, an unknown key or a value of the wrong type is refused
with an error that names the key, so a typo cannot silently fall back to a default.
"""

from __future__ import annotations

import typing
from dataclasses import asdict, dataclass, fields, is_dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any, Mapping

import yaml

_SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when present: same result, ~10x faster

RESOURCE = "motion.yaml"


class MotionConfigError(ValueError):
    """motion.yaml is unreadable or does not hold the expected settings."""


@dataclass(frozen=True)
class Sampling:
    sample_fps: float
    max_side: int
    second_look_every_s: float
    parallel_min_s: float
    max_duration_s: float
    min_duration_s: float


@dataclass(frozen=True)
class Pose:
    min_detection_confidence: float
    min_tracking_confidence: float


@dataclass(frozen=True)
class Cleaning:
    min_visibility: float
    max_gap_s: float
    median_samples: int
    cutoff_hz: float
    lowpass_order: int


@dataclass(frozen=True)
class Stream:
    cutoff_hz: float
    restart_after_s: float
    layout_every_frames: int
    layout_window_frames: int
    max_buffer_frames: int


@dataclass(frozen=True)
class View:
    side_view_max_ratio: float
    front_view_refuse_ratio: float
    upright_deg: float
    upright_share: float
    both_hips_visible_ratio: float
    feet_view_min_ratio: float
    feet_view_min_share: float
    orientation_min_frames: int


@dataclass(frozen=True)
class Visibility:
    min_person_frames: int
    min_person_share: float
    min_visible_share: float
    warn_visible_share: float
    in_picture_min_visibility: float
    in_picture_margin: float
    late_sight_s: float


@dataclass(frozen=True)
class RepetitionDefaults:
    drop_fraction: float
    start_fraction: float
    min_duration_s: float
    rest_window_s: float


@dataclass(frozen=True)
class Hold:
    min_hold_s: float
    debounce_s: float


@dataclass(frozen=True)
class Segmentation:
    repetition_defaults: RepetitionDefaults
    hold: Hold


@dataclass(frozen=True)
class Options:
    hold_tolerance: float


@dataclass(frozen=True)
class Tempo:
    lift_s: float
    lower_s: float
    rushed_share: float
    overlong_factor: float
    overlong_min_s: float


@dataclass(frozen=True)
class Trust:
    cut_hist_distance: float
    cut_body_jump_torso: float
    cut_body_scale_ratio: float
    impossible_share: float
    second_person_min_looks: int
    second_person_min_visibility: float
    start_window_s: float
    roll_noise_floor: float


@dataclass(frozen=True)
class Rule:
    """What one fault rule measures, from which camera views, and which body landmarks it
    needs seen with at least `min_confidence` (``rules`` in motion.yaml)."""

    measures: str
    views: tuple[str, ...]
    landmarks: tuple[str, ...]
    min_confidence: float


@dataclass(frozen=True)
class Recognition:
    all_fours_max_trunk_deg: float
    all_fours_raised_min_torso: float
    side_plank_min_share: float
    side_plank_knees_max_knee_deg: float
    dead_bug_arms_up_torso: float
    single_leg_knee_gap_deg: float
    clamshell_straight_knee_deg: float
    mismatch_weight: float
    angled_bridge_weight: float
    min_confidence: float
    min_rep_score: float
    posture_min_share: float


@dataclass(frozen=True)
class Segmenter:
    enter_delta: float
    min_amplitude: float
    drop_fraction: float
    start_fraction: float
    min_duration_s: float
    rest_window_s: float


@dataclass(frozen=True)
class FeetView:
    """How a check counts when filmed from the feet end (``checks.<check>.feet_view``)."""

    segmenter: Segmenter


@dataclass(frozen=True)
class BridgeThresholds:
    straight_min_deg: float
    arch_deg: float
    knee_target_deg: float
    knee_tolerance_deg: float
    hold_band_deg: float
    bridge_max_knee_deg: float
    pelvis_drop_deg: float


@dataclass(frozen=True)
class MarchingThresholds:
    straight_min_deg: float
    arch_deg: float
    knee_target_deg: float
    knee_tolerance_deg: float
    in_bridge_min_deg: float
    hold_band_deg: float
    pelvis_drop_deg: float


@dataclass(frozen=True)
class ClamshellThresholds:
    min_opening_deg: float
    feet_apart_ratio: float
    pelvis_roll_deg: float
    hold_band_deg: float


@dataclass(frozen=True)
class LegRaiseThresholds:
    max_abduction_deg: float
    trunk_bend_deg: float
    foot_path_forward_deg: float
    toes_up_ratio: float
    trunk_roll_deg: float
    hold_band_deg: float


@dataclass(frozen=True)
class HoldThresholds:
    plank_min_incline_deg: float
    plank_max_incline_deg: float
    plank_min_line_deg: float
    plank_min_hip_lift: float
    sag_deg: float
    fault_fraction: float
    limb_straight_deg: float
    trunk_max_incline_deg: float
    bird_dog_lift_deg: float
    bird_dog_hip_drop_deg: float
    hold_tolerance: float


@dataclass(frozen=True)
class DeadBugThresholds:
    limb_straight_deg: float
    dead_bug_low_leg_deg: float
    hold_band_deg: float
    fault_fraction: float


@dataclass(frozen=True)
class BridgeCheck:
    max_trunk_incline_deg: float
    supporting_leg_knee_gap_deg: float
    segmenter: Segmenter
    feet_view: FeetView
    thresholds: BridgeThresholds


@dataclass(frozen=True)
class MarchingCheck:
    max_trunk_incline_deg: float
    segmenter: Segmenter
    feet_view: FeetView
    thresholds: MarchingThresholds


@dataclass(frozen=True)
class ClamshellCheck:
    max_trunk_incline_deg: float
    segmenter: Segmenter
    thresholds: ClamshellThresholds


@dataclass(frozen=True)
class LegRaiseCheck:
    max_trunk_incline_deg: float
    moving_leg_spread_deg: float
    segmenter: Segmenter
    feet_view: FeetView
    thresholds: LegRaiseThresholds


@dataclass(frozen=True)
class HoldCheck:
    thresholds: HoldThresholds


@dataclass(frozen=True)
class DeadBugCheck:
    max_trunk_incline_deg: float
    segmenter: Segmenter
    thresholds: DeadBugThresholds


@dataclass(frozen=True)
class Checks:
    bridge: BridgeCheck
    marching_bridge: MarchingCheck
    clamshell: ClamshellCheck
    leg_raise: LegRaiseCheck
    hold: HoldCheck
    dead_bug: DeadBugCheck


@dataclass(frozen=True)
class MotionConfig:
    sampling: Sampling
    pose: Pose
    cleaning: Cleaning
    stream: Stream
    view: View
    camera_setup: dict[str, str]
    visibility: Visibility
    segmentation: Segmentation
    options: Options
    tempo: Tempo
    trust: Trust
    recognition: Recognition
    checks: Checks
    limits: dict[str, dict[str, tuple[float, ...]]]
    rules: dict[str, dict[str, Rule]]

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


# ---------------------------------------------------------------- reading and checking


def parse_motion_config(data: Any, source: str = RESOURCE) -> MotionConfig:
    """Build a `MotionConfig` from already-parsed YAML data (a nested mapping)."""
    return _build(MotionConfig, data, "", source)


def load_motion_config(path: str | Path) -> MotionConfig:
    """Read a motion.yaml from a path (tests, or a clinic's own copy)."""
    path = Path(path)
    return parse_motion_config(_read(path.read_text(encoding="utf-8"), str(path)), str(path))


@cache
def motion_config() -> MotionConfig:
    """The shipped settings (``backcoach/catalog/motion.yaml``), read once."""
    text = resources.files("backcoach.catalog").joinpath(RESOURCE).read_text(encoding="utf-8")
    return parse_motion_config(_read(text, RESOURCE), RESOURCE)


def _read(text: str, source: str) -> Any:
    try:
        return yaml.load(text, Loader=_SAFE_LOADER)  # noqa: S506 - a safe loader
    except yaml.YAMLError as error:
        raise MotionConfigError(f"{source} is not valid YAML: {error}") from error


def _build(cls: type, data: Any, where: str, source: str) -> Any:
    name = where or "the top level"
    if not isinstance(data, Mapping):
        raise MotionConfigError(f"{source}: '{name}' must be a mapping of settings, not {type(data).__name__}")
    hints = typing.get_type_hints(cls)
    names = [f.name for f in fields(cls)]
    unknown = [str(k) for k in data if k not in names]
    if unknown:
        raise MotionConfigError(f"{source}: unknown key '{_key(where, unknown[0])}' (expected one of: {', '.join(names)})")
    values = {}
    for field_name in names:
        key = _key(where, field_name)
        if field_name not in data:
            raise MotionConfigError(f"{source}: missing key '{key}'")
        values[field_name] = _value(hints[field_name], data[field_name], key, source)
    return cls(**values)


def _value(kind: Any, value: Any, key: str, source: str) -> Any:
    if is_dataclass(kind):
        return _build(kind, value, key, source)
    origin, args = typing.get_origin(kind), typing.get_args(kind)
    if origin is dict:
        if not isinstance(value, Mapping):
            raise MotionConfigError(f"{source}: '{key}' must be a mapping, not {value!r}")
        return {str(k): _value(args[1], v, _key(key, str(k)), source) for k, v in value.items()}
    if origin is tuple:
        if not isinstance(value, list):
            raise MotionConfigError(f"{source}: '{key}' must be a list, not {value!r}")
        return tuple(_value(args[0], v, f"{key}[{i}]", source) for i, v in enumerate(value))
    if kind is str:
        if not isinstance(value, str) or not value.strip():
            raise MotionConfigError(f"{source}: '{key}' must be a non-empty text, not {value!r}")
        return value.strip()
    if kind is float:
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise MotionConfigError(f"{source}: '{key}' must be a number, not {value!r}")
        return float(value)
    if kind is int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise MotionConfigError(f"{source}: '{key}' must be a whole number, not {value!r}")
        return value
    raise TypeError(f"unsupported setting type {kind!r} for {key}")  # pragma: no cover - a bug in this module


def _key(where: str, name: str) -> str:
    return f"{where}.{name}" if where else name
