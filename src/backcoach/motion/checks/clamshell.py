"""Clamshells, filmed from the front (or above): the top knee opens, the feet stay together."""

from __future__ import annotations

import numpy as np

from .. import signals as S
from ..config import MotionConfig, motion_config
from ..landmarks import LandmarkSequence
from .base import (
    CheckOptions,
    ExerciseCheck,
    Finding,
    above,
    below,
    median_or_none,
    nan_round,
    repetition_check,
    tempo_findings,
    timing_metrics,
    top_phase,
)

# Numbers: catalog/motion.yaml, ``checks.clamshell``.


def choose_layout(seq: LandmarkSequence) -> dict:
    return {"side": S.facing_side(seq)}


def make_signals(seq: LandmarkSequence, layout: dict) -> dict:
    lk, rk = S.point(seq, "knee", "left"), S.point(seq, "knee", "right")
    la, ra = S.point(seq, "ankle", "left"), S.point(seq, "ankle", "right")
    lh, rh = S.point(seq, "hip", "left"), S.point(seq, "hip", "right")
    shin = (np.linalg.norm(lk - la, axis=-1) + np.linalg.norm(rk - ra, axis=-1)) / 2.0
    trunk = np.linalg.norm(S.midpoint(seq, "shoulder") - S.midpoint(seq, "hip"), axis=-1)
    with np.errstate(invalid="ignore", divide="ignore"):
        return {
            "knee_opening": S.angle(lk, (la + ra) / 2.0, rk),
            "feet_gap": np.linalg.norm(la - ra, axis=-1) / shin,
            "hip_line": np.linalg.norm(rh - lh, axis=-1) / trunk,
            "left_knee_higher": (lk[..., 1] < rk[..., 1]).astype(float),
        }


def rep_metrics(sig: dict, t: np.ndarray, seg, check: ExerciseCheck) -> dict:
    th = check.thresholds
    top = top_phase(sig["knee_opening"], seg, th["hold_band_deg"])
    gained = seg.peak_value - seg.rest
    return {
        "knee_opening_deg": nan_round(seg.peak_value),
        "start_opening_deg": nan_round(seg.rest),
        "opening_gained_deg": nan_round(gained),
        "feet_gap_ratio": median_or_none(sig["feet_gap"][top], 2),
        "pelvis_roll_deg": nan_round(check.roll(sig["hip_line"], check.start_window(t, seg.start), top)),
        **timing_metrics(sig["knee_opening"], t, seg, check),
        "side": "left" if sig["left_knee_higher"][seg.peak] > 0.5 else "right",  # the knee that opens
    }


def judge(m: dict, check: ExerciseCheck, opts: CheckOptions) -> list[Finding]:
    th = check.thresholds
    findings = [
        above("feet_apart", m["feet_gap_ratio"], th["feet_apart_ratio"], "shin lengths",
              "gap between the feet at the top"),
        above("pelvis_roll_back", m["pelvis_roll_deg"], th["pelvis_roll_deg"], "deg",
              "pelvis turned back since the start"),
        below("small_range", m["opening_gained_deg"], th["min_opening_deg"], "deg", "knee opening gained"),
    ]
    return findings + tempo_findings(m, opts, check)


def make(exercise_id: str, config: MotionConfig | None = None) -> ExerciseCheck:
    config = config or motion_config()
    cfg = config.checks.clamshell
    return repetition_check(
        exercise_id, "clamshell", "clamshell", cfg, config,
        views=("front", "side"),  # "side" here is the view from above: knees seen opening
        required=("hip", "knee", "ankle"), primary="knee_opening", primary_label="knees",
        make_signals=make_signals, choose_layout=choose_layout, rep_metrics=rep_metrics, judge=judge,
        faults=("feet_apart", "pelvis_roll_back", "small_range", "rushed"),
    )
