"""Recognising the exercise in a video from body position and movement.

Used for `--exercise auto`, and to refuse counting an exercise whose body position is
plainly not the one in the video (counting it would be made up).
"""

from __future__ import annotations

import numpy as np

from . import signals as S
from .checks import EXERCISES, ExerciseCheck, get_check
from .config import MotionConfig, motion_config
from .errors import ExerciseMismatchError, NotRecognisedError, UnknownExerciseError, WrongViewError
from .landmarks import LandmarkSequence
from .segmentation import RepetitionCounter

POSTURES = {
    "glute_bridge": "lying on the back", "banded_glute_bridge": "lying on the back",
    "marching_bridge": "lying on the back", "single_leg_glute_bridge": "lying on the back",
    "dead_bug": "lying on the back",
    "clamshell": "lying on one side", "banded_clamshell": "lying on one side",
    "side_lying_leg_raise": "lying on one side", "banded_side_lying_leg_raise": "lying on one side",
    "side_plank": "raised on one forearm", "side_plank_knees": "raised on one forearm",
    "bird_dog": "on hands and knees",
}


def check_posture(cleaned: LandmarkSequence, check: ExerciseCheck) -> None:
    """Refuse to count an exercise whose body position is clearly not the one in the video."""
    rc = check.config.recognition
    try:
        seen, confidence, _, shares = _recognise_scored(cleaned, check.config, with_shares=True)
    except UnknownExerciseError:
        return
    if seen is None or shares.get(POSTURES[check.exercise_id], 0.0) >= rc.side_plank_min_share:
        return  # the body is in the named exercise's position often enough
    confident = confidence >= rc.min_confidence
    if confident and POSTURES[seen] != POSTURES[check.exercise_id]:
        raise ExerciseMismatchError(
            f"The person in the video is {POSTURES[seen]} (it looks like a {seen.replace('_', ' ')}), "
            f"but a {check.exercise_id.replace('_', ' ')} is done {POSTURES[check.exercise_id]}. "
            "Check that the right exercise was chosen, or use --exercise auto."
        )



def recognise_exercise(cleaned: LandmarkSequence, config: MotionConfig | None = None) -> str:
    """Which catalog exercise this is (raises `NotRecognisedError` if none fits well enough)."""
    return recognise(cleaned, config)[0]


def recognise(cleaned: LandmarkSequence, config: MotionConfig | None = None) -> tuple[str, float]:
    """(exercise, confidence 0..1). Below ``recognition.min_confidence`` the answer is
    "not recognised" (`NotRecognisedError`, saying what was seen), never the nearest guess."""
    config = config or motion_config()
    rc = config.recognition
    exercise, confidence, seen = _recognise_scored(cleaned, config)[:3]
    if exercise is None or confidence < rc.min_confidence:
        near = (f" The nearest exercise the coach knows is the {exercise.replace('_', ' ')}, but the match is only "
                f"{confidence:.0%}." if exercise is not None and confidence > 0 else "")
        raise NotRecognisedError(
            f"The movement in this video was not recognised as one the coach can check. It saw {seen}.{near} "
            "If it is one of these, run again with --exercise and its name: " + ", ".join(EXERCISES) + "."
        )
    return exercise, confidence


def _share(flags: np.ndarray, valid: np.ndarray) -> float:
    return float(np.mean(flags[valid])) if valid.any() else 0.0


def _recognise_scored(cleaned: LandmarkSequence, config: MotionConfig, with_shares: bool = False):
    """(exercise or None, confidence, what was seen in words): posture first, then what moves.

    Postures, per frame: on all fours (bird dog); raised on one arm with a straight body
    (side plank); lying on the back with the knees bent and pointing up (bridges, dead bug
    with the arms up); lying on the side (clamshell, leg raise). The confidence is the
    share of frames in the posture times how clearly the exercise's own movement shows.
    """
    rc = config.recognition
    view, ratio = S.estimate_view(cleaned, config.view)
    sh, hp = S.midpoint(cleaned, "shoulder"), S.midpoint(cleaned, "hip")
    torso_f = np.linalg.norm(sh - hp, axis=-1)
    torso = float(np.nanmedian(torso_f)) if np.isfinite(torso_f).any() else float("nan")
    if not np.isfinite(torso) or torso <= 0:
        raise UnknownExerciseError("The exercise could not be recognised: the body was not seen clearly enough.")
    if S.upright_share(cleaned, config.view) >= config.view.upright_share:
        raise WrongViewError(
            "The body looks upright in this video, but every exercise the coach checks is done lying down, on "
            "hands and knees or in a side plank. If you were lying down, the video is turned on its side: record "
            "it again holding the phone the other way, or turn the file upright."
        )
    knee_ang = {s: S.angle(S.point(cleaned, "hip", s), S.point(cleaned, "knee", s), S.point(cleaned, "ankle", s))
                for s in ("left", "right")}
    knee = {s: float(np.nanmedian(v)) if np.isfinite(v).any() else float("nan") for s, v in knee_ang.items()}
    knees = [v for v in knee.values() if np.isfinite(v)]
    knee_min = min(knees) if knees else float("nan")
    trunk_inc = S.incline(sh, hp)
    valid = np.isfinite(trunk_inc)
    with np.errstate(invalid="ignore"):
        knee_low = np.fmax(S.point(cleaned, "knee", "left")[:, 1], S.point(cleaned, "knee", "right")[:, 1])
        wrist_low = np.fmax(S.point(cleaned, "wrist", "left")[:, 1], S.point(cleaned, "wrist", "right")[:, 1])
        all_fours = ((trunk_inc < rc.all_fours_max_trunk_deg)
                     & (np.fmin(knee_low - hp[:, 1], wrist_low - sh[:, 1]) / torso > rc.all_fours_raised_min_torso))
        # lying on the back, knees bent and pointing up: a knee above its hip and its ankle
        knee_up = np.zeros(len(cleaned), bool)
        for s in ("left", "right"):
            k, h, a = (S.point(cleaned, p, s)[:, 1] for p in ("knee", "hip", "ankle"))
            knee_up |= (knee_ang[s] < 150.0) & (k < h + 0.1 * torso) & (k <= a + 0.1 * torso)
        wrist_top = np.fmin(S.point(cleaned, "wrist", "left")[:, 1], S.point(cleaned, "wrist", "right")[:, 1])
        arms_up = (sh[:, 1] - wrist_top) / torso > rc.dead_bug_arms_up_torso
        # lying on one side, seen from the front: shoulders or hips stacked one above the other
        sh_line = S.incline(S.point(cleaned, "shoulder", "left"), S.point(cleaned, "shoulder", "right"))
        hp_line = S.incline(S.point(cleaned, "hip", "left"), S.point(cleaned, "hip", "right"))
        on_side = (trunk_inc < 45.0) & (np.fmax(sh_line, hp_line) > 45.0) & (S.width_ratio(cleaned) >= config.view.side_view_max_ratio)
    fours, supine, side_lying = _share(all_fours, valid), _share(knee_up, valid), _share(on_side, valid)
    arms = _share(arms_up & knee_up, valid)
    seen = _describe(view, fours, supine, side_lying, arms, knee_min)

    def share_in_position(exercise: str) -> float:
        check = get_check(exercise, config)
        sig = check.signals(cleaned, check.choose_layout(cleaned))
        return float(np.mean(check.in_position(sig, check)))

    def rep_score(exercise: str) -> float:
        check = get_check(exercise, config)
        sig = check.signals(cleaned, check.choose_layout(cleaned))
        counter = RepetitionCounter(check.segmenter)
        amps = [seg.amplitude for seg in (counter.update(float(t), float(x)) for t, x in zip(cleaned.t, sig[check.primary])) if seg]
        last = counter.finish()
        if last is not None:
            amps.append(last.amplitude)
        return len(amps) * (float(np.median(amps)) / check.segmenter.min_amplitude if amps else 0.0)

    def moving(score: float) -> float:
        return min(1.0, score / rc.min_rep_score)

    candidates: dict[str, float] = {}
    def posture_fit(share: float) -> float:
        return min(1.0, share / rc.posture_min_share)

    if view == "side" and fours > 0:
        candidates["bird_dog"] = posture_fit(fours) * min(1.0, share_in_position("bird_dog") / rc.side_plank_min_share)
    if view != "side":
        plank = share_in_position("side_plank")
        if plank > 0:
            knees_bent = np.isfinite(knee_min) and knee_min < rc.side_plank_knees_max_knee_deg
            candidates["side_plank_knees" if knees_bent else "side_plank"] = min(1.0, plank / rc.side_plank_min_share)
    if view == "side" and supine > 0:
        if arms > 0.5 * supine:
            candidates["dead_bug"] = posture_fit(supine) * moving(rep_score("dead_bug"))
        else:
            bridge, march = rep_score("glute_bridge"), rep_score("marching_bridge")
            single = np.isfinite(knee["left"]) and np.isfinite(knee["right"]) and \
                abs(knee["left"] - knee["right"]) > rc.single_leg_knee_gap_deg
            name = "single_leg_glute_bridge" if single else ("marching_bridge" if march > bridge else "glute_bridge")
            candidates[name] = posture_fit(supine) * moving(max(bridge, march))
    if view != "side" and max(side_lying, supine) > 0:
        scores = {e: rep_score(e) for e in ("clamshell", "side_lying_leg_raise")}
        if np.isfinite(knee_min):
            scores["clamshell" if knee_min >= rc.clamshell_straight_knee_deg else "side_lying_leg_raise"] *= rc.mismatch_weight
        # a bridge filmed at an angle still shows clear hip rises; it wins only if they dominate
        scores["glute_bridge"] = rc.angled_bridge_weight * rep_score("glute_bridge")
        best = max(scores, key=scores.get)
        posture = supine if best == "glute_bridge" else side_lying
        candidates[best] = posture_fit(posture) * moving(scores[best])
    shares = {"lying on the back": supine, "lying on one side": side_lying, "on hands and knees": fours}
    if not candidates:
        return (None, 0.0, seen, shares) if with_shares else (None, 0.0, seen)
    best = max(candidates, key=candidates.get)
    return (best, float(candidates[best]), seen, shares) if with_shares else (best, float(candidates[best]), seen)


def _describe(view: str, fours: float, supine: float, side_lying: float, arms: float, knee_min: float) -> str:
    """What the camera saw, in words, for the "not recognised" answer."""
    posture = max((fours, "on hands and knees"), (supine, "lying on the back with the knees bent"),
                  (side_lying, "lying on one side"), (0.25, ""))
    parts = [f"a person filmed from {'the side' if view == 'side' else 'the front or the feet' if view in ('front', 'feet') else 'an unclear angle'}"]
    if posture[1]:
        parts.append(f"{posture[1]} for {posture[0]:.0%} of the video")
    else:
        parts.append("in none of the positions of the exercises it knows (on the back with bent knees, on one "
                     "side, on hands and knees, or in a side plank)")
    if np.isfinite(knee_min) and knee_min > 150:
        parts.append("with the legs mostly straight")
    return ", ".join(parts)
