"""What every exercise check provides, and the settings a clinician may change.

A check turns a cleaned `LandmarkSequence` into named signals (arrays, one value per
frame), says which signal is counted, and turns the signals over one repetition (or one
hold) into metrics and fault ids. Fault ids are the catalog's.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

import numpy as np

from ..config import MotionConfig, motion_config
from ..config import Segmenter as SegmenterConfig
from ..landmarks import LandmarkSequence
from ..segmentation import HoldSettings, Segment, SegmenterSettings

Signals = dict[str, np.ndarray]
_OPTIONS = motion_config().options


@dataclass(frozen=True)
class CheckOptions:
    """Per-session prescription that changes how faults are judged."""

    hold_target_s: float = _OPTIONS.hold_target_s  # prescribed squeeze at the top of a bridge
    hold_tolerance: float = _OPTIONS.hold_tolerance  # a hold shorter than tolerance * target is `no_hold`
    prescribed_hold_s: float | None = None  # for timed holds (side plank, bird dog, ...)


@dataclass(frozen=True)
class Thresholds:
    """Numbers behind the faults. They live in ``catalog/motion.yaml`` (``checks``), with
    where each comes from; change them there."""

    values: dict[str, float] = field(default_factory=dict)

    def __getitem__(self, key: str) -> float:
        return self.values[key]


@dataclass(frozen=True)
class ExerciseCheck:
    exercise_id: str
    family: str  # bridge | clamshell | leg_raise | hold
    mode: str  # reps | hold
    views: tuple[str, ...]  # camera views the check works from
    required: tuple[str, ...]  # body parts that must be in the picture
    primary: str  # signal that is counted (reps) or shown live (holds)
    primary_label: str
    segmenter: SegmenterSettings | None
    hold: HoldSettings | None
    thresholds: dict[str, float]
    make_signals: Callable[[LandmarkSequence, dict], Signals]
    choose_layout: Callable[[LandmarkSequence], dict]
    rep_metrics: Callable[[Signals, np.ndarray, Segment, "ExerciseCheck"], dict]
    rep_faults: Callable[[dict, "ExerciseCheck", CheckOptions], list[str]]
    in_position: Callable[[Signals, "ExerciseCheck"], np.ndarray] | None = None
    faults: tuple[str, ...] = ()  # every fault id this check can report (the catalog's ids)
    max_trunk_incline_deg: float | None = None  # lying exercises: a steeper trunk = sitting or standing

    def signals(self, seq: LandmarkSequence, layout: dict | None = None) -> Signals:
        """Named signals; the counted one is blanked while the person is not lying down
        (getting into position, sitting up, standing up), so those moves are never counted."""
        sig = self.make_signals(seq, layout if layout is not None else self.choose_layout(seq))
        if self.max_trunk_incline_deg is not None:
            from .. import signals as S  # noqa: PLC0415

            incline = S.incline(S.midpoint(seq, "shoulder"), S.midpoint(seq, "hip"))
            with np.errstate(invalid="ignore"):
                upright = incline > self.max_trunk_incline_deg
            sig[self.primary] = np.where(upright, np.nan, sig[self.primary])
            sig["trunk_incline"] = incline
        return sig


def segmenter_settings(cfg: SegmenterConfig) -> SegmenterSettings:
    """The counter's settings from a check's ``segmenter`` section of motion.yaml."""
    return SegmenterSettings(enter_delta=cfg.enter_delta, min_amplitude=cfg.min_amplitude,
                             drop_fraction=cfg.drop_fraction, start_fraction=cfg.start_fraction,
                             min_duration_s=cfg.min_duration_s, rest_window_s=cfg.rest_window_s)


def hold_settings(config: MotionConfig) -> HoldSettings:
    """Hold-bout settings from motion.yaml (``segmentation.hold``)."""
    hold = config.segmentation.hold
    return HoldSettings(min_hold_s=hold.min_hold_s, debounce_s=hold.debounce_s)


def window(sig: np.ndarray, seg: Segment) -> np.ndarray:
    return sig[seg.start : seg.end + 1]


def at(sig: np.ndarray, i: int) -> float:
    v = float(sig[i]) if 0 <= i < len(sig) else float("nan")
    return v


def top_hold_s(primary: np.ndarray, t: np.ndarray, seg: Segment, band: float) -> float:
    """Time around the peak during which the signal stays within `band` of the top.

    The top is a high percentile rather than the single highest sample, so one noisy
    frame at the peak does not shorten the hold.
    """
    win = primary[seg.start : seg.end + 1]
    top = float(np.nanpercentile(win, 90)) if np.isfinite(win).any() else seg.peak_value
    level = min(top, seg.peak_value) - band
    above = ~(primary < level)  # NaN (not seen) does not end the hold
    # a single sample below the level between two above it is noise, not the end of the hold
    inner = np.zeros_like(above)
    inner[1:-1] = ~above[1:-1] & above[:-2] & above[2:]
    above = above | inner
    i = seg.peak
    lo = i
    while lo - 1 >= seg.start and above[lo - 1]:
        lo -= 1
    hi = i
    while hi + 1 <= seg.end and above[hi + 1]:
        hi += 1
    t_lo = _crossing(t, primary, lo - 1, lo, level) if lo - 1 >= seg.start else float(t[lo])
    t_hi = _crossing(t, primary, hi + 1, hi, level) if hi + 1 <= seg.end else float(t[hi])
    return max(0.0, t_hi - t_lo)


def _crossing(t: np.ndarray, x: np.ndarray, i_out: int, i_in: int, level: float) -> float:
    """Time at which x crosses `level` between sample i_out (outside) and i_in (inside),
    by linear interpolation: timings finer than the sampling interval."""
    a, b = float(x[i_out]), float(x[i_in])
    if not (np.isfinite(a) and np.isfinite(b)) or a == b:
        return float(t[i_out] + t[i_in]) / 2.0
    w = float(np.clip((level - a) / (b - a), 0.0, 1.0))
    return float(t[i_out] + w * (t[i_in] - t[i_out]))


def movement_s(primary: np.ndarray, t: np.ndarray, seg: Segment, settings: SegmenterSettings) -> float:
    """Duration of a repetition from leaving rest to the point where it counts as lowered,
    with both ends interpolated between samples (same levels as the counter uses)."""
    amp = seg.peak_value - seg.rest
    start_level = seg.rest + settings.start_fraction * amp
    end_level = seg.peak_value - max(settings.enter_delta, settings.drop_fraction * amp)
    t0 = _crossing(t, primary, seg.start, seg.start + 1, start_level) if seg.start + 1 <= seg.peak else float(t[seg.start])
    t1 = _crossing(t, primary, seg.end, seg.end - 1, end_level) if seg.end - 1 >= seg.peak and seg.complete else float(t[seg.end])
    return max(0.0, t1 - t0)


def nan_round(v: float, nd: int = 1) -> float | None:
    return None if v is None or not np.isfinite(v) else round(float(v), nd)
