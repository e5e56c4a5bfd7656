"""When not to judge (DESIGN §6, "Trust (v2)").

A fault is reported only where it can be measured: each rule states the camera views it
works from and the landmarks it needs seen with some confidence (catalog/motion.yaml,
``rules``). A repetition containing a measurement no body can make, one far longer than
the tempo the person was given, or a camera cut, is "cannot judge" (a cut: not counted
either), never a fault. Every verdict carries the measured value and its limit.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np

from . import signals as S
from .checks import CheckOptions, ExerciseCheck
from .checks.base import CANNOT_JUDGE, FAULT, OK, Finding
from .config import MotionConfig, Trust, motion_config
from .cues import PRAISE, PRAISE_DEFAULT, PRAISE_PARTIAL, cue_for, most_important
from .landmarks import side_landmark
from .result import Repetition
from .segmentation import Segment

TIMING_FAULTS = ("rushed", "no_hold")
LEG_PARTS = ("knee", "ankle", "heel", "foot_index")
PART_WORDS = {"shoulder": "shoulders", "hip": "hips", "knee": "knees", "ankle": "feet", "wrist": "hands",
              "heel": "heels", "foot_index": "toes"}
SIGNAL_WORDS = {
    "hip_angle": "shoulder-hip-knee angle", "support_hip_angle": "shoulder-hip-knee angle",
    "thigh_opening": "angle between the thighs", "knee_opening": "knee opening", "abduction": "leg lift",
}

# Where to put the phone for each view (said when a rule needs a view the video does not
# have) is catalog/motion.yaml's ``camera_setup``.
VIEW_NAMES = {"side": "the side", "front": "the front", "feet": "the feet end", "head": "the head end",
              "unknown": "an unclear angle"}


@dataclass(frozen=True)
class JudgeContext:
    """What the gates need beyond one repetition's signals, and the settings they use."""

    view: str = "unknown"
    layout: dict = field(default_factory=dict)
    cuts_s: tuple[float, ...] = ()
    config: MotionConfig = field(default_factory=motion_config)


def _landmark_indices(spec: str, layout: dict) -> tuple[str, list[int]]:
    if spec.startswith("both:"):
        part = spec[5:]
        return part, [side_landmark(part, "left"), side_landmark(part, "right")]
    side = layout.get("leg", layout.get("side", "left")) if spec in LEG_PARTS else layout.get("side", "left")
    return spec, [side_landmark(spec, side)]


def _confidence_gate(finding: Finding, check: ExerciseCheck, vis_median: np.ndarray | None, ctx: JudgeContext) -> Finding:
    """`vis_median`: each landmark's median visibility over the repetition (computed once per
    repetition for all its rules: a median per rule and landmark cost about 40 us each, and the
    live stream judges a repetition while other people's frames wait)."""
    rule = check.rules.get(finding.fault)
    if rule is None or vis_median is None:
        return finding
    for spec in rule.landmarks:
        part, idx = _landmark_indices(spec, ctx.layout)
        conf = float(np.min(vis_median[idx]))
        if conf < rule.min_confidence:
            return finding.cannot(f"your {PART_WORDS.get(part, part)} were not seen clearly enough "
                                  f"(confidence {conf:.2f}, needs {rule.min_confidence:.2f})")
    return finding


def _view_gate(finding: Finding, check: ExerciseCheck, ctx: JudgeContext) -> Finding:
    rule = check.rules.get(finding.fault)
    if rule is None or ctx.view == "unknown" or ctx.view in rule.views:
        return finding
    if finding.status == CANNOT_JUDGE and "view" in finding.reason:
        return finding
    setup = ctx.config.camera_setup
    where = "; or ".join(setup[v] for v in rule.views if v in setup)
    return finding.cannot(f"it cannot be seen from {VIEW_NAMES.get(ctx.view, ctx.view)}; it needs the camera {where}")


def cut_inside(start_s: float, end_s: float, cuts_s: tuple[float, ...]) -> float | None:
    for c in cuts_s:
        if start_s < c <= end_s:
            return c
    return None


def overlong_limit_s(opts: CheckOptions, config: MotionConfig | None = None) -> float:
    tempo = (config or motion_config()).tempo
    return max(tempo.overlong_min_s, tempo.overlong_factor * (opts.lift_s + (opts.hold_s or 0.0) + opts.lower_s))


def judge_repetition(check: ExerciseCheck, sig: dict, t: np.ndarray, seg: Segment, opts: CheckOptions, index: int,
                     offset: int = 0, ctx: JudgeContext | None = None) -> Repetition:
    """Measure one repetition (or hold), apply the fault rules, then the trust gates."""
    ctx = ctx or JudgeContext(config=check.config)
    local = Segment(seg.start - offset, seg.peak - offset, seg.end - offset, seg.rest, seg.peak_value, seg.complete)
    win = slice(local.start, local.end + 1)
    metrics = check.rep_metrics(sig, t, local, check)
    findings = list(check.judge(metrics, check, opts))
    start_s, end_s = float(t[local.start]), float(t[local.end])
    whole_reason = ""
    impossible = sig.get("impossible")
    if impossible is not None:
        bad = impossible[win]
        bad_share = float(np.mean(np.isfinite(bad))) if len(bad) else 0.0
        if bad_share > ctx.config.trust.impossible_share:
            which = int(np.nanmax(sig["impossible_which"][win]))
            name = list(check.limits)[which] if 0 <= which < len(check.limits) else check.primary
            lo, hi = check.limits.get(name, (float("nan"), float("nan")))[:2]
            worst = float(bad[np.isfinite(bad)][np.argmax(np.abs(bad[np.isfinite(bad)] - (lo + hi) / 2))])
            whole_reason = (f"the {SIGNAL_WORDS.get(name, name.replace('_', ' '))} measured {worst:.0f} degrees, "
                            f"which a body cannot do (limits {lo:.0f}-{hi:.0f}): a body point was probably misplaced "
                            "(equipment, clothing or a close-up)")
    if not whole_reason and seg.complete and end_s - start_s > overlong_limit_s(opts, ctx.config):
        whole_reason = (f"it lasted {end_s - start_s:.1f} s, far longer than the tempo you were given "
                        f"(about {opts.lift_s:g} s up{f', {opts.hold_s:g} s hold' if opts.hold_s else ''} and "
                        f"{opts.lower_s:g} s down): it may contain a pause or a change of shot")
    vis = sig.get("visibility")
    vis = None if vis is None else np.asarray(vis)[win]
    vis_median = None if vis is None or not len(vis) else np.median(vis, axis=0)  # the same per landmark
    gated = []
    for f in findings:
        f = _view_gate(f, check, ctx)  # first: "cannot be seen from here" says more than "not measured"
        if whole_reason and f.status != CANNOT_JUDGE:
            f = f.cannot(whole_reason)
        if f.status != CANNOT_JUDGE:
            f = _confidence_gate(f, check, vis_median, ctx)
        if f.status != CANNOT_JUDGE and not seg.complete and f.fault in TIMING_FAULTS:
            f = f.cannot("the video ended before this repetition was finished")
        gated.append(f)
    gated = _one_per_fault(gated)
    faults = [f.fault for f in gated if f.status == FAULT]
    judged = any(f.status == OK for f in gated)
    good = judged and not faults
    return Repetition(index=index, start_s=start_s, end_s=end_s, peak_s=float(t[local.peak]), metrics=metrics,
                      faults=faults, complete=seg.complete, findings=tuple(gated),
                      cue=_cue(check, faults, gated, opts), good=good)


def _one_per_fault(findings: list[Finding]) -> list[Finding]:
    """A fault id appears once: a fault wins over fine, fine over cannot judge."""
    rank = {FAULT: 0, OK: 1, CANNOT_JUDGE: 2}
    best: dict[str, Finding] = {}
    for f in findings:
        if f.fault not in best or rank[f.status] < rank[best[f.fault].status]:
            best[f.fault] = f
    return list(best.values())


def _cue(check: ExerciseCheck, faults: list[str], findings: list[Finding], opts: CheckOptions) -> str:
    first = most_important(faults)
    if first is not None:
        return cue_for(first, check.exercise_id, opts.hold_s)
    if not any(f.status == OK for f in findings):
        return ""
    praise = PRAISE.get(check.family, PRAISE_DEFAULT)
    if any(f.status == CANNOT_JUDGE for f in findings):
        praise = praise.rstrip(".") + PRAISE_PARTIAL + "."
    return praise


def repetition_with_index(rep: Repetition, index: int) -> Repetition:
    return replace(rep, index=index)


# ---------------------------------------------------------------- camera cuts and people, from the landmarks


def body_size(xy: np.ndarray) -> np.ndarray:
    """Per frame, the body's size in the picture whatever the view: the longest of the trunk
    (shoulders to hips), the shoulder width and the hip width. From the side the trunk is
    long and the widths vanish; from the feet end the trunk vanishes and the widths do not."""
    xy = np.asarray(xy, dtype=float)
    sh, hp = (xy[..., 11, :] + xy[..., 12, :]) / 2.0, (xy[..., 23, :] + xy[..., 24, :]) / 2.0
    parts = np.stack([np.linalg.norm(sh - hp, axis=-1), np.linalg.norm(xy[..., 11, :] - xy[..., 12, :], axis=-1),
                      np.linalg.norm(xy[..., 23, :] - xy[..., 24, :], axis=-1)])
    with np.errstate(invalid="ignore"):
        return np.where(np.isfinite(parts).all(axis=0), parts.max(axis=0), np.nan)


SETTLE_FRAMES = 3  # frames with a body on each side of a jump that decide whether it stays


def jumped(hip_a: Any, size_a: float, hip_b: Any, size_b: float, trust: Trust) -> bool:
    """The body moved between a and b by more than ``trust.cut_body_jump_torso`` body sizes,
    or changed size by more than ``trust.cut_body_scale_ratio``. Hips are (x, y) pairs; the
    distance in plain floats (the live stream asks on every frame; numpy's norm of a 2-vector
    gives the same number at about 20 times the cost)."""
    small = max(min(size_a, size_b), 1e-6)
    distance = S.length_of(float(hip_b[0]) - float(hip_a[0]), float(hip_b[1]) - float(hip_a[1]))
    return (distance / small > trust.cut_body_jump_torso
            or max(size_a, size_b) / small > trust.cut_body_scale_ratio)


def is_body_cut(before_hips: np.ndarray, before_sizes: np.ndarray, after_hips: np.ndarray, after_sizes: np.ndarray,
                trust: Trust) -> bool:
    """The rule for a camera cut (or the pose model taking up someone else) seen in the
    landmarks, shared by the recording and the live stream: the step from the last frame
    with a body before to the first after is a jump (`jumped`), and the body stays moved:
    the medians of the `SETTLE_FRAMES` frames before and after differ by a jump too. A
    single misplaced frame is not a cut."""
    if not jumped(before_hips[-1], float(before_sizes[-1]), after_hips[0], float(after_sizes[0]), trust):
        return False
    return jumped(np.median(before_hips, axis=0), float(np.median(before_sizes)),
                  np.median(after_hips, axis=0), float(np.median(after_sizes)), trust)


def body_jumps(t: np.ndarray, xy: np.ndarray, settle: int = SETTLE_FRAMES, trust: Trust | None = None
               ) -> tuple[list[float], list[float]]:
    """Moments the followed body jumps (`is_body_cut`): (jumps that stay = a cut or a new
    shot; jumps that come back = the pose model switching between two people).

    `xy` are raw (uncleaned) landmarks in square units; the body's size is `body_size`.
    After a jump the next `settle` frames are not tested again.
    """
    trust = trust or motion_config().trust
    hip = (xy[:, 23] + xy[:, 24]) / 2.0
    torso = body_size(xy)
    ok = np.flatnonzero(np.isfinite(hip).all(axis=1) & np.isfinite(torso) & (torso > 1e-6))
    stays: list[float] = []
    returns: list[float] = []
    if len(ok) < 2 * settle + 1:
        return stays, returns
    k = settle
    while k <= len(ok) - settle:
        a_idx, b_idx = ok[k - settle:k], ok[k:k + settle]
        if is_body_cut(hip[a_idx], torso[a_idx], hip[b_idx], torso[b_idx], trust):
            later = ok[k + settle:]
            if len(later):
                tail = later[-min(len(later), 3 * settle):]
                ha, ta = np.median(hip[a_idx], axis=0), float(np.median(torso[a_idx]))
                hl, tl = np.median(hip[tail], axis=0), float(np.median(torso[tail]))
                back = float(np.linalg.norm(hl - ha)) / max(min(ta, tl), 1e-6) < trust.cut_body_jump_torso / 2
            else:
                back = False
            (returns if back else stays).append(float((t[ok[k - 1]] + t[ok[k]]) / 2))
            k += settle
            continue
        k += 1
    return stays, returns
