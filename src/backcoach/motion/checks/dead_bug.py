"""Dead bug, filmed from the side: one arm reaches back and the opposite leg out, then both return.

Each reach out and back is one repetition, for the side of the reaching leg; the person
alternates, so the report counts each side. The counted signal is how far the most
extended opposite arm-and-leg pair has opened (the smaller of the arm's and the leg's
angle), which stays near 90 degrees in the start position (arms up, hips and knees bent).
"""

from __future__ import annotations

import numpy as np

from ..config import MotionConfig, motion_config
from ..landmarks import LandmarkSequence
from .base import (
    CheckOptions,
    ExerciseCheck,
    Finding,
    above,
    nan_round,
    repetition_check,
    timing_metrics,
    top_phase,
    with_hold_and_tempo,
)
from .holds import _limbs, choose_layout

# Numbers: catalog/motion.yaml, ``checks.dead_bug``.


def make_signals(seq: LandmarkSequence, layout: dict) -> dict:
    sig = _limbs(seq)
    pair_lr = np.fmin(sig["arm_left"], sig["leg_right"])  # left arm with the right leg
    pair_rl = np.fmin(sig["arm_right"], sig["leg_left"])
    sig["reach"] = np.fmax(pair_lr, pair_rl)
    right_leg = np.nan_to_num(pair_lr, nan=-1.0) >= np.nan_to_num(pair_rl, nan=-1.0)
    sig["right_leg"] = right_leg.astype(float)
    sig["leg_lift"] = np.where(right_leg, sig["lift_right"], sig["lift_left"])
    sig["leg_straight"] = np.where(right_leg, sig["leg_right"], sig["leg_left"])
    return sig


def rep_metrics(sig: dict, t: np.ndarray, seg, check: ExerciseCheck) -> dict:
    th = check.thresholds
    top = top_phase(sig["reach"], seg, th["hold_band_deg"])
    lift = np.abs(sig["leg_lift"][top])
    straight = sig["leg_straight"][top] >= th["limb_straight_deg"]
    with np.errstate(invalid="ignore"):
        low = straight & (lift < th["dead_bug_low_leg_deg"])
    return {
        "side": "right" if np.nanmean(sig["right_leg"][top]) >= 0.5 else "left",  # the reaching leg
        "reach_deg": nan_round(seg.peak_value),
        "start_reach_deg": nan_round(seg.rest),
        "low_leg_share": round(float(np.mean(low)), 2) if len(lift) else None,
        **timing_metrics(sig["reach"], t, seg, check),
    }


def judge(m: dict, check: ExerciseCheck, opts: CheckOptions) -> list[Finding]:
    # A straight leg lowered almost to the floor is where the lower back lifts off the mat;
    # the lumbar curve itself cannot be seen reliably in 2D, so this is the proxy we judge.
    findings = [above("lumbar_hyperextension", m["low_leg_share"], check.thresholds["fault_fraction"],
                      "share of the reach", "time with the straight leg low to the floor")]
    return with_hold_and_tempo(findings, m, opts, check)


def make(exercise_id: str, config: MotionConfig | None = None) -> ExerciseCheck:
    config = config or motion_config()
    cfg = config.checks.dead_bug
    return repetition_check(
        exercise_id, "dead_bug", "dead_bug", cfg, config, views=("side",),
        required=("shoulder", "hip", "knee", "ankle", "wrist"), primary="reach", primary_label="reach",
        make_signals=make_signals, choose_layout=choose_layout, rep_metrics=rep_metrics, judge=judge,
        faults=("lumbar_hyperextension", "no_hold", "rushed"),
    )
