"""Clamshells, filmed from the front (or above): the top knee opens, the feet stay together."""

from __future__ import annotations

from dataclasses import asdict

import numpy as np

from .. import signals as S
from ..config import MotionConfig, motion_config
from ..landmarks import LandmarkSequence
from .base import CheckOptions, ExerciseCheck, movement_s, nan_round, segmenter_settings, window

# Numbers: catalog/motion.yaml, ``checks.clamshell``.


def choose_layout(seq: LandmarkSequence) -> dict:
    return {"side": S.facing_side(seq)}


def make_signals(seq: LandmarkSequence, layout: dict) -> dict:
    lk, rk = S.point(seq, "knee", "left"), S.point(seq, "knee", "right")
    la, ra = S.point(seq, "ankle", "left"), S.point(seq, "ankle", "right")
    lh, rh = S.point(seq, "hip", "left"), S.point(seq, "hip", "right")
    shin = (np.linalg.norm(lk - la, axis=-1) + np.linalg.norm(rk - ra, axis=-1)) / 2.0
    hip_line = rh - lh
    with np.errstate(invalid="ignore", divide="ignore"):
        return {
            "knee_opening": S.angle(lk, (la + ra) / 2.0, rk),
            "feet_gap": np.linalg.norm(la - ra, axis=-1) / shin,
            "hip_line": hip_line,
            "left_knee_higher": (lk[..., 1] < rk[..., 1]).astype(float),
        }


def rep_metrics(sig: dict, t: np.ndarray, seg, check: ExerciseCheck) -> dict:
    gap = window(sig["feet_gap"], seg)
    return {
        "knee_opening_deg": nan_round(seg.peak_value),
        "start_opening_deg": nan_round(seg.rest),
        "feet_gap_ratio": nan_round(float(np.nanmax(gap)), 2) if np.isfinite(gap).any() else None,
        "pelvis_roll_deg": nan_round(S.roll_deg(S.around(sig["hip_line"], seg.start), S.around(sig["hip_line"], seg.peak))),
        "duration_s": round(movement_s(sig[check.primary], t, seg, check.segmenter), 2),
        "side": "left" if sig["left_knee_higher"][seg.peak] > 0.5 else "right",  # the knee that opens
    }


def rep_faults(m: dict, check: ExerciseCheck, opts: CheckOptions) -> list[str]:
    th = check.thresholds
    faults = []
    if (m["feet_gap_ratio"] or 0) > th["feet_apart_ratio"]:
        faults.append("feet_apart")
    if (m["pelvis_roll_deg"] or 0) > th["pelvis_roll_deg"]:
        faults.append("pelvis_roll_back")
    if m["knee_opening_deg"] is not None and m["knee_opening_deg"] < th["min_opening_deg"]:
        faults.append("small_range")
    if m["duration_s"] < th["min_duration_s"]:
        faults.append("rushed")
    return faults


def make(exercise_id: str, config: MotionConfig | None = None) -> ExerciseCheck:
    cfg = (config or motion_config()).checks.clamshell
    return ExerciseCheck(
        exercise_id=exercise_id,
        family="clamshell",
        mode="reps",
        views=("front", "side"),  # "side" here is the view from above: knees seen opening
        required=("hip", "knee", "ankle"),
        primary="knee_opening",
        primary_label="knees",
        segmenter=segmenter_settings(cfg.segmenter),
        hold=None,
        thresholds=asdict(cfg.thresholds),
        make_signals=make_signals,
        max_trunk_incline_deg=cfg.max_trunk_incline_deg,
        choose_layout=choose_layout,
        rep_metrics=rep_metrics,
        rep_faults=rep_faults,
        faults=("feet_apart", "pelvis_roll_back", "small_range", "rushed"),
    )
