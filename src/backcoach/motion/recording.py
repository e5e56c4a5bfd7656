"""A whole recording's landmarks -> quality gates -> clean signals -> repetitions or holds,
each measured, judged and given its cue."""

from __future__ import annotations

import time
from dataclasses import replace
from typing import Iterable

import numpy as np

from . import signals as S
from .checks import CheckOptions, ExerciseCheck, get_check
from .config import MotionConfig, motion_config
from .errors import NotRecognisedError, WrongViewError
from .landmarks import LandmarkFrame, LandmarkSequence
from .quality import check_orientation, check_person, check_view, check_visibility, from_the_head_end
from .recognise import check_posture, recognise
from .result import AnalysisResult, Repetition
from .segmentation import HoldTracker, RepetitionCounter, Segment
from .trust import JudgeContext, body_jumps, cut_inside, judge_repetition, repetition_with_index


def _as_sequence(landmarks: LandmarkSequence | Iterable[LandmarkFrame]) -> LandmarkSequence:
    if isinstance(landmarks, LandmarkSequence):
        return landmarks
    return LandmarkSequence.from_frames(list(landmarks))


def hold_segment(sig: dict, check: ExerciseCheck, start: int, end: int) -> Segment:
    primary = sig[check.primary][start : end + 1]
    peak = start + int(np.nanargmax(primary)) if np.isfinite(primary).any() else start
    val = float(sig[check.primary][peak]) if np.isfinite(sig[check.primary][peak]) else float("nan")
    return Segment(start=start, peak=peak, end=end, rest=float("nan"), peak_value=val)


def analyze_landmarks(
    landmarks: LandmarkSequence | Iterable[LandmarkFrame],
    exercise: str,
    options: CheckOptions | None = None,
    seconds: float | None = None,
    cuts_s: Iterable[float] = (),
    second_looks: Iterable[tuple[float, float | None]] = (),
    config: MotionConfig | None = None,
) -> AnalysisResult:
    """Count repetitions (or holds) and judge each one, from a whole recording's landmarks.

    `cuts_s`: camera cuts found in the pictures (seconds); jumps of the body in the
    landmarks are found here too. A movement across a cut is neither counted nor judged.
    `second_looks`: the pictures' second looks for other people (`extract.second_look`).
    `config`: the settings (default: the shipped catalog/motion.yaml); `options` default
    to its tempo and hold tolerance.
    """
    t0 = time.perf_counter()
    config = config or motion_config()
    options = options if options is not None else CheckOptions.from_config(config)
    raw = _as_sequence(landmarks)
    warnings: list[str] = []
    check_person(raw, warnings, config)
    person = raw.person_found
    cuts = _cuts(raw, tuple(cuts_s), warnings, config)
    people = _other_people(raw, tuple(second_looks), warnings, config)
    cleaned = _clean_per_shot(raw, cuts, config)
    recognised = False
    recognition = None
    view, ratio = S.estimate_view(cleaned, config.view)
    if view == "head":  # nothing is judged looking from the head towards the feet: say where to film from
        raise WrongViewError(from_the_head_end(None if exercise == "auto" else get_check(exercise, config)))
    if exercise == "auto":
        if view == "feet":  # body positions are told apart from the side or the front only
            raise NotRecognisedError(
                "The video was filmed from the feet end, where the coach cannot tell the exercises apart, so "
                "nothing was counted. Name the exercise (for example --exercise single_leg_glute_bridge).")
        exercise, confidence = recognise(cleaned, config)
        recognised = True
        recognition = {"exercise": exercise, "confidence": round(confidence, 2)}
        warnings.append(f"Exercise recognised from the video as {exercise.replace('_', ' ')} "
                        f"(confidence {confidence:.0%}); name it with --exercise if this is wrong.")
    check = get_check(exercise, config)
    check_visibility(raw, check, warnings)
    check_view(view, ratio, check, warnings)
    check = check.in_view(view)  # from the feet end some exercises count on other signals
    if not recognised and view != "feet":  # the body positions are recognised from the side or front
        check_posture(cleaned, check)
    layout = check.choose_layout(cleaned)
    sig = check.signals(cleaned, layout)
    check_orientation(cleaned, check, sig, view)
    ctx = JudgeContext(view=view, layout=layout, cuts_s=cuts, config=config)
    late = float(raw.t[person][0] - raw.t[0]) if person.any() else 0.0
    reps = _segment(check, sig, cleaned.t, options, warnings,
                    first_seen_s=float(raw.t[person][0]) if late >= config.visibility.late_sight_s else None, ctx=ctx)
    reps, not_counted = _drop_across_cuts(reps, cuts, check)
    if not_counted:
        warnings.append(f"{len(not_counted)} movement(s) ran across a camera cut and were neither counted nor judged.")
    if not reps:
        warnings.append(_nothing_found(check))
    result = AnalysisResult(
        exercise=exercise, mode=check.mode, view=view, repetitions=reps, warnings=warnings,
        frames_analyzed=int(len(raw)), seconds=seconds if seconds is not None else _span(raw.t),
        side=layout.get("side", ""), recognised=recognised, options=options, sequence=cleaned, signals=sig,
        primary=check.primary, primary_label=check.primary_label, recognition=recognition,
        not_counted=not_counted, cuts_s=list(cuts), people=people,
    )
    result.timings["analysis_s"] = time.perf_counter() - t0
    return result


def _cuts(raw: LandmarkSequence, picture_cuts: tuple[float, ...], warnings: list[str], config: MotionConfig
          ) -> tuple[float, ...]:
    """Camera cuts from the pictures, plus jumps of the followed body in the landmarks."""
    stays, returns = body_jumps(raw.t, raw.xy, trust=config.trust)
    dt = float(np.median(np.diff(raw.t))) if len(raw) > 1 else 0.0
    body_only = [c for c in stays if all(abs(c - p) > 2 * dt + 1e-6 for p in picture_cuts)]
    if picture_cuts:
        warnings.append(f"The video changes shot {len(picture_cuts)} time(s) (at "
                        + ", ".join(f"{c:.1f} s" for c in picture_cuts)
                        + "). Film one set in one continuous shot for a full check.")
    if body_only or returns:
        where = _followed_position(raw)
        warnings.append("The body followed jumped to another place in the picture (at "
                        + ", ".join(f"{c:.1f} s" for c in sorted(body_only + returns))
                        + f"): more than one person may be in view, or the shot changed. The analysis followed the "
                        f"person seen {where}; film with only the exercising person in view.")
    return tuple(sorted(set(picture_cuts) | set(body_only) | set(returns)))


def _other_people(raw: LandmarkSequence, looks: tuple[tuple[float, float | None], ...], warnings: list[str],
                  config: MotionConfig) -> dict | None:
    """Who was in view, from the second looks: how often someone else was seen, and which
    person the analysis followed (warned when someone else was seen often enough)."""
    if not looks:
        return None
    found = [x for _, x in looks if x is not None]
    followed = _followed_position(raw)
    people = {"looks": len(looks), "others_seen": len(found), "followed": f"the person {followed}"}
    if len(found) >= min(config.trust.second_person_min_looks, len(looks)) and found:
        other = _where(float(np.median(found)))
        people["other_seen"] = f"someone {other}"
        warnings.append(f"More than one person was in view (someone else was seen {other} at {len(found)} of "
                        f"{len(looks)} checks). The analysis followed the person {followed}; film with only the "
                        "exercising person in view.")
    return people


def _where(x: float) -> str:
    return "on the left of the picture" if x < 0.4 else "on the right of the picture" if x > 0.6 else "in the middle of the picture"


def _clean_per_shot(raw: LandmarkSequence, cuts: tuple[float, ...], config: MotionConfig) -> LandmarkSequence:
    """Gap filling and smoothing within each shot, never across a camera cut (which would
    blend two shots into a made-up movement)."""
    if not cuts or len(raw) < 2:
        return S.clean(raw, config.cleaning)
    edges = [0] + [int(np.searchsorted(raw.t, c)) for c in cuts] + [len(raw)]
    parts = [S.clean(replace(raw, t=raw.t[a:b], xy=raw.xy[a:b], z=raw.z[a:b], vis=raw.vis[a:b]), config.cleaning)
             for a, b in zip(edges[:-1], edges[1:]) if b > a]
    return replace(raw, t=np.concatenate([p.t for p in parts]), xy=np.concatenate([p.xy for p in parts]),
                   z=np.concatenate([p.z for p in parts]), vis=np.concatenate([p.vis for p in parts]))


def _followed_position(raw: LandmarkSequence) -> str:
    hip_x = raw.xy[:, [23, 24], 0].mean(axis=1)  # both hips seen
    hip_x = hip_x[np.isfinite(hip_x)]
    if not len(hip_x):
        return "most"
    return _where(float(np.median(hip_x)) / (raw.width / max(raw.width, raw.height)))


def _drop_across_cuts(reps: list[Repetition], cuts: tuple[float, ...], check: ExerciseCheck
                      ) -> tuple[list[Repetition], list[dict]]:
    kept, dropped = [], []
    for rep in reps:
        c = cut_inside(rep.start_s, rep.end_s, cuts)
        if c is None:
            kept.append(repetition_with_index(rep, len(kept) + 1))
        else:
            unit = "hold" if check.mode == "hold" else "movement"
            dropped.append({"start_s": round(rep.start_s, 2), "end_s": round(rep.end_s, 2),
                            "reason": f"the {unit} runs across a camera cut at {c:.1f} s, so it is neither counted nor judged"})
    return kept, dropped


def _span(t: np.ndarray) -> float:
    return float(t[-1] - t[0]) if len(t) > 1 else 0.0


def _nothing_found(check: ExerciseCheck) -> str:
    if check.mode == "hold":
        return "No hold position was found. Check that the whole body is in view and the exercise matches."
    return ("No repetitions were found: the movement was too small or unclear to count. Check that the exercise "
            "matches and that the camera sees the moving joints.")


def _segment(check: ExerciseCheck, sig: dict, t: np.ndarray, opts: CheckOptions, warnings: list[str],
             first_seen_s: float | None = None, ctx: JudgeContext | None = None) -> list[Repetition]:
    ctx = ctx or JudgeContext(config=check.config)
    reps: list[Repetition] = []
    if check.mode == "reps":
        counter = RepetitionCounter(check.segmenter)
        for i, x in enumerate(sig[check.primary]):
            seg = counter.update(float(t[i]), float(x))
            if seg is not None:
                reps.append(judge_repetition(check, sig, t, seg, opts, len(reps) + 1, ctx=ctx))
        seg = counter.finish()
        if seg is not None:
            reps.append(judge_repetition(check, sig, t, seg, opts, len(reps) + 1, ctx=ctx))
            warnings.append("The video ended before the last repetition was lowered; it is counted but its "
                            "timing may be cut short.")
        first = (_repetition_before_first_sight(check, sig[check.primary], t, reps, first_seen_s,
                                                ctx.config.visibility.late_sight_s)
                 if first_seen_s is not None else None)
        if first is not None:
            reps = [judge_repetition(check, sig, t, first, opts, 1, ctx=ctx)] + [repetition_with_index(r, r.index + 1) for r in reps]
            warnings.append("You were not seen at the very start of the video, already at the top of a repetition; "
                            "it is counted from the moment you were seen.")
        return reps
    tracker = HoldTracker(check.hold)
    inpos = check.in_position(sig, check)
    bouts = []
    for i, flag in enumerate(inpos):
        b = tracker.update(float(t[i]), bool(flag))
        if b is not None:
            bouts.append(b)
    b = tracker.finish()
    if b is not None:
        bouts.append(b)
    for start, end in bouts:
        reps.append(judge_repetition(check, sig, t, hold_segment(sig, check, start, end), opts, len(reps) + 1, ctx=ctx))
    return reps


def _repetition_before_first_sight(check: ExerciseCheck, x: np.ndarray, t: np.ndarray,
                                   reps: list[Repetition], first_seen_s: float, late_sight_s: float) -> Segment | None:
    """A repetition already at its top when the person was first seen (the pose model
    missed the start, e.g. the head was out of the picture) is counted, marked incomplete.

    Only when frames at the start had nobody in them and the person was measurable as
    soon as they appeared: a clip that simply starts at the top of a repetition, with the
    person visible, or someone seen getting into position, is not given an extra repetition.
    """
    finite = np.flatnonzero(np.isfinite(x))
    if len(finite) < 3 or abs(t[finite[0]] - first_seen_s) > late_sight_s:
        return None  # the first measurable moment is not when the person appeared (e.g. getting into position)
    i0 = int(finite[0])
    stop = int(np.searchsorted(t, reps[0].start_s)) if reps else len(x)
    window = x[i0 : max(stop, i0 + 1) + 1]
    if not np.isfinite(window).any():
        return None
    low_i = i0 + int(np.nanargmin(window))
    peak_i = i0 + int(np.nanargmax(x[i0 : low_i + 1]))
    amp = float(x[peak_i] - x[low_i])
    if amp < max(check.segmenter.min_amplitude, check.segmenter.enter_delta):
        return None
    return Segment(start=i0, peak=peak_i, end=low_i, rest=float(x[low_i]), peak_value=float(x[peak_i]), complete=False)


