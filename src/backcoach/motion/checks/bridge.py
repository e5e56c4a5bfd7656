"""Bridges, filmed from the side: the shoulder-hip-knee line should straighten and hold.

A single-leg bridge can also be filmed from the feet end, the only view in which the
pelvis dropping to the side of the lifted leg lies in the picture (``pelvis_drop``).
"""

from __future__ import annotations

import math
from functools import partial

import numpy as np

from .. import signals as S
from ..config import MotionConfig, motion_config
from ..landmarks import LandmarkSequence, side_landmark
from .base import (
    CheckOptions,
    ExerciseCheck,
    Finding,
    above,
    at,
    below,
    feet_variant,
    line_tilt,
    nan_round,
    repetition_check,
    tilt_against_start,
    timing_metrics,
    top_phase,
    with_feet_variant,
    with_hold_and_tempo,
)

# Numbers: catalog/motion.yaml, ``checks.bridge``.


def choose_layout(seq: LandmarkSequence, config: MotionConfig) -> dict:
    side = S.facing_side(seq)
    knee = {s: np.nanmedian(S.angle(S.point(seq, "hip", s), S.point(seq, "knee", s), S.point(seq, "ankle", s)))
            for s in ("left", "right")}
    leg = side
    gap = config.checks.bridge.supporting_leg_knee_gap_deg
    if all(np.isfinite(v) for v in knee.values()) and abs(knee["left"] - knee["right"]) > gap:
        leg = min(knee, key=knee.get)  # the bent, supporting leg carries the bridge
    return {"side": side, "leg": leg}


def make_signals(seq: LandmarkSequence, layout: dict, config: MotionConfig) -> dict:
    side, leg = layout["side"], layout["leg"]
    sh, hp = S.point(seq, "shoulder", side), S.point(seq, "hip", side)
    kn, an = S.point(seq, "knee", leg), S.point(seq, "ankle", leg)
    knee = S.angle(hp, kn, an)
    working_left = np.full(len(seq), 1.0 if leg == "left" else 0.0)
    hip = S.straightness(sh, hp, kn)
    with np.errstate(invalid="ignore"):
        # a bridge is done with the foot planted and the knee bent; a straight knee means
        # the person is getting up or moving about, which must not count as a repetition
        hip = np.where(knee > config.checks.bridge.thresholds.bridge_max_knee_deg, np.nan, hip)
    return {"hip_angle": hip, "knee_angle": knee, "working_left": working_left}


def frame_value(points: list[tuple[float, float]], layout: dict, config: MotionConfig) -> float:
    """`make_signals`' hip_angle of one frame in plain floats (`ExerciseCheck.frame_value`):
    what the live stream counts on every frame (bench_live's server CPU per frame)."""
    side, leg = layout["side"], layout["leg"]
    sh, hp = points[side_landmark("shoulder", side)], points[side_landmark("hip", side)]
    kn, an = points[side_landmark("knee", leg)], points[side_landmark("ankle", leg)]
    if S.angle_of(hp, kn, an) > config.checks.bridge.thresholds.bridge_max_knee_deg:
        return math.nan
    return S.straightness_of(sh, hp, kn)


def rep_metrics(sig: dict, t: np.ndarray, seg, check: ExerciseCheck) -> dict:
    out = {
        "peak_hip_angle_deg": nan_round(seg.peak_value),
        "start_hip_angle_deg": nan_round(seg.rest),
        "knee_angle_at_top_deg": nan_round(at(sig["knee_angle"], seg.peak)),
        "pelvis_drop_deg": None,  # not seen from the side: the feet-end view measures it
        **timing_metrics(sig["hip_angle"], t, seg, check),
    }
    if check.exercise_id == "single_leg_glute_bridge":
        out["side"] = "left" if at(sig["working_left"], seg.peak) > 0.5 else "right"  # the leg on the floor
    return out


def bridge_findings(m: dict, check: ExerciseCheck, opts: CheckOptions, *, lowest_hip_deg: float | None,
                    highest_hip_deg: float | None, check_pelvis: bool) -> list[Finding]:
    """The bridge family's rules on one repetition's metrics (shared with the marching bridge,
    which judges extension on the supporting leg's lowest hip angle)."""
    th = check.thresholds
    findings = [
        below("incomplete_extension", lowest_hip_deg, th["straight_min_deg"], "deg", "shoulder-hip-knee angle at the top"),
        above("lumbar_hyperextension", highest_hip_deg, th["arch_deg"], "deg", "shoulder-hip-knee angle at the top"),
    ]
    findings = with_hold_and_tempo(findings, m, opts, check)
    knee = m.get("knee_angle_at_top_deg")
    off = None if knee is None else abs(knee - th["knee_target_deg"])
    findings.append(above("feet_position", off, th["knee_tolerance_deg"], "deg",
                          f"knee angle at the top, away from {th['knee_target_deg']:g} degrees"))
    if check_pelvis:
        findings.append(above("pelvis_drop", m.get("pelvis_drop_deg"), th["pelvis_drop_deg"], "deg",
                              "hip line tilted since the start (seen from the feet end)"))
    return findings


def judge(m: dict, check: ExerciseCheck, opts: CheckOptions) -> list[Finding]:
    peak = m.get("peak_hip_angle_deg")
    return bridge_findings(m, check, opts, lowest_hip_deg=peak, highest_hip_deg=peak,
                           check_pelvis=check.exercise_id == "single_leg_glute_bridge")


# ---------------------------------------------------------------- from the feet end


def hips_and_tilt(seq: LandmarkSequence) -> dict:
    """Seen from the feet end: the hip line's tilt, and how high the hips are above the
    shoulders (an angle: the rise over the hip width, both in the picture)."""
    lh, rh = S.point(seq, "hip", "left"), S.point(seq, "hip", "right")
    width = np.linalg.norm(rh - lh, axis=-1)
    rise = S.midpoint(seq, "shoulder")[:, 1] - S.midpoint(seq, "hip")[:, 1]  # image y points down
    with np.errstate(invalid="ignore"):
        return {"hip_rise": np.degrees(np.arctan2(rise, width)), "pelvis_tilt": line_tilt(lh, rh)}


def feet_signals(seq: LandmarkSequence, layout: dict) -> dict:
    sig = hips_and_tilt(seq)
    # the foot on the floor is the lower one in the picture (the lifted leg points up at the camera)
    ankle_y = {s: S.point(seq, "ankle", s)[:, 1] for s in ("left", "right")}
    sig["working_left"] = (np.nan_to_num(ankle_y["left"], nan=-1.0) >= np.nan_to_num(ankle_y["right"], nan=-1.0)).astype(float)
    return sig


def feet_metrics(sig: dict, t: np.ndarray, seg, check: ExerciseCheck) -> dict:
    top = top_phase(sig["hip_rise"], seg, check.thresholds["hold_band_deg"])
    out = {
        "peak_hip_rise_deg": nan_round(seg.peak_value),
        "start_hip_rise_deg": nan_round(seg.rest),
        "peak_hip_angle_deg": None, "knee_angle_at_top_deg": None,  # side-view measures
        "pelvis_drop_deg": tilt_against_start(sig["pelvis_tilt"], t, seg, top, check),
        **timing_metrics(sig["hip_rise"], t, seg, check),
    }
    if check.exercise_id == "single_leg_glute_bridge":
        out["side"] = "left" if at(sig["working_left"], seg.peak) > 0.5 else "right"
    return out


def make(exercise_id: str, config: MotionConfig | None = None) -> ExerciseCheck:
    config = config or motion_config()
    cfg = config.checks.bridge
    check = repetition_check(
        exercise_id, "bridge", "bridge", cfg, config, views=("side",),
        required=("shoulder", "hip", "knee", "ankle"), primary="hip_angle", primary_label="hip",
        make_signals=partial(make_signals, config=config), choose_layout=partial(choose_layout, config=config),
        frame_value=partial(frame_value, config=config), rep_metrics=rep_metrics, judge=judge,
        faults=("incomplete_extension", "lumbar_hyperextension", "no_hold", "rushed", "feet_position")
        + (("pelvis_drop",) if exercise_id == "single_leg_glute_bridge" else ()),
    )
    if exercise_id != "single_leg_glute_bridge":
        return check  # nothing the feet end can judge: its one fault (pelvis_drop) is the single-leg bridge's
    variant = feet_variant(check, cfg.feet_view.segmenter, primary="hip_rise", primary_label="hips",
                           make_signals=feet_signals, rep_metrics=feet_metrics)
    return with_feet_variant(check, variant)
