"""Bridges, filmed from the side: the shoulder-hip-knee line should straighten and hold."""

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
    below,
    hold_finding,
    median_or_none,
    nan_round,
    phase_times,
    segmenter_settings,
    tempo_findings,
    top_hold_s,
    top_phase,
)

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
    tilt = sig["pelvis_tilt"][top_phase(sig["hip_angle"], seg, th["hold_band_deg"])]
    out = {
        "peak_hip_angle_deg": nan_round(seg.peak_value),
        "start_hip_angle_deg": nan_round(seg.rest),
        "hold_s": round(hold, 2),
        "knee_angle_at_top_deg": nan_round(at(sig["knee_angle"], seg.peak)),
        "duration_s": round(float(t[seg.end] - t[seg.start]), 2),
        "pelvis_drop_deg": median_or_none(tilt),
        **{k: (None if v is None else round(v, 2)) for k, v in phase_times(sig["hip_angle"], t, seg, check.segmenter).items()},
    }
    if check.exercise_id == "single_leg_glute_bridge":
        out["side"] = "left" if at(sig["working_left"], seg.peak) > 0.5 else "right"  # the leg on the floor
    return out


def bridge_findings(m: dict, th: dict, opts: CheckOptions, *, lowest_hip_deg: float | None,
                    highest_hip_deg: float | None, check_pelvis: bool) -> list[Finding]:
    """The bridge family's rules on one repetition's metrics (shared with the marching bridge,
    which judges extension on the supporting leg's lowest hip angle)."""
    findings = [
        below("incomplete_extension", lowest_hip_deg, th["straight_min_deg"], "deg", "shoulder-hip-knee angle at the top"),
        above("lumbar_hyperextension", highest_hip_deg, th["arch_deg"], "deg", "shoulder-hip-knee angle at the top"),
    ]
    hold = hold_finding(m, opts)
    if hold is not None:
        findings.append(hold)
    findings += tempo_findings(m, opts)
    knee = m["knee_angle_at_top_deg"]
    off = None if knee is None else abs(knee - th["knee_target_deg"])
    findings.append(above("feet_position", off, th["knee_tolerance_deg"], "deg",
                          f"knee angle at the top, away from {th['knee_target_deg']:g} degrees"))
    if check_pelvis:
        findings.append(above("pelvis_drop", m.get("pelvis_drop_deg"), th["pelvis_drop_deg"], "deg",
                              "hip line tilted against the shoulder line"))
    return findings


def judge(m: dict, check: ExerciseCheck, opts: CheckOptions) -> list[Finding]:
    peak = m["peak_hip_angle_deg"]
    return bridge_findings(m, check.thresholds, opts, lowest_hip_deg=peak, highest_hip_deg=peak,
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
        judge=judge,
        rules=config.rules["bridge"],
        limits=config.limits["bridge"],
        rule_group="bridge",
        faults=("incomplete_extension", "lumbar_hyperextension", "no_hold", "rushed", "feet_position")
        + (("pelvis_drop",) if exercise_id == "single_leg_glute_bridge" else ()),
    )
