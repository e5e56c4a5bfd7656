"""Side-lying leg raises, filmed from the front (or the feet): the top leg lifts in line with the trunk."""

from __future__ import annotations

from dataclasses import asdict
from functools import partial

import numpy as np

from .. import signals as S
from ..config import MotionConfig, motion_config
from ..landmarks import LandmarkSequence, side_landmark
from .base import CheckOptions, ExerciseCheck, at, movement_s, nan_round, segmenter_settings

# Numbers: catalog/motion.yaml, ``checks.leg_raise``.


def choose_layout(seq: LandmarkSequence, config: MotionConfig) -> dict:
    """The top leg: the one that moves, or, before it has moved, the one on the upper hip."""
    spread = {}
    for s in ("left", "right"):
        leg = S.point(seq, "ankle", s) - S.point(seq, "hip", s)
        ang = np.degrees(np.arctan2(leg[..., 1], leg[..., 0]))
        spread[s] = float(np.nanpercentile(ang, 90) - np.nanpercentile(ang, 10)) if np.isfinite(ang).any() else 0.0
    if abs(spread["left"] - spread["right"]) > config.checks.leg_raise.moving_leg_spread_deg:
        top = max(spread, key=spread.get)
    else:
        hip_y = {s: float(np.nanmedian(S.point(seq, "hip", s)[:, 1])) for s in ("left", "right")}
        top = "left" if np.nan_to_num(hip_y["left"], nan=1e9) <= np.nan_to_num(hip_y["right"], nan=1e9) else "right"
    return {"leg": top, "side": S.facing_side(seq)}


def _dir(v: np.ndarray) -> np.ndarray:
    return np.degrees(np.arctan2(v[..., 1], v[..., 0]))


def make_signals(seq: LandmarkSequence, layout: dict) -> dict:
    leg = layout["leg"]
    other = "right" if leg == "left" else "left"
    msh, mhp = S.midpoint(seq, "shoulder"), S.midpoint(seq, "hip")
    hp, kn, an = S.point(seq, "hip", leg), S.point(seq, "knee", leg), S.point(seq, "ankle", leg)
    heel, toe = S.point(seq, "heel", leg), S.point(seq, "foot_index", leg)
    trunk = mhp - msh
    leg_v = an - hp
    shin = np.linalg.norm(kn - an, axis=-1)
    z = seq.z
    dz = z[:, side_landmark("ankle", leg)] - z[:, side_landmark("hip", leg)]
    with np.errstate(invalid="ignore", divide="ignore"):
        return {
            "abduction": S.vector_angle(trunk, leg_v),
            "trunk_dir": _dir(trunk),
            "shoulder_line": S.point(seq, "shoulder", other) - S.point(seq, "shoulder", leg),
            "forward_deg": np.degrees(np.arctan2(-dz, np.linalg.norm(leg_v, axis=-1))),
            "toe_rise": (heel[..., 1] - toe[..., 1]) / shin,
            "working_left": np.full(len(seq), 1.0 if leg == "left" else 0.0),
        }


def _turn(a: float, b: float) -> float:
    return abs((a - b + 180.0) % 360.0 - 180.0)


def rep_metrics(sig: dict, t: np.ndarray, seg, check: ExerciseCheck) -> dict:
    p, s = seg.peak, seg.start
    return {
        "abduction_deg": nan_round(seg.peak_value),
        "start_abduction_deg": nan_round(seg.rest),
        "trunk_bend_deg": nan_round(_turn(at(sig["trunk_dir"], p), at(sig["trunk_dir"], s))),
        "trunk_roll_deg": nan_round(S.roll_deg(S.around(sig["shoulder_line"], s), S.around(sig["shoulder_line"], p))),
        "hip_flexion_deg": nan_round(at(sig["forward_deg"], p) - at(sig["forward_deg"], s)),
        "toe_rise_ratio": nan_round(at(sig["toe_rise"], p), 2),
        "duration_s": round(movement_s(sig[check.primary], t, seg, check.segmenter), 2),
        "side": "left" if at(sig["working_left"], p) > 0.5 else "right",  # the leg that lifts
    }


def rep_faults(m: dict, check: ExerciseCheck, opts: CheckOptions) -> list[str]:
    th = check.thresholds
    faults = []
    if (m["hip_flexion_deg"] or 0) > th["hip_flexion_deg"]:
        faults.append("hip_flexion")
    if (m["toe_rise_ratio"] or 0) > th["toes_up_ratio"]:
        faults.append("toes_up")
    if (m["trunk_roll_deg"] or 0) > th["trunk_roll_deg"]:
        faults.append("trunk_roll")
    if (m["abduction_deg"] or 0) > th["max_abduction_deg"] or (m["trunk_bend_deg"] or 0) > th["trunk_bend_deg"]:
        faults.append("excess_range")
    if m["duration_s"] < th["min_duration_s"]:
        faults.append("rushed")
    return faults


def make(exercise_id: str, config: MotionConfig | None = None) -> ExerciseCheck:
    config = config or motion_config()
    cfg = config.checks.leg_raise
    return ExerciseCheck(
        exercise_id=exercise_id,
        family="leg_raise",
        mode="reps",
        views=("front", "side"),
        required=("shoulder", "hip", "knee", "ankle"),
        primary="abduction",
        primary_label="leg",
        segmenter=segmenter_settings(cfg.segmenter),
        hold=None,
        thresholds=asdict(cfg.thresholds),
        make_signals=make_signals,
        max_trunk_incline_deg=cfg.max_trunk_incline_deg,
        choose_layout=partial(choose_layout, config=config),
        rep_metrics=rep_metrics,
        rep_faults=rep_faults,
        faults=("hip_flexion", "toes_up", "trunk_roll", "excess_range", "rushed"),
    )
