"""Recognising the exercise in a video from body position and movement.

Used for `--exercise auto`, and to refuse counting an exercise whose body position is
plainly not the one in the video (counting it would be made up).
"""

from __future__ import annotations

import numpy as np

from . import signals as S
from .checks import EXERCISES, ExerciseCheck, get_check
from .config import motion_config
from .errors import ExerciseMismatchError, UnknownExerciseError, WrongViewError
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
    try:
        seen, confident = _recognise(cleaned)
    except UnknownExerciseError:
        return
    if confident and POSTURES[seen] != POSTURES[check.exercise_id]:
        raise ExerciseMismatchError(
            f"The person in the video is {POSTURES[seen]} (it looks like a {seen.replace('_', ' ')}), "
            f"but a {check.exercise_id.replace('_', ' ')} is done {POSTURES[check.exercise_id]}. "
            "Check that the right exercise was chosen, or use --exercise auto."
        )



def recognise_exercise(cleaned: LandmarkSequence) -> str:
    """Which catalog exercise this looks like (raises `UnknownExerciseError` if nothing fits)."""
    return _recognise(cleaned)[0]


def _recognise(cleaned: LandmarkSequence) -> tuple[str, bool]:
    """(exercise, confident): from posture first, then from what moves.

    Posture: on all fours (bird dog); raised on one arm with a straight body (side plank);
    lying on the back seen from the side (bridges, or dead bug when the arms point up);
    lying on the side seen from the front (clamshell with bent knees, leg raise with
    straight legs). Ties are settled by which counted signal shows clear repetitions.
    Not confident = a person lying on the back with nothing moving: a guess.
    """
    rc = motion_config().recognition  # catalog/motion.yaml, ``recognition``
    view, ratio = S.estimate_view(cleaned)
    sh, hp = S.midpoint(cleaned, "shoulder"), S.midpoint(cleaned, "hip")
    torso = float(np.nanmedian(np.linalg.norm(sh - hp, axis=-1)))
    if not np.isfinite(torso) or torso <= 0:
        raise UnknownExerciseError("The exercise could not be recognised: the body was not seen clearly enough.")
    knee = {s: float(np.nanmedian(S.angle(S.point(cleaned, "hip", s), S.point(cleaned, "knee", s),
                                           S.point(cleaned, "ankle", s)))) for s in ("left", "right")}
    knees = [v for v in knee.values() if np.isfinite(v)]
    knee_min = min(knees) if knees else float("nan")
    trunk_level = float(np.nanmedian(S.incline(sh, hp)))
    if S.upright_share(cleaned) >= S.UPRIGHT_SHARE:
        raise WrongViewError(
            "The body looks upright in this video, but every exercise the coach checks is done lying down, on "
            "hands and knees or in a side plank. If you were lying down, the video is turned on its side: record "
            "it again holding the phone the other way, or turn the file upright."
        )
    knee_low = np.fmax(S.point(cleaned, "knee", "left")[:, 1], S.point(cleaned, "knee", "right")[:, 1])
    wrist_low = np.fmax(S.point(cleaned, "wrist", "left")[:, 1], S.point(cleaned, "wrist", "right")[:, 1])
    # on all fours both the hips stand above the knees and the shoulders above the hands
    raised = float(np.nanmedian(np.fmin(knee_low - hp[:, 1], wrist_low - sh[:, 1]) / torso))
    wrist_top = np.fmin(S.point(cleaned, "wrist", "left")[:, 1], S.point(cleaned, "wrist", "right")[:, 1])
    arms_up = float(np.nanmedian((sh[:, 1] - wrist_top) / torso))

    def share_in_position(exercise: str) -> float:
        check = get_check(exercise)
        sig = check.signals(cleaned, check.choose_layout(cleaned))
        return float(np.mean(check.in_position(sig, check)))

    def rep_score(exercise: str) -> float:
        check = get_check(exercise)
        sig = check.signals(cleaned, check.choose_layout(cleaned))
        counter = RepetitionCounter(check.segmenter)
        amps = [seg.amplitude for seg in (counter.update(float(t), float(x)) for t, x in zip(cleaned.t, sig[check.primary])) if seg]
        last = counter.finish()
        if last is not None:
            amps.append(last.amplitude)
        return len(amps) * (float(np.median(amps)) / check.segmenter.min_amplitude if amps else 0.0)

    if view == "side" and trunk_level < rc.all_fours_max_trunk_deg and raised > rc.all_fours_raised_min_torso:
        return "bird_dog", True
    if view != "side" and share_in_position("side_plank") >= rc.side_plank_min_share:
        knees_bent = np.isfinite(knee_min) and knee_min < rc.side_plank_knees_max_knee_deg
        return ("side_plank_knees" if knees_bent else "side_plank"), True
    if view == "side":
        if arms_up > rc.dead_bug_arms_up_torso:
            return "dead_bug", True
        if abs(knee["left"] - knee["right"]) > rc.single_leg_knee_gap_deg:
            return "single_leg_glute_bridge", True
        bridge, march = rep_score("glute_bridge"), rep_score("marching_bridge")
        if march > bridge:
            return "marching_bridge", True
        if bridge > 0:
            return "glute_bridge", True
        if not (rep_score("clamshell") > 0 or rep_score("side_lying_leg_raise") > 0):
            return "glute_bridge", False
    scores = {e: rep_score(e) for e in ("clamshell", "side_lying_leg_raise")}
    if np.isfinite(knee_min):
        scores["clamshell" if knee_min >= rc.clamshell_straight_knee_deg else "side_lying_leg_raise"] *= rc.mismatch_weight
    if view != "side":
        # a bridge filmed at an angle still shows clear hip rises; it wins only if they dominate
        scores["glute_bridge"] = rc.angled_bridge_weight * rep_score("glute_bridge")
    best = max(scores, key=scores.get)
    if scores[best] > 0:
        return best, best != "glute_bridge"
    raise UnknownExerciseError(
        "The exercise could not be recognised from the video. Run again with --exercise and one of: "
        + ", ".join(EXERCISES) + "."
    )
