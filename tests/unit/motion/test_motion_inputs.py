"""Bad or awkward input gives a clear error or a warning, never a crash or a made-up count."""

from __future__ import annotations

import numpy as np
import pytest
from motion_synth import Noise, Tempo, bridge_pose, clamshell_pose, make_frames, rep_timeline

from backcoach.motion import (
    ExerciseMismatchError,
    LandmarkFrame,
    MotionError,
    NoPersonError,
    NotVisibleError,
    NotRecognisedError,
    UnknownExerciseError,
    WrongViewError,
    analyze_landmarks,
)
from backcoach.domain.errors import BackcoachError


def bridge_frames(reps=3, **noise):
    t, u, _ = rep_timeline(reps, Tempo(), 12.0)
    return make_frames(bridge_pose, u, t, Noise(**noise))


def test_errors_are_domain_errors_with_plain_messages():
    assert issubclass(MotionError, BackcoachError)
    for cls in (NoPersonError, NotVisibleError, WrongViewError, UnknownExerciseError, ExerciseMismatchError):
        assert issubclass(cls, MotionError)


def test_nobody_in_the_video():
    frames = [LandmarkFrame(t=i / 12, points=None, width=640, height=480) for i in range(100)]
    with pytest.raises(NoPersonError, match="No person"):
        analyze_landmarks(frames, "glute_bridge")


def test_no_frames_at_all():
    with pytest.raises(NoPersonError):
        analyze_landmarks([], "glute_bridge")


def test_person_seen_only_briefly_is_refused():
    frames = bridge_frames()
    frames = [f if i < 10 else LandmarkFrame(t=f.t, points=None, width=f.width, height=f.height)
              for i, f in enumerate(frames)]
    with pytest.raises(NoPersonError):
        analyze_landmarks(frames, "glute_bridge")


def test_feet_and_knees_off_screen():
    frames = []
    for f in bridge_frames():
        pts = f.points.copy()
        pts[25:33, 0] -= 0.6  # legs pushed past the left edge, as the pose model extrapolates them
        pts[25:33, 3] = 0.1
        frames.append(LandmarkFrame(t=f.t, points=pts, width=f.width, height=f.height))
    with pytest.raises(NotVisibleError, match="knees and feet"):
        analyze_landmarks(frames, "glute_bridge")


def test_partly_off_screen_for_a_while_is_a_warning():
    frames = []
    for i, f in enumerate(bridge_frames()):
        pts = f.points.copy()
        if i < 40:
            pts[27:33, 3] = 0.05
        frames.append(LandmarkFrame(t=f.t, points=pts, width=f.width, height=f.height))
    result = analyze_landmarks(frames, "glute_bridge")
    assert result.reps == 3
    assert any("feet were out of view" in w for w in result.warnings)


def test_bridge_filmed_from_the_feet_is_refused():
    t, u, _ = rep_timeline(3, Tempo(), 12.0)
    frames = make_frames(clamshell_pose, u, t, Noise(sigma_px=1.0))  # shoulders/hips stacked: a front view
    with pytest.raises(WrongViewError, match="side"):
        analyze_landmarks(frames, "glute_bridge")


def test_unknown_exercise():
    with pytest.raises(UnknownExerciseError, match="no camera check"):
        analyze_landmarks(bridge_frames(), "squat")


def test_unrecognisable_movement():
    rng = np.random.default_rng(0)
    frames = []
    base = bridge_frames(reps=0)[0].points
    for i in range(120):
        pts = base.copy()
        pts[:, :2] += rng.normal(0, 0.002, (33, 2))
        frames.append(LandmarkFrame(t=i / 12, points=pts, width=1280, height=720))
    with pytest.raises(NotRecognisedError, match="not recognised") as caught:
        analyze_landmarks(frames, "auto")
    assert "lying on the back" in str(caught.value)  # says what it saw


def test_mirrored_person_counts_the_same():
    t, u, _ = rep_timeline(4, Tempo(), 12.0)
    frames = make_frames(bridge_pose, u, t, Noise(sigma_px=2.0), flip=True, near="right")
    result = analyze_landmarks(frames, "glute_bridge")
    assert result.reps == 4 and result.fault_counts == {}


@pytest.mark.parametrize("asked", ["clamshell", "side_lying_leg_raise", "side_plank", "bird_dog"])
def test_a_bridge_is_not_counted_as_another_exercise(asked):
    with pytest.raises(ExerciseMismatchError, match="lying on the back"):
        analyze_landmarks(bridge_frames(reps=4, sigma_px=2.0), asked)


def test_a_clamshell_is_not_counted_as_a_side_plank():
    t, u, _ = rep_timeline(3, Tempo(), 12.0)
    with pytest.raises(ExerciseMismatchError, match="lying on one side"):
        analyze_landmarks(make_frames(clamshell_pose, u, t, Noise(sigma_px=1.0)), "side_plank")


def test_bridge_filmed_at_an_angle_is_counted_with_a_warning():
    t, u, _ = rep_timeline(3, Tempo(), 12.0)
    frames = make_frames(bridge_pose, u, t, Noise(sigma_px=2.0), far_offset=(0.05, 0.24))
    result = analyze_landmarks(frames, "glute_bridge")
    assert result.reps == 3 and result.view == "front"
    assert any("camera angle" in w for w in result.warnings)
    assert analyze_landmarks(frames, "auto").exercise == "glute_bridge"


def _starting_at_the_top(blank_start: bool):
    tempo = Tempo(lead_s=0.0, up_s=1.0, hold_s=2.2, down_s=1.0, rest_s=1.0)
    t, u, _ = rep_timeline(3, tempo, 12.0)
    frames = make_frames(bridge_pose, u, t, Noise(sigma_px=2.0))
    if blank_start:  # the pose model found nobody until the person was already at the top
        return [LandmarkFrame(t=f.t, points=None, width=f.width, height=f.height) if f.t < 1.5 else f for f in frames]
    return [f for f in frames if f.t >= 1.5]  # the recording itself starts at the top


def test_repetition_at_the_top_when_first_seen_is_counted_with_a_note():
    result = analyze_landmarks(_starting_at_the_top(blank_start=True), "glute_bridge")
    assert result.reps == 3
    assert not result.repetitions[0].complete and result.repetitions[0].faults == []
    assert any("not seen at the very start" in w for w in result.warnings)


def test_recording_that_starts_at_the_top_gets_no_extra_repetition():
    assert analyze_landmarks(_starting_at_the_top(blank_start=False), "glute_bridge").reps == 2


def _turned(frames, how: str):
    out = []
    for f in frames:
        pts = f.points.copy()
        if how == "upside_down":
            pts[:, 1] = 1.0 - pts[:, 1]
            out.append(LandmarkFrame(t=f.t, points=pts, width=f.width, height=f.height))
        else:  # on its side: the picture turned a quarter, as a phone without rotation metadata
            x, y = pts[:, 0].copy(), pts[:, 1].copy()
            pts[:, 0], pts[:, 1] = 1.0 - y, x
            out.append(LandmarkFrame(t=f.t, points=pts, width=f.height, height=f.width))
    return out


@pytest.mark.parametrize("how, words, exercise", [
    ("upside_down", "upside down", "glute_bridge"),
    ("sideways", "turned on its side", "glute_bridge"),
    ("sideways", "turned on its side", "auto"),
])
def test_turned_video_without_rotation_setting_is_refused(how, words, exercise):
    with pytest.raises(WrongViewError, match=words):
        analyze_landmarks(_turned(bridge_frames(reps=3, sigma_px=2.0), how), exercise)
