"""The video path with a fake pose estimator: decoding, sampling and timing without the model."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest
from motion_synth import Tempo, bridge_pose, rep_timeline, render

from backcoach.motion import LandmarkFrame, analyze_landmarks, analyze_video, extract_landmarks
from backcoach.motion.config import motion_config
from backcoach.motion.extract import second_look

cv2 = pytest.importorskip("cv2", reason="needs the vision extra (opencv)")

TEMPO = Tempo(up_s=2.0, hold_s=2.2, down_s=2.0, rest_s=0.8, lead_s=1.0, tail_s=1.0)


class ScriptedPose:
    """Returns the kinematic model's landmarks for the frame's time: a stand-in for MediaPipe."""

    def __init__(self) -> None:
        self.t, self.u, _ = rep_timeline(3, TEMPO, 100.0)
        self.calls: list[float] = []

    def estimate(self, image_bgr: np.ndarray, t: float) -> LandmarkFrame:
        self.calls.append(t)
        u = float(np.interp(t, self.t, self.u))
        return render(bridge_pose(u), t)

    def close(self) -> None:
        pass


@pytest.fixture
def blank_video(tmp_path):
    t, _, _ = rep_timeline(3, TEMPO, 30.0)
    path = tmp_path / "set.mp4"
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter_fourcc(*"mp4v"), 30.0, (320, 180))
    for i in range(len(t)):
        frame = np.full((180, 320, 3), 30, np.uint8)
        cv2.putText(frame, str(i), (10, 100), cv2.FONT_HERSHEY_SIMPLEX, 1.0, (255, 255, 255), 2)
        writer.write(frame)
    writer.release()
    return path, len(t) / 30.0


@pytest.mark.parametrize("fps", [6.0, 8.0, 15.0])
def test_sampling_and_counting_through_the_video_path(blank_video, fps):
    path, duration = blank_video
    pose = ScriptedPose()
    result = analyze_video(str(path), "glute_bridge", estimator=pose, sample_fps=fps)
    assert result.reps == 3
    assert result.fault_counts == {}
    steps = np.diff(pose.calls)
    assert steps.min() > 0
    assert np.median(steps) == pytest.approx(1.0 / fps, abs=0.04)
    assert len(pose.calls) == pytest.approx(duration * fps, abs=2)
    assert result.seconds == pytest.approx(duration, abs=0.1)


def test_progress_is_reported_up_to_the_end(blank_video):
    path, duration = blank_video
    seen = []
    analyze_video(str(path), "glute_bridge", estimator=ScriptedPose(), progress=lambda d, total: seen.append(d / total))
    assert seen == sorted(seen) and seen[-1] == pytest.approx(1.0)


class OtherPersonLooker:
    """Stand-in for the still-picture pose model of the second look: reports a person at
    `at` (picture share across) unless that spot was blacked out."""

    def __init__(self, at: float = 0.85, visibility: float = 0.9) -> None:
        self.at, self.visibility, self.seen = at, visibility, []

    def estimate(self, image_bgr: np.ndarray, t: float) -> LandmarkFrame:
        self.seen.append(image_bgr)
        h, w = image_bgr.shape[:2]
        if not image_bgr[h // 2, int(self.at * (w - 1))].any():
            return LandmarkFrame(t=t, points=None, width=w, height=h)
        pts = np.zeros((33, 4))
        pts[:, 0], pts[:, 1], pts[:, 3] = self.at, 0.5, self.visibility
        return LandmarkFrame(t=t, points=pts, width=w, height=h)

    def close(self) -> None:
        pass


def _followed(x0: float, x1: float) -> LandmarkFrame:
    pts = np.zeros((33, 4))
    pts[:, 0] = np.linspace(x0, x1, 33)
    pts[:, 1] = np.linspace(0.3, 0.7, 33)
    pts[:, 3] = 0.9
    return LandmarkFrame(t=0.0, points=pts, width=320, height=180)


def test_the_second_look_blacks_out_the_followed_person_and_finds_someone_else():
    image = np.full((180, 320, 3), 120, np.uint8)
    looker = OtherPersonLooker(at=0.85)
    assert second_look(looker, image, _followed(0.1, 0.5), 0.0) == pytest.approx(0.85)
    masked = looker.seen[-1]
    assert not masked[90, 96].any() and masked[90, 300].all()  # the followed person hidden, the rest kept
    assert image.all()  # the decoded picture itself is untouched
    # the same spot inside the followed person's box is the followed person, not someone else
    assert second_look(OtherPersonLooker(at=0.3), image, _followed(0.1, 0.5), 0.0) is None
    # someone seen too faintly is not counted
    assert second_look(OtherPersonLooker(at=0.85, visibility=0.3), image, _followed(0.1, 0.5), 0.0) is None


def test_the_video_path_takes_second_looks_at_its_interval(blank_video):
    path, duration = blank_video
    looker = OtherPersonLooker(at=0.95)
    frames, info, timings = extract_landmarks(str(path), estimator=ScriptedPose(), looker=looker)
    assert len(info.second_looks) == pytest.approx(duration / motion_config().sampling.second_look_every_s, abs=1)
    assert all(x == pytest.approx(0.95) for _, x in info.second_looks)
    result = analyze_landmarks(frames, "glute_bridge", second_looks=info.second_looks)
    assert result.people["others_seen"] == len(info.second_looks)
    assert any("More than one person" in w and "on the right" in w for w in result.warnings)
    quiet = analyze_landmarks(frames, "glute_bridge", second_looks=[(t, None) for t, _ in info.second_looks])
    assert quiet.people["others_seen"] == 0 and not any("More than one person" in w for w in quiet.warnings)
    # a fake pose model passed in gets no second look of its own
    assert extract_landmarks(str(path), estimator=ScriptedPose())[1].second_looks == ()


def test_the_config_passed_in_sets_the_sampling_and_the_looks(blank_video):
    """`config` reaches the video path (no module reloaded): its sampling rate and its interval
    between second looks are the ones used."""
    path, duration = blank_video
    shipped = motion_config()
    other = dataclasses.replace(shipped, sampling=dataclasses.replace(
        shipped.sampling, sample_fps=5.0, second_look_every_s=shipped.sampling.second_look_every_s / 2))
    default_pose, other_pose = ScriptedPose(), ScriptedPose()
    _, default_info, _ = extract_landmarks(str(path), estimator=default_pose, looker=OtherPersonLooker())
    _, other_info, _ = extract_landmarks(str(path), estimator=other_pose, looker=OtherPersonLooker(), config=other)
    assert len(default_pose.calls) == pytest.approx(duration * shipped.sampling.sample_fps, abs=2)
    assert len(other_pose.calls) == pytest.approx(duration * 5.0, abs=2)
    assert len(other_info.second_looks) > len(default_info.second_looks)
    assert len(other_info.second_looks) == pytest.approx(duration / other.sampling.second_look_every_s, abs=1)
