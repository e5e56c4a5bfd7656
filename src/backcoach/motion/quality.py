"""Quality gates before anything is counted: is a person there, are the needed body parts in
the picture, is the camera where the exercise can be seen from, is the picture upright.

Each gate either passes, adds a warning, or raises a `MotionError` whose message says
what to do next.
"""

from __future__ import annotations

import numpy as np

from . import signals as S
from .checks import ExerciseCheck
from .config import MotionConfig, motion_config
from .errors import NoPersonError, NotVisibleError, WrongViewError
from .landmarks import LandmarkSequence, side_landmark

# Numbers: catalog/motion.yaml (``visibility``, ``view``), from the `MotionConfig` passed in
# (the shipped one when left out).


def check_person(raw: LandmarkSequence, warnings: list[str], config: MotionConfig | None = None) -> None:
    """Refuse when nobody (or hardly anybody) is in the video (``visibility.min_person_*``)."""
    vis = (config or motion_config()).visibility
    person = raw.person_found if len(raw) else np.zeros(0, bool)
    if len(raw) == 0 or person.sum() < vis.min_person_frames or person.mean() < vis.min_person_share:
        raise NoPersonError(
            "No person was found in the video. Make sure your whole body is in the picture, "
            "the room is well lit and the camera is steady, then film again."
        )
    if person.mean() < vis.warn_visible_share:
        warnings.append(f"No person was seen in {100 * (1 - person.mean()):.0f}% of the frames.")


PART_NAMES = {"shoulder": "shoulders", "hip": "hips", "knee": "knees", "ankle": "feet", "wrist": "hands"}


def check_visibility(raw: LandmarkSequence, check: ExerciseCheck, warnings: list[str]) -> None:
    """Refuse when the body parts this exercise needs are out of the picture most of the time
    (``visibility.min_visible_share``; a warning below ``warn_visible_share``)."""
    vis = check.config.visibility
    person = raw.person_found
    n = int(person.sum())
    missing = []
    for part in check.required:
        idx = [side_landmark(part, "left"), side_landmark(part, "right")]
        seen = S.in_picture(raw, idx, check.config).any(axis=1)[person]
        share = float(seen.mean()) if n else 0.0
        if share < vis.min_visible_share:
            missing.append(PART_NAMES[part])
        elif share < vis.warn_visible_share:
            warnings.append(f"Your {PART_NAMES[part]} were out of view for {100 * (1 - share):.0f}% of the video; "
                            "results for those moments are less certain.")
    if missing:
        raise NotVisibleError(
            f"Your {' and '.join(missing)} are out of the picture for most of the video, so the "
            f"{check.exercise_id.replace('_', ' ')} cannot be checked. Move the camera back so your whole body "
            "is in view from head to feet, then film again."
        )


def check_view(view: str, ratio: float, check: ExerciseCheck, warnings: list[str]) -> None:
    if view == "head":
        raise WrongViewError(from_the_head_end(check))
    if view == "unknown" or view in check.views:
        return
    needed = " or ".join(check.views)
    if check.views[0] == "side" and ratio >= check.config.view.front_view_refuse_ratio:
        raise WrongViewError(
            f"This {check.exercise_id.replace('_', ' ')} was filmed from the front or the feet, but it can only be "
            f"checked from the {needed}. Put the camera at hip height, level with your body, about 2-3 m to your side."
        )
    warnings.append(f"The camera angle looks more like a {view} view than a {needed} view; "
                    "angles may be less accurate.")


def from_the_head_end(check: ExerciseCheck | None) -> str:
    """What to say about a video filmed from the head end (looking along the body towards
    the feet): nothing is judged from there, and where to put the phone instead (the
    exercise's counting view, and the feet end for what only that view shows)."""
    setup = (check.config if check is not None else motion_config()).camera_setup
    if check is None:
        return ("The video was filmed from the head end, looking along the body towards the feet; the coach checks "
                f"nothing from there. Film again with the phone {setup['side']}.")
    name = check.exercise_id.replace("_", " ")
    text = (f"This {name} was filmed from the head end, looking along the body towards the feet, so it was "
            f"neither counted nor judged. Film again with the phone {setup[check.views[0]]}.")
    feet_only = check.faults_seen_only_from("feet")
    if "feet" in check.views and feet_only:
        what = " and ".join(f.replace("_", " ") for f in feet_only)
        text += f" To check the {what}, film from the other end instead, {setup['feet']}."
    return text


def check_orientation(cleaned: LandmarkSequence, check: ExerciseCheck, sig: dict, view: str = "unknown") -> None:
    """A lying exercise seen with the body upright or upside down: the picture is turned
    (no rotation setting in the file) or the person is not doing this exercise.

    Not from the feet end: looking along the body, it runs up the picture by design."""
    if view == "feet":
        return
    view_cfg = check.config.view
    name = check.exercise_id.replace("_", " ")
    if check.max_trunk_incline_deg is not None:
        if S.upright_share(cleaned, view_cfg) >= view_cfg.upright_share:
            raise WrongViewError(
                f"The body looks upright in this video, but a {name} is done lying down. If you were lying down, "
                "the video is turned on its side: record it again holding the phone the other way, or turn the file upright."
            )
    if check.family == "bridge":
        knee_up = np.fmin(S.point(cleaned, "knee", "left")[:, 1], S.point(cleaned, "knee", "right")[:, 1])
        hips = np.fmax(S.point(cleaned, "hip", "left")[:, 1], S.point(cleaned, "hip", "right")[:, 1])
        feet = np.fmax(S.point(cleaned, "ankle", "left")[:, 1], S.point(cleaned, "ankle", "right")[:, 1])
        with np.errstate(invalid="ignore"):
            # in a bridge the knees point to the ceiling; upside down they point to the bottom of the picture
            flipped = (knee_up > hips) & (knee_up > feet)
        finite = np.isfinite(knee_up) & np.isfinite(hips) & np.isfinite(feet)
        if finite.sum() >= view_cfg.orientation_min_frames and float(np.mean(flipped[finite])) >= view_cfg.upright_share:
            raise WrongViewError(
                f"The video appears to be upside down (your knees point to the bottom of the picture), so the "
                f"{name} cannot be judged. Turn the video upright, or record it again."
            )


