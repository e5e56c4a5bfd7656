"""The video path with a fake pose estimator: decoding, sampling and timing without the model."""

from __future__ import annotations

import numpy as np
import pytest
from motion_synth import Tempo, bridge_pose, rep_timeline, render

from backcoach.motion import LandmarkFrame, analyze_video

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
