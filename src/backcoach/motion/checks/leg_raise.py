"""Side-lying leg raises, filmed from the front: the top leg lifts in line with the trunk.

From the feet end the leg's forward drift (``hip_flexion``) lies in the picture, so it is
judged from there; from the front it lies in depth and is not judged.
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
    above,
    at,
    feet_variant,
    median_or_none,
    nan_round,
    repetition_check,
    tempo_findings,
    timing_metrics,
    top_phase,
    with_feet_variant,
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
        "trunk_roll_deg": nan_round(check.roll(sig["shoulder_line"], check.start_window(t, s), top)),
        # forward drift of the leg lies in depth from the front: not measured (the pose
        # model's depth guess is not trusted); the feet-end view measures it
        "foot_path_forward_deg": None,
        "toe_rise_ratio": median_or_none(sig["toe_rise"][top], 2),
        **timing_metrics(sig["abduction"], t, seg, check),
        "side": "left" if at(sig["working_left"], p) > 0.5 else "right",  # the leg that lifts
    }


def judge(m: dict, check: ExerciseCheck, opts: CheckOptions) -> list[Finding]:
    th = check.thresholds
    excess = above("excess_range", m.get("abduction_deg"), th["max_abduction_deg"], "deg", "leg lift at the top")
    bend = above("excess_range", m.get("trunk_bend_deg"), th["trunk_bend_deg"], "deg", "trunk side-bending")
    findings = [
        above("hip_flexion", m.get("foot_path_forward_deg"), th["foot_path_forward_deg"], "deg",
              "lifting foot's path leaning forward of straight up (seen from the feet end)"),
        above("toes_up", m.get("toe_rise_ratio"), th["toes_up_ratio"], "shin lengths", "toes raised above the heel"),
        above("trunk_roll", m.get("trunk_roll_deg"), th["trunk_roll_deg"], "deg", "shoulders turned since the start"),
        bend if bend.status == "fault" and excess.status != "fault" else excess,
    ]
    return findings + tempo_findings(m, opts, check)


# ---------------------------------------------------------------- from the feet end


def feet_signals(seq: LandmarkSequence, layout: dict) -> dict:
    """Seen from the feet end the legs point at the camera: the top foot rises above the lower
    one along the body's own up (lower hip to upper hip), in per cent of the hips' separation
    (the feet are nearer the camera than the hips, so no angle can be read from it); the top
    foot and both hips are kept for the foot's path."""
    leg = layout["leg"]
    other = "right" if leg == "left" else "left"
    ankle, up = S.point(seq, "ankle", leg), S.point(seq, "hip", leg) - S.point(seq, "hip", other)
    apart = np.linalg.norm(up, axis=-1)
    with np.errstate(invalid="ignore", divide="ignore"):
        rise = 100.0 * np.sum((ankle - S.point(seq, "ankle", other)) * up, axis=-1) / apart ** 2
    return {"foot_rise": rise, "ankle_x": ankle[:, 0], "ankle_y": ankle[:, 1],
            "up_x": up[:, 0], "up_y": up[:, 1], "working_left": np.full(len(seq), 1.0 if leg == "left" else 0.0)}


def foot_path_forward(sig: dict, t: np.ndarray, seg, top: slice, check: ExerciseCheck) -> float | None:
    """Angle (deg) between the lifting foot's path (from the person's own starting frames to
    the top) and the body's own up (lower hip to upper hip): 0 for a pure side lift."""
    before = check.start_window(t, seg.start)
    med = {k: median_or_none(sig[k][w], 4) for k, w in
           (("ankle_x", before), ("ankle_y", before), ("up_x", before), ("up_y", before))}
    end = {k: median_or_none(sig[k][top], 4) for k in ("ankle_x", "ankle_y")}
    if None in med.values() or None in end.values():
        return None
    path = np.array([end["ankle_x"] - med["ankle_x"], end["ankle_y"] - med["ankle_y"]])
    up = np.array([med["up_x"], med["up_y"]])
    if np.linalg.norm(path) < 0.25 * np.linalg.norm(up):  # the foot hardly moved: no direction to judge
        return None
    return round(float(S.vector_angle(path, up)), 1)


def feet_metrics(sig: dict, t: np.ndarray, seg, check: ExerciseCheck) -> dict:
    top = top_phase(sig["foot_rise"], seg, check.thresholds["hold_band_deg"])
    return {
        "foot_rise_pct": nan_round(seg.peak_value),
        "start_foot_rise_pct": nan_round(seg.rest),
        "abduction_deg": None, "trunk_bend_deg": None, "trunk_roll_deg": None, "toe_rise_ratio": None,  # front view
        "foot_path_forward_deg": foot_path_forward(sig, t, seg, top, check),
        **timing_metrics(sig["foot_rise"], t, seg, check),
        "side": "left" if at(sig["working_left"], seg.peak) > 0.5 else "right",
    }


def make(exercise_id: str, config: MotionConfig | None = None) -> ExerciseCheck:
    config = config or motion_config()
    cfg = config.checks.leg_raise
    check = repetition_check(
        exercise_id, "leg_raise", "leg_raise", cfg, config, views=("front", "side"),
        required=("shoulder", "hip", "knee", "ankle"), primary="abduction", primary_label="leg",
        make_signals=make_signals, choose_layout=partial(choose_layout, config=config),
        rep_metrics=rep_metrics, judge=judge,
        faults=("hip_flexion", "toes_up", "trunk_roll", "excess_range", "rushed"),
    )
    variant = feet_variant(check, cfg.feet_view.segmenter, primary="foot_rise", primary_label="leg",
                           make_signals=feet_signals, rep_metrics=feet_metrics)
    return with_feet_variant(check, variant)
