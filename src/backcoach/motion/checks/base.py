"""What every exercise check provides, and the settings a clinician may change.

A check turns a cleaned `LandmarkSequence` into named signals (arrays, one value per
frame), says which signal is counted, and turns the signals over one repetition (or one
hold) into metrics and fault ids. Fault ids are the catalog's.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field, replace
from functools import partial
from typing import Any, Callable, Mapping

import numpy as np

from ..config import MotionConfig, Rule, motion_config
from ..config import Segmenter as SegmenterConfig
from ..landmarks import LandmarkSequence, side_landmark
from ..segmentation import HoldSettings, Segment, SegmenterSettings

Signals = dict[str, np.ndarray]


@dataclass(frozen=True)
class CheckOptions:
    """Per-session prescription that changes how faults are judged.

    A hold is judged only when one is prescribed (the program's dose or
    ``--hold-seconds``); tempo is judged against the cue the person was given. The
    defaults are motion.yaml's (``options``, ``tempo``), read when the options are made;
    `from_config` takes them from another `MotionConfig`.
    """

    hold_target_s: float | None = None  # prescribed squeeze at the top of each repetition (None: not prescribed)
    # a hold shorter than tolerance * target is `no_hold`
    hold_tolerance: float = field(default_factory=lambda: motion_config().options.hold_tolerance)
    prescribed_hold_s: float | None = None  # for timed holds (side plank), seconds
    lift_s: float = field(default_factory=lambda: motion_config().tempo.lift_s)  # the tempo cue: seconds to lift ...
    lower_s: float = field(default_factory=lambda: motion_config().tempo.lower_s)  # ... and to lower

    @classmethod
    def from_config(cls, config: MotionConfig, **values: Any) -> "CheckOptions":
        """Options whose defaults come from `config` instead of the shipped motion.yaml."""
        defaults = {"hold_tolerance": config.options.hold_tolerance, "lift_s": config.tempo.lift_s,
                    "lower_s": config.tempo.lower_s}
        return cls(**{**defaults, **values})

    @property
    def hold_s(self) -> float | None:
        """The prescribed hold, whichever way it was given (None: no hold prescribed)."""
        for value in (self.prescribed_hold_s, self.hold_target_s):
            if value:
                return float(value)
        return None


def options_from_dose(dose: Mapping[str, Any] | None, config: MotionConfig | None = None,
                      **overrides: Any) -> CheckOptions:
    """Options from a program's dose (catalog ``dose``: unit, hold_s as a number or [min, max]).

    The lower end of a range is what the person must at least reach.
    """
    make = partial(CheckOptions.from_config, config) if config is not None else CheckOptions
    hold = None
    if dose:
        raw = dose.get("hold_s")
        if isinstance(raw, (list, tuple)) and raw:
            raw = raw[0]
        if isinstance(raw, (int, float)) and raw > 0:
            hold = float(raw)
    if dose and dose.get("unit") == "hold":
        return make(prescribed_hold_s=hold, **overrides)
    return make(hold_target_s=hold, **overrides)


FAULT, OK, CANNOT_JUDGE = "fault", "ok", "cannot_judge"


@dataclass(frozen=True)
class Finding:
    """One fault rule applied to one repetition: what was measured, against which limit,
    and the verdict (a fault, fine, or cannot judge with the reason)."""

    fault: str
    status: str  # fault | ok | cannot_judge
    value: float | None = None
    limit: float | None = None
    unit: str = ""
    reason: str = ""  # why it cannot be judged (plain words)
    measured: str = ""  # what the value is, in a few words

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"fault": self.fault, "status": self.status}
        if self.measured:
            out["measured"] = self.measured
        if self.value is not None:
            out["value"] = round(float(self.value), 2)
        if self.limit is not None:
            out["limit"] = round(float(self.limit), 2)
        if self.unit:
            out["unit"] = self.unit
        if self.reason:
            out["reason"] = self.reason
        return out

    def cannot(self, reason: str) -> "Finding":
        return replace(self, status=CANNOT_JUDGE, reason=reason)


def above(fault: str, value: float | None, limit: float, unit: str, measured: str) -> Finding:
    """A fault when `value` is above `limit`; cannot judge when it was not measured."""
    if value is None or not np.isfinite(value):
        return Finding(fault, CANNOT_JUDGE, None, limit, unit, "it could not be measured in this repetition", measured)
    return Finding(fault, FAULT if value > limit else OK, float(value), limit, unit, "", measured)


def below(fault: str, value: float | None, limit: float, unit: str, measured: str) -> Finding:
    """A fault when `value` is below `limit`; cannot judge when it was not measured."""
    if value is None or not np.isfinite(value):
        return Finding(fault, CANNOT_JUDGE, None, limit, unit, "it could not be measured in this repetition", measured)
    return Finding(fault, FAULT if value < limit else OK, float(value), limit, unit, "", measured)


def hold_finding(m: dict, opts: CheckOptions, key: str = "hold_s") -> Finding | None:
    """`no_hold` only when a hold was prescribed; otherwise the rule does not apply (None)."""
    target = opts.hold_s
    if not target:
        return None
    return below("no_hold", m.get(key), target * opts.hold_tolerance, "s", "time held at the top")


def tempo_findings(m: dict, opts: CheckOptions, check: "ExerciseCheck") -> list[Finding]:
    """`rushed` from the lift and the lowering, timed separately against the cue; the
    quicker of the two (relative to its cue) is the one reported."""
    share = check.config.tempo.rushed_share
    lift = below("rushed", m.get("lift_s"), opts.lift_s * share, "s", "time to lift")
    lower = below("rushed", m.get("lower_s"), opts.lower_s * share, "s", "time to lower")
    for f in (lift, lower):
        if f.status == FAULT:
            return [f]
    if lift.status == OK and lower.status == OK:
        return [lift if (lift.value / opts.lift_s) <= (lower.value / opts.lower_s) else lower]
    return [lift if lift.status == OK else lower] if OK in (lift.status, lower.status) else [lift]


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
    family: str  # bridge | clamshell | leg_raise | hold | dead_bug
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
    judge: Callable[[dict, "ExerciseCheck", CheckOptions], list[Finding]]
    in_position: Callable[[Signals, "ExerciseCheck"], np.ndarray] | None = None
    faults: tuple[str, ...] = ()  # every fault id this check can report (the catalog's ids)
    max_trunk_incline_deg: float | None = None  # lying exercises: a steeper trunk = sitting or standing
    rules: dict[str, Rule] = field(default_factory=dict)  # per fault: views, landmarks, confidence (motion.yaml)
    limits: dict[str, tuple[float, ...]] = field(default_factory=dict)  # signal -> what a body can do
    rule_group: str = ""
    # the same exercise counted from another camera view (its own signals and counter)
    variants: dict[str, "ExerciseCheck"] = field(default_factory=dict)
    config: MotionConfig = field(default_factory=motion_config)  # the settings it was made with
    # the counted signal of one frame in plain floats, before `signals`' trunk and limit gates:
    # (points, layout) -> value, points as 33 (x, y) pairs in square units, NaN where not seen.
    # With it, the live stream counts without numpy and works out the other signals only when
    # a repetition ends (see `frame_primary`); without it, every signal of every frame.
    frame_value: Callable[[list[tuple[float, float]], dict], float] | None = None

    def start_window(self, t: np.ndarray, start: int) -> slice:
        """The person's own starting frames before sample `start` (``trust.start_window_s``)."""
        from .. import signals as S  # noqa: PLC0415

        return S.start_window(t, start, self.config.trust.start_window_s)

    def roll(self, length: np.ndarray, start: slice, top: slice) -> float | None:
        """`signals.roll_against_start` with this check's ``trust.roll_noise_floor``."""
        from .. import signals as S  # noqa: PLC0415

        return S.roll_against_start(length, start, top, self.config.trust.roll_noise_floor)

    def faults_seen_only_from(self, view: str) -> tuple[str, ...]:
        """This check's faults whose rule needs `view` and no other (``rules`` in motion.yaml)."""
        return tuple(f for f in self.faults if f in self.rules and self.rules[f].views == (view,))

    def in_view(self, view: str) -> "ExerciseCheck":
        """This check as it counts from `view` (itself when it has no variant for it)."""
        return self.variants.get(view, self)

    def rep_faults(self, m: dict, check: "ExerciseCheck | None" = None, opts: CheckOptions | None = None) -> list[str]:
        """The fault ids the rules find in one repetition's metrics (before the view and
        confidence gates of the analysis)."""
        check = check or self
        opts = opts if opts is not None else CheckOptions.from_config(check.config)
        return [f.fault for f in check.judge(m, check, opts) if f.status == FAULT]

    def signals(self, seq: LandmarkSequence, layout: dict | None = None) -> Signals:
        """Named signals; the counted one is blanked while the person is not lying down
        (getting into position, sitting up, standing up), so those moves are never counted.
        Values a body cannot show (``limits``) are blanked too and marked in `impossible`."""
        sig = self.make_signals(seq, layout if layout is not None else self.choose_layout(seq))
        from .. import signals as S  # noqa: PLC0415

        if self.max_trunk_incline_deg is not None:
            incline = S.incline(S.midpoint(seq, "shoulder"), S.midpoint(seq, "hip"))
            upright = incline > self.max_trunk_incline_deg  # NaN compares False, without a warning
            sig[self.primary] = np.where(upright, np.nan, sig[self.primary])
            sig["trunk_incline"] = incline
        impossible = np.full(len(seq), np.nan)
        which = np.full(len(seq), -1.0)
        for k, (name, bounds) in enumerate(self.limits.items()):
            if name not in sig:  # a signal of another camera view
                continue
            x = sig[name]
            bad = (x < bounds[0]) | (x > bounds[1])
            fresh = bad & ~np.isfinite(impossible)
            impossible = np.where(fresh, x, impossible)
            which = np.where(fresh, float(k), which)
            sig[name] = np.where(bad, np.nan, x)
        sig["impossible"] = impossible
        sig["impossible_which"] = which
        sig["visibility"] = np.asarray(seq.vis, dtype=float)
        return sig


def frame_primary(check: ExerciseCheck, rows: list[list[float]], layout: dict) -> float:
    """`check.signals(...)[check.primary]` of one frame, in plain floats: the counted value the
    live stream needs on every frame. `rows` are the frame's 33 landmarks [x, y, z, visibility]
    in square units; points seen with less than ``cleaning.min_visibility`` are not seen (NaN),
    as the stream's one-frame sequence has them. The check must have a `frame_value`.

    Bought: bench_live's server CPU per frame (a bridge's counted value: 25 us against 180 us
    for every signal of the one-frame sequence in numpy, timeit with the machine loaded, load
    average 9-16); the same numbers to within rounding (tests/unit/motion/test_motion_stream.py;
    numpy's kernels may round the last bit differently on some CPUs)."""
    from .. import signals as S  # noqa: PLC0415

    low = check.config.cleaning.min_visibility
    nan = (math.nan, math.nan)
    points = [nan if v < low else (x, y) for x, y, _z, v in rows]
    value = check.frame_value(points, layout)
    if check.max_trunk_incline_deg is not None:
        shoulders = S.midpoint_of(points[side_landmark("shoulder", "left")], points[side_landmark("shoulder", "right")])
        hips = S.midpoint_of(points[side_landmark("hip", "left")], points[side_landmark("hip", "right")])
        if S.incline_of(shoulders, hips) > check.max_trunk_incline_deg:
            value = math.nan
    bounds = check.limits.get(check.primary)
    if bounds is not None and (value < bounds[0] or value > bounds[1]):
        value = math.nan
    return value


def segmenter_settings(cfg: SegmenterConfig) -> SegmenterSettings:
    """The counter's settings from a check's ``segmenter`` section of motion.yaml."""
    return SegmenterSettings(enter_delta=cfg.enter_delta, min_amplitude=cfg.min_amplitude,
                             drop_fraction=cfg.drop_fraction, start_fraction=cfg.start_fraction,
                             min_duration_s=cfg.min_duration_s, rest_window_s=cfg.rest_window_s)


def hold_settings(config: MotionConfig) -> HoldSettings:
    """Hold-bout settings from motion.yaml (``segmentation.hold``)."""
    hold = config.segmentation.hold
    return HoldSettings(min_hold_s=hold.min_hold_s, debounce_s=hold.debounce_s)


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


def nan_round(v: float, nd: int = 1) -> float | None:
    return None if v is None or not np.isfinite(v) else round(float(v), nd)


def _first_at_or_above(x: np.ndarray, lo: int, hi: int, level: float) -> int | None:
    for i in range(lo, hi + 1):
        if np.isfinite(x[i]) and x[i] >= level:
            return i
    return None


def _last_at_or_above(x: np.ndarray, lo: int, hi: int, level: float) -> int | None:
    for i in range(hi, lo - 1, -1):
        if np.isfinite(x[i]) and x[i] >= level:
            return i
    return None


# Share of a smooth (half-cosine) movement's time spent between 10 % and 90 % of its range:
# (acos(-0.8) - acos(0.8)) / pi. Geometry, not a setting.
MIDDLE_80_SHARE = float((np.arccos(-0.8) - np.arccos(0.8)) / np.pi)


def phase_times(primary: np.ndarray, t: np.ndarray, seg: Segment, settings: SegmenterSettings) -> dict[str, float | None]:
    """Lift and lowering times of one repetition, timed separately.

    Both are timed over the middle 80 % of the repetition's range (10 % to 90 % of the
    way from rest to the top), where the ends are clear of pose jitter, interpolated
    between samples, then scaled to the whole movement as a smooth start-and-stop
    movement covers that middle part in 59 % of its time (`MIDDLE_80_SHARE`). A
    repetition is reported as soon as it has come down part of the way (the live stream
    cannot wait), so the lowering is timed over the part seen and scaled to the same 80 %.
    """
    amp = seg.peak_value - seg.rest
    out: dict[str, float | None] = {"lift_s": None, "lower_s": None}
    if not (np.isfinite(amp) and amp > 0):
        return out
    lo_level, hi_level = seg.rest + 0.1 * amp, seg.rest + 0.9 * amp
    i_lo = _last_below(primary, seg.start, seg.peak, lo_level)
    i_hi = _first_at_or_above(primary, seg.start, seg.peak, hi_level)
    if i_lo is not None and i_hi is not None and i_hi > i_lo:
        t0 = _crossing(t, primary, i_lo, i_lo + 1, lo_level)
        t1 = _crossing(t, primary, i_hi - 1, i_hi, hi_level)
        out["lift_s"] = max(0.0, t1 - t0) / MIDDLE_80_SHARE
    if seg.complete:
        end_level = seg.peak_value - max(settings.enter_delta, settings.drop_fraction * amp)
        j_hi = _last_at_or_above(primary, seg.peak, seg.end, hi_level)
        if j_hi is not None and j_hi < seg.end and end_level < hi_level:
            t0 = _crossing(t, primary, j_hi + 1, j_hi, hi_level)
            t1 = _crossing(t, primary, seg.end, seg.end - 1, end_level)
            covered = (hi_level - max(end_level, lo_level)) / (hi_level - lo_level)
            out["lower_s"] = max(0.0, t1 - t0) / max(covered, 1e-6) / MIDDLE_80_SHARE
    return out


def _last_below(x: np.ndarray, lo: int, hi: int, level: float) -> int | None:
    for i in range(hi, lo - 1, -1):
        if np.isfinite(x[i]) and x[i] < level:
            return i
    return lo if np.isfinite(x[lo]) else None


def top_phase(primary: np.ndarray, seg: Segment, band: float) -> slice:
    """Frames of the repetition within `band` of its peak around the peak: the top phase."""
    level = seg.peak_value - band
    lo = hi = seg.peak
    while lo - 1 >= seg.start and not (primary[lo - 1] < level):
        lo -= 1
    while hi + 1 <= seg.end and not (primary[hi + 1] < level):
        hi += 1
    return slice(lo, hi + 1)


def median_or_none(x: np.ndarray, nd: int = 1) -> float | None:
    x = np.asarray(x, dtype=float)
    x = x[np.isfinite(x)]
    return round(float(np.median(x)), nd) if len(x) else None


def timing_metrics(primary: np.ndarray, t: np.ndarray, seg: Segment, check: "ExerciseCheck") -> dict:
    """The metrics every repetition check reports the same way: time at the top (within the
    check's ``hold_band_deg`` of the peak), whole duration, and lift and lowering times."""
    phases = phase_times(primary, t, seg, check.segmenter)
    return {
        "hold_s": round(top_hold_s(primary, t, seg, check.thresholds["hold_band_deg"]), 2),
        "duration_s": round(float(t[seg.end] - t[seg.start]), 2),
        **{k: (None if v is None else round(v, 2)) for k, v in phases.items()},
    }


def with_hold_and_tempo(findings: list[Finding], m: dict, opts: CheckOptions, check: ExerciseCheck) -> list[Finding]:
    """A check's own findings, then `no_hold` (only when a hold is prescribed) and `rushed`."""
    hold = hold_finding(m, opts)
    return findings + ([hold] if hold is not None else []) + tempo_findings(m, opts, check)


def repetition_check(exercise_id: str, family: str, group: str, cfg: Any, config: MotionConfig, **parts: Any
                     ) -> ExerciseCheck:
    """An `ExerciseCheck` for a repetition exercise, its numbers from its section `cfg` of
    motion.yaml (segmenter, thresholds, trunk limit) and its rules and limits from ``group``."""
    return ExerciseCheck(
        exercise_id=exercise_id, family=family, mode="reps", segmenter=segmenter_settings(cfg.segmenter), hold=None,
        thresholds=asdict(cfg.thresholds), max_trunk_incline_deg=cfg.max_trunk_incline_deg,
        rules=config.rules[group], limits=config.limits[group], rule_group=group, config=config, **parts,
    )


# ---------------------------------------------------------------- the view from the feet end


def feet_variant(check: ExerciseCheck, segmenter: SegmenterConfig, **parts: Any) -> ExerciseCheck:
    """`check` counted from the feet end: its own counted signal and counter, no trunk-incline
    gate (seen along the body the trunk points up the picture), the same faults and rules
    (those that need another view are then "cannot judge", saying where to put the phone)."""
    return replace(check, segmenter=segmenter_settings(segmenter), max_trunk_incline_deg=None, variants={},
                   frame_value=None, **parts)


def with_feet_variant(check: ExerciseCheck, variant: ExerciseCheck) -> ExerciseCheck:
    return replace(check, views=check.views + ("feet",), variants={"feet": replace(variant, views=check.views + ("feet",))})


def line_tilt(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Angle (deg, -90..90) of the left-right line a-b against the picture's horizontal,
    whichever way round the line is drawn; positive when its right end is lower."""
    d = b - a
    d = np.where((d[..., :1] < 0), -d, d)
    return np.degrees(np.arctan2(d[..., 1], d[..., 0]))


def tilt_against_start(tilt: np.ndarray, t: np.ndarray, seg: Segment, top: slice, check: ExerciseCheck
                       ) -> float | None:
    """How far a line's tilt at the top differs from the person's own starting frames (deg)."""
    before = check.start_window(t, seg.start)
    base, during = median_or_none(tilt[before], 2), median_or_none(tilt[top], 2)
    return None if base is None or during is None else round(abs(during - base), 1)
