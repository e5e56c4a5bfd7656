"""Marching bridge, filmed from the side: hold the bridge and lift one foot at a time.

Each foot lift is one repetition (catalog: "each lift is one repetition for that side").
The counted signal is the angle between the two thighs, which opens when one knee comes
up and stays near zero while both feet are down, including while the hips go up or down.
The bridge itself is judged on the supporting leg during each lift.
"""

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
    at,
    median_or_none,
    nan_round,
    phase_times,
    segmenter_settings,
    top_hold_s,
    top_phase,
)
from .bridge import bridge_findings

# Numbers: catalog/motion.yaml, ``checks.marching_bridge`` (and ``view.both_hips_visible_ratio``).


def choose_layout(seq: LandmarkSequence) -> dict:
    return {"side": S.facing_side(seq)}


def make_signals(seq: LandmarkSequence, layout: dict, config: MotionConfig) -> dict:
    side = layout["side"]
    sh = S.point(seq, "shoulder", side)
    hp = S.point(seq, "hip", side)
    thigh = {s: S.point(seq, "knee", s) - S.point(seq, "hip", s) for s in ("left", "right")}
    hip_line = {s: S.straightness(sh, hp, S.point(seq, "knee", s)) for s in ("left", "right")}
    knee = {s: S.angle(S.point(seq, "hip", s), S.point(seq, "knee", s), S.point(seq, "ankle", s)) for s in ("left", "right")}
    ankle_y = {s: S.point(seq, "ankle", s)[:, 1] for s in ("left", "right")}
    left_up = np.nan_to_num(ankle_y["left"], nan=np.inf) < np.nan_to_num(ankle_y["right"], nan=np.inf)
    support = np.where(left_up, hip_line["right"], hip_line["left"])  # the leg still on the floor
    support_knee = np.where(left_up, knee["right"], knee["left"])
    opening = S.vector_angle(thigh["left"], thigh["right"])
    with np.errstate(invalid="ignore"):
        in_bridge = np.fmax(hip_line["left"], hip_line["right"]) >= config.checks.marching_bridge.thresholds.in_bridge_min_deg
    lr = S.point(seq, "hip", "right") - S.point(seq, "hip", "left")
    ls = S.point(seq, "shoulder", "right") - S.point(seq, "shoulder", "left")
    visible = S.width_ratio(seq) > config.view.both_hips_visible_ratio
    return {
        "thigh_opening": np.where(in_bridge, opening, np.nan),
        "support_hip_angle": support,
        "support_knee_angle": support_knee,
        "left_up": left_up.astype(float),
        "pelvis_tilt": np.where(visible, np.abs(S.vector_angle(lr, ls)), np.nan),
    }


def rep_metrics(sig: dict, t: np.ndarray, seg, check: ExerciseCheck) -> dict:
    th = check.thresholds
    win = slice(seg.start, seg.end + 1)
    support = sig["support_hip_angle"][win]
    tilt = sig["pelvis_tilt"][top_phase(sig["thigh_opening"], seg, th["hold_band_deg"])]
    return {
        "side": "left" if at(sig["left_up"], seg.peak) > 0.5 else "right",
        "lift_angle_deg": nan_round(seg.peak_value),
        "hold_s": round(top_hold_s(sig["thigh_opening"], t, seg, th["hold_band_deg"]), 2),
        "support_hip_angle_deg": nan_round(float(np.nanmin(support))) if np.isfinite(support).any() else None,
        "peak_hip_angle_deg": nan_round(float(np.nanmax(support))) if np.isfinite(support).any() else None,
        "knee_angle_at_top_deg": nan_round(at(sig["support_knee_angle"], seg.peak)),
        "duration_s": round(float(t[seg.end] - t[seg.start]), 2),
        "pelvis_drop_deg": median_or_none(tilt),
        **{k: (None if v is None else round(v, 2)) for k, v in phase_times(sig["thigh_opening"], t, seg, check.segmenter).items()},
    }


def judge(m: dict, check: ExerciseCheck, opts: CheckOptions) -> list[Finding]:
    # incomplete_extension here means the hips sank while the foot was up
    return bridge_findings(m, check.thresholds, opts, lowest_hip_deg=m["support_hip_angle_deg"],
                           highest_hip_deg=m["peak_hip_angle_deg"], check_pelvis=True)


def make(exercise_id: str, config: MotionConfig | None = None) -> ExerciseCheck:
    config = config or motion_config()
    cfg = config.checks.marching_bridge
    return ExerciseCheck(
        exercise_id=exercise_id,
        family="bridge",
        mode="reps",
        views=("side",),
        required=("shoulder", "hip", "knee", "ankle"),
        primary="thigh_opening",
        primary_label="foot lift",
        segmenter=segmenter_settings(cfg.segmenter),
        hold=None,
        thresholds=asdict(cfg.thresholds),
        make_signals=partial(make_signals, config=config),
        choose_layout=choose_layout,
        rep_metrics=rep_metrics,
        judge=judge,
        rules=config.rules["marching_bridge"],
        limits=config.limits["marching_bridge"],
        rule_group="marching_bridge",
        faults=("incomplete_extension", "lumbar_hyperextension", "no_hold", "rushed", "feet_position", "pelvis_drop"),
        max_trunk_incline_deg=cfg.max_trunk_incline_deg,
    )
