"""Marching bridge, filmed from the side: hold the bridge and lift one foot at a time.

Each foot lift is one repetition (catalog: "each lift is one repetition for that side").
The counted signal is the angle between the two thighs, which opens when one knee comes
up and stays near zero while both feet are down, including while the hips go up or down.
The bridge itself is judged on the supporting leg during each lift. From the feet end, the
lifts are counted from one knee rising above the other, and the pelvis dropping to the
side of the lifted foot is judged (``pelvis_drop``).
"""

from __future__ import annotations

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
    feet_variant,
    nan_round,
    repetition_check,
    tilt_against_start,
    timing_metrics,
    top_phase,
    with_feet_variant,
)
from .bridge import bridge_findings, hips_and_tilt

# Numbers: catalog/motion.yaml, ``checks.marching_bridge``.


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
    return {
        "thigh_opening": np.where(in_bridge, opening, np.nan),
        "support_hip_angle": support,
        "support_knee_angle": support_knee,
        "left_up": left_up.astype(float),
    }


def rep_metrics(sig: dict, t: np.ndarray, seg, check: ExerciseCheck) -> dict:
    support = sig["support_hip_angle"][seg.start : seg.end + 1]
    seen = np.isfinite(support).any()
    return {
        "side": "left" if at(sig["left_up"], seg.peak) > 0.5 else "right",
        "lift_angle_deg": nan_round(seg.peak_value),
        "support_hip_angle_deg": nan_round(float(np.nanmin(support))) if seen else None,
        "peak_hip_angle_deg": nan_round(float(np.nanmax(support))) if seen else None,
        "knee_angle_at_top_deg": nan_round(at(sig["support_knee_angle"], seg.peak)),
        "pelvis_drop_deg": None,  # not seen from the side: the feet-end view measures it
        **timing_metrics(sig["thigh_opening"], t, seg, check),
    }


def judge(m: dict, check: ExerciseCheck, opts: CheckOptions) -> list[Finding]:
    # incomplete_extension here means the hips sank while the foot was up
    return bridge_findings(m, check, opts, lowest_hip_deg=m.get("support_hip_angle_deg"),
                           highest_hip_deg=m.get("peak_hip_angle_deg"), check_pelvis=True)


# ---------------------------------------------------------------- from the feet end


def feet_signals(seq: LandmarkSequence, layout: dict) -> dict:
    """One knee rising above the other in the picture (an angle: the height difference over
    the hip width), and the hip line's tilt."""
    sig = hips_and_tilt(seq)
    lk, rk = S.point(seq, "knee", "left")[:, 1], S.point(seq, "knee", "right")[:, 1]
    width = np.linalg.norm(S.point(seq, "hip", "right") - S.point(seq, "hip", "left"), axis=-1)
    with np.errstate(invalid="ignore"):
        sig["knee_rise"] = np.degrees(np.arctan2(np.abs(lk - rk), width))
        sig["left_up"] = (lk < rk).astype(float)  # image y points down
    return sig


def feet_metrics(sig: dict, t: np.ndarray, seg, check: ExerciseCheck) -> dict:
    top = top_phase(sig["knee_rise"], seg, check.thresholds["hold_band_deg"])
    return {
        "side": "left" if at(sig["left_up"], seg.peak) > 0.5 else "right",
        "knee_rise_deg": nan_round(seg.peak_value),
        "support_hip_angle_deg": None, "peak_hip_angle_deg": None, "knee_angle_at_top_deg": None,  # side-view measures
        "pelvis_drop_deg": tilt_against_start(sig["pelvis_tilt"], t, seg, top, check),
        **timing_metrics(sig["knee_rise"], t, seg, check),
    }


def make(exercise_id: str, config: MotionConfig | None = None) -> ExerciseCheck:
    config = config or motion_config()
    cfg = config.checks.marching_bridge
    check = repetition_check(
        exercise_id, "bridge", "marching_bridge", cfg, config, views=("side",),
        required=("shoulder", "hip", "knee", "ankle"), primary="thigh_opening", primary_label="foot lift",
        make_signals=partial(make_signals, config=config), choose_layout=choose_layout,
        rep_metrics=rep_metrics, judge=judge,
        faults=("incomplete_extension", "lumbar_hyperextension", "no_hold", "rushed", "feet_position", "pelvis_drop"),
    )
    variant = feet_variant(check, cfg.feet_view.segmenter, primary="knee_rise", primary_label="knee lift",
                           make_signals=feet_signals, rep_metrics=feet_metrics)
    return with_feet_variant(check, variant)
