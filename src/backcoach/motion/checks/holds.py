"""Timed holds: side planks (front view) and the bird dog's reach (side view).

A hold is a stretch of time in the exercise position; its length is the hold time.
Faults are judged over the whole hold, not one frame, so a wobble does not count.
"""

from __future__ import annotations

from dataclasses import asdict

import numpy as np

from .. import signals as S
from ..config import MotionConfig, motion_config
from ..landmarks import LandmarkSequence
from .base import CheckOptions, ExerciseCheck, Finding, above, hold_finding, hold_settings, median_or_none, nan_round

# Numbers: catalog/motion.yaml, ``checks.hold`` and ``segmentation.hold``.


def choose_layout(seq: LandmarkSequence) -> dict:
    return {"side": S.facing_side(seq)}


def _elevation(base_a: np.ndarray, base_b: np.ndarray, tip: np.ndarray) -> np.ndarray:
    """Angle (deg) of b->tip above the a->b line extended, positive upwards in the picture."""
    off = S.offset_from_line(tip, base_a, base_b)
    length = np.linalg.norm(tip - base_b, axis=-1)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.degrees(np.arcsin(np.clip(off / length, -1.0, 1.0)))


def plank_signals(seq: LandmarkSequence, layout: dict, end: str) -> dict:
    """Body line of the supporting (lower) side: shoulder, hip and foot (or knee) on the floor."""
    pts = {s: (S.point(seq, "shoulder", s), S.point(seq, "hip", s), S.point(seq, end, s)) for s in ("left", "right")}
    lower = np.nan_to_num(pts["left"][1][:, 1], nan=-1.0) >= np.nan_to_num(pts["right"][1][:, 1], nan=-1.0)
    sh, hp, ft = (np.where(lower[:, None], a, b) for a, b in zip(pts["left"], pts["right"]))
    torso = np.linalg.norm(sh - hp, axis=-1)
    with np.errstate(invalid="ignore", divide="ignore"):
        lift = (ft[:, 1] - hp[:, 1]) / torso
    return {"body_line": S.straightness(sh, hp, ft), "incline": S.incline(ft, sh), "hip_lift": lift}


def plank_in_position(sig: dict, check: ExerciseCheck) -> np.ndarray:
    th = check.thresholds
    inc, line = sig["incline"], sig["body_line"]
    with np.errstate(invalid="ignore"):
        return ((inc >= th["plank_min_incline_deg"]) & (inc <= th["plank_max_incline_deg"])
                & (line >= th["plank_min_line_deg"]) & (sig["hip_lift"] >= th["plank_min_hip_lift"]))


def plank_metrics(sig: dict, t: np.ndarray, seg, check: ExerciseCheck) -> dict:
    line = sig["body_line"][seg.start : seg.end + 1]
    sag = 180.0 - line
    frac = float(np.mean(sag > check.thresholds["sag_deg"])) if len(sag) else 0.0
    return {
        "hold_s": round(float(t[seg.end] - t[seg.start]), 2),
        "median_hip_sag_deg": nan_round(float(np.nanmedian(sag))) if np.isfinite(sag).any() else None,
        "sag_share": round(frac, 2),
    }


def plank_judge(m: dict, check: ExerciseCheck, opts: CheckOptions) -> list[Finding]:
    findings = [above("hip_sag", m["sag_share"], check.thresholds["fault_fraction"], "share of the hold",
                      "time with the hips sagging")]
    hold = hold_finding(m, opts)
    return findings + ([hold] if hold is not None else [])


def _limbs(seq: LandmarkSequence) -> dict:
    out = {}
    for s in ("left", "right"):
        sh, hp = S.point(seq, "shoulder", s), S.point(seq, "hip", s)
        out[f"arm_{s}"] = S.angle(hp, sh, S.point(seq, "wrist", s))
        out[f"leg_{s}"] = np.minimum(S.angle(sh, hp, S.point(seq, "knee", s)),
                                     S.angle(hp, S.point(seq, "knee", s), S.point(seq, "ankle", s)))
        out[f"lift_{s}"] = _elevation(sh, hp, S.point(seq, "ankle", s))
    out["trunk_incline"] = S.incline(S.midpoint(seq, "shoulder"), S.midpoint(seq, "hip"))
    # positive when the hips are lower than the shoulders (image y points down)
    msh, mhp = S.midpoint(seq, "shoulder"), S.midpoint(seq, "hip")
    out["hip_drop"] = np.where(mhp[:, 1] > msh[:, 1], out["trunk_incline"], -out["trunk_incline"])
    return out


def limb_signals(seq: LandmarkSequence, layout: dict) -> dict:
    sig = _limbs(seq)
    # the pair that is most extended: opposite arm and leg
    pair_lr = np.minimum(sig["arm_left"], sig["leg_right"])
    pair_rl = np.minimum(sig["arm_right"], sig["leg_left"])
    sig["extension"] = np.fmax(pair_lr, pair_rl)
    use_left_leg = np.nan_to_num(pair_rl) > np.nan_to_num(pair_lr)
    sig["leg_lift"] = np.where(use_left_leg, sig["lift_left"], sig["lift_right"])
    return sig


def limb_in_position(sig: dict, check: ExerciseCheck) -> np.ndarray:
    th = check.thresholds
    with np.errstate(invalid="ignore"):
        return (sig["extension"] >= th["limb_straight_deg"]) & (sig["trunk_incline"] <= th["trunk_max_incline_deg"])


def limb_metrics(sig: dict, t: np.ndarray, seg, check: ExerciseCheck) -> dict:
    th = check.thresholds
    win = slice(seg.start, seg.end + 1)
    lift = sig["leg_lift"][win]
    # the trunk against the person's own start on all fours (before the reach; when the
    # recording starts mid-reach, the first half second of the hold)
    before = check.start_window(t, seg.start)
    base = sig["hip_drop"][before.start:seg.start]
    if np.isfinite(base).sum() < 2:
        base = sig["hip_drop"][seg.start : int(np.searchsorted(t, t[seg.start] + 0.5)) + 1]
    base_v = median_or_none(base)
    during = median_or_none(sig["hip_drop"][win])
    return {
        "hold_s": round(float(t[seg.end] - t[seg.start]), 2),
        "median_leg_lift_deg": median_or_none(lift),
        "lift_share_high": round(float(np.mean(lift > th["bird_dog_lift_deg"])), 2),
        "trunk_drop_deg": None if base_v is None or during is None else round(during - base_v, 1),
    }


def bird_dog_judge(m: dict, check: ExerciseCheck, opts: CheckOptions) -> list[Finding]:
    th = check.thresholds
    findings = [
        above("lumbar_hyperextension", m["lift_share_high"], th["fault_fraction"], "share of the hold",
              "time with the leg lifted above the trunk"),
        above("hip_sag", m["trunk_drop_deg"], th["bird_dog_hip_drop_deg"], "deg",
              "trunk tipped towards the hips since the start"),
    ]
    hold = hold_finding(m, opts)
    return findings + ([hold] if hold is not None else [])


def make(exercise_id: str, config: MotionConfig | None = None) -> ExerciseCheck:
    config = config or motion_config()
    thresholds = asdict(config.checks.hold.thresholds)
    if exercise_id.startswith("side_plank"):
        end = "knee" if exercise_id == "side_plank_knees" else "ankle"
        return ExerciseCheck(
            exercise_id=exercise_id, family="hold", mode="hold", views=("front", "side"),
            required=("shoulder", "hip", end), primary="body_line", primary_label="body line",
            segmenter=None, hold=hold_settings(config), thresholds=dict(thresholds),
            make_signals=lambda seq, layout: plank_signals(seq, layout, end), choose_layout=choose_layout,
            rep_metrics=plank_metrics, judge=plank_judge, in_position=plank_in_position,
            faults=("hip_sag", "no_hold"), rules=config.rules["side_plank"], limits=config.limits["side_plank"],
            rule_group="side_plank", config=config,
        )
    return ExerciseCheck(
        exercise_id=exercise_id, family="hold", mode="hold", views=("side",),
        required=("shoulder", "hip", "knee", "ankle", "wrist"), primary="extension", primary_label="reach",
        segmenter=None, hold=hold_settings(config), thresholds=dict(thresholds),
        make_signals=limb_signals, choose_layout=choose_layout,
        rep_metrics=limb_metrics, judge=bird_dog_judge, in_position=limb_in_position,
        faults=("lumbar_hyperextension", "hip_sag", "no_hold"), rules=config.rules["bird_dog"],
        limits=config.limits["bird_dog"], rule_group="bird_dog", config=config,
    )
