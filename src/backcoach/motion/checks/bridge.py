"""Bridges, filmed from the side: the shoulder-hip-knee line should straighten and hold."""

from __future__ import annotations

from dataclasses import asdict
from functools import partial

import numpy as np

from .. import signals as S
from ..config import MotionConfig, motion_config
from ..landmarks import LandmarkSequence
from .base import CheckOptions, ExerciseCheck, at, movement_s, nan_round, segmenter_settings, top_hold_s

# Numbers: catalog/motion.yaml, ``checks.bridge`` (and ``view.both_hips_visible_ratio``).


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
    lh, rh = S.point(seq, "hip", "left"), S.point(seq, "hip", "right")
    ls, rs = S.point(seq, "shoulder", "left"), S.point(seq, "shoulder", "right")
    pelvis_tilt = np.abs(S.vector_angle(rh - lh, rs - ls))
    visible = S.width_ratio(seq) > config.view.both_hips_visible_ratio
    knee = S.angle(hp, kn, an)
    working_left = np.full(len(seq), 1.0 if leg == "left" else 0.0)
    hip = S.straightness(sh, hp, kn)
    with np.errstate(invalid="ignore"):
        # a bridge is done with the foot planted and the knee bent; a straight knee means
        # the person is getting up or moving about, which must not count as a repetition
        hip = np.where(knee > config.checks.bridge.thresholds.bridge_max_knee_deg, np.nan, hip)
    return {"hip_angle": hip, "knee_angle": knee, "pelvis_tilt": np.where(visible, pelvis_tilt, np.nan),
            "working_left": working_left}


def rep_metrics(sig: dict, t: np.ndarray, seg, check: ExerciseCheck) -> dict:
    th = check.thresholds
    hold = top_hold_s(sig["hip_angle"], t, seg, th["hold_band_deg"])
    duration = movement_s(sig["hip_angle"], t, seg, check.segmenter)
    tilt = sig["pelvis_tilt"][seg.start : seg.end + 1]
    out = {
        "peak_hip_angle_deg": nan_round(seg.peak_value),
        "start_hip_angle_deg": nan_round(seg.rest),
        "hold_s": round(hold, 2),
        "knee_angle_at_top_deg": nan_round(at(sig["knee_angle"], seg.peak)),
        "duration_s": round(duration, 2),
        "pelvis_drop_deg": nan_round(float(np.nanmax(tilt))) if np.isfinite(tilt).any() else None,
    }
    if check.exercise_id == "single_leg_glute_bridge":
        out["side"] = "left" if at(sig["working_left"], seg.peak) > 0.5 else "right"  # the leg on the floor
    return out


def bridge_faults(m: dict, th: dict, opts: CheckOptions, *, lowest_hip_deg: float | None,
                  highest_hip_deg: float | None, check_pelvis: bool) -> list[str]:
    """The bridge family's faults from one repetition's metrics (shared with the marching bridge,
    which judges extension on the supporting leg's lowest hip angle)."""
    faults = []
    if lowest_hip_deg is not None and lowest_hip_deg < th["straight_min_deg"]:
        faults.append("incomplete_extension")
    if highest_hip_deg is not None and highest_hip_deg > th["arch_deg"]:
        faults.append("lumbar_hyperextension")
    if m["hold_s"] < opts.hold_target_s * opts.hold_tolerance:
        faults.append("no_hold")
    if m["duration_s"] - m["hold_s"] < th["min_move_s"]:
        faults.append("rushed")
    knee = m["knee_angle_at_top_deg"]
    if knee is not None and abs(knee - th["knee_target_deg"]) > th["knee_tolerance_deg"]:
        faults.append("feet_position")
    if check_pelvis and (m.get("pelvis_drop_deg") or 0) > th["pelvis_drop_deg"]:
        faults.append("pelvis_drop")
    return faults


def rep_faults(m: dict, check: ExerciseCheck, opts: CheckOptions) -> list[str]:
    peak = m["peak_hip_angle_deg"]
    return bridge_faults(m, check.thresholds, opts, lowest_hip_deg=peak, highest_hip_deg=peak,
                         check_pelvis=check.exercise_id == "single_leg_glute_bridge")


def make(exercise_id: str, config: MotionConfig | None = None) -> ExerciseCheck:
    config = config or motion_config()
    cfg = config.checks.bridge
    return ExerciseCheck(
        exercise_id=exercise_id,
        family="bridge",
        mode="reps",
        views=("side",),
        required=("shoulder", "hip", "knee", "ankle"),
        primary="hip_angle",
        primary_label="hip",
        segmenter=segmenter_settings(cfg.segmenter),
        hold=None,
        thresholds=asdict(cfg.thresholds),
        make_signals=partial(make_signals, config=config),
        max_trunk_incline_deg=cfg.max_trunk_incline_deg,
        choose_layout=partial(choose_layout, config=config),
        rep_metrics=rep_metrics,
        rep_faults=rep_faults,
        faults=("incomplete_extension", "lumbar_hyperextension", "no_hold", "rushed", "feet_position")
        + (("pelvis_drop",) if exercise_id == "single_leg_glute_bridge" else ()),
    )
