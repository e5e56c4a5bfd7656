"""Side-lying leg raises, filmed from the front (or the feet): the top leg lifts in line with the trunk."""

from __future__ import annotations

from dataclasses import asdict
from functools import partial

import numpy as np

from .. import signals as S
from ..config import MotionConfig, motion_config
from ..landmarks import LandmarkSequence
from .base import (
    CheckOptions,
    ExerciseCheck,
    Finding,
    above,
    at,
    median_or_none,
    nan_round,
    phase_times,
    segmenter_settings,
    tempo_findings,
    top_hold_s,
    top_phase,
)

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
    msh, mhp = S.midpoint(seq, "shoulder"), S.midpoint(seq, "hip")
    hp, kn, an = S.point(seq, "hip", leg), S.point(seq, "knee", leg), S.point(seq, "ankle", leg)
    heel, toe = S.point(seq, "heel", leg), S.point(seq, "foot_index", leg)
    trunk = mhp - msh
    trunk_len = np.linalg.norm(trunk, axis=-1)
    leg_v = an - hp
    shin = np.linalg.norm(kn - an, axis=-1)
    shoulders = S.point(seq, "shoulder", "left") - S.point(seq, "shoulder", "right")
    with np.errstate(invalid="ignore", divide="ignore"):
        return {
            "abduction": S.vector_angle(trunk, leg_v),
            "trunk_dir": _dir(trunk),
            "shoulder_line": np.linalg.norm(shoulders, axis=-1) / trunk_len,
            "toe_rise": (heel[..., 1] - toe[..., 1]) / shin,
            "working_left": np.full(len(seq), 1.0 if leg == "left" else 0.0),
        }


def _turn(a: float, b: float) -> float:
    return abs((a - b + 180.0) % 360.0 - 180.0)


def rep_metrics(sig: dict, t: np.ndarray, seg, check: ExerciseCheck) -> dict:
    p, s = seg.peak, seg.start
    top = top_phase(sig["abduction"], seg, check.thresholds["hold_band_deg"])
    return {
        "abduction_deg": nan_round(seg.peak_value),
        "start_abduction_deg": nan_round(seg.rest),
        "trunk_bend_deg": nan_round(_turn(at(sig["trunk_dir"], p), at(sig["trunk_dir"], s))),
        "trunk_roll_deg": nan_round(S.roll_against_start(sig["shoulder_line"], S.start_window(t, s), top)),
        # forward drift of the leg lies in depth from the front: not measured (the pose
        # model's depth guess is not trusted); the rule needs a view from the feet
        "hip_flexion_deg": None,
        "toe_rise_ratio": median_or_none(sig["toe_rise"][top], 2),
        "hold_s": round(top_hold_s(sig["abduction"], t, seg, check.thresholds["hold_band_deg"]), 2),
        "duration_s": round(float(t[seg.end] - t[seg.start]), 2),
        **{k: (None if v is None else round(v, 2)) for k, v in phase_times(sig["abduction"], t, seg, check.segmenter).items()},
        "side": "left" if at(sig["working_left"], p) > 0.5 else "right",  # the leg that lifts
    }


def judge(m: dict, check: ExerciseCheck, opts: CheckOptions) -> list[Finding]:
    th = check.thresholds
    excess = above("excess_range", m["abduction_deg"], th["max_abduction_deg"], "deg", "leg lift at the top")
    bend = above("excess_range", m["trunk_bend_deg"], th["trunk_bend_deg"], "deg", "trunk side-bending")
    findings = [
        above("hip_flexion", m["hip_flexion_deg"], th["hip_flexion_deg"], "deg", "leg swung forward of the trunk line"),
        above("toes_up", m["toe_rise_ratio"], th["toes_up_ratio"], "shin lengths", "toes raised above the heel"),
        above("trunk_roll", m["trunk_roll_deg"], th["trunk_roll_deg"], "deg", "shoulders turned since the start"),
        bend if bend.status == "fault" and excess.status != "fault" else excess,
    ]
    return findings + tempo_findings(m, opts)


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
        judge=judge,
        rules=config.rules["leg_raise"],
        limits=config.limits["leg_raise"],
        rule_group="leg_raise",
        faults=("hip_flexion", "toes_up", "trunk_roll", "excess_range", "rushed"),
    )
