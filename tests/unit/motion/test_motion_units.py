"""Landmark records, geometry, gap filling, segmentation and the report."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import yaml
import pytest
from motion_synth import Noise, Tempo, bridge_pose, make_frames, rep_timeline

from backcoach.motion import LandmarkFrame, LandmarkSequence, analyze_landmarks, frame_from_coco17
from backcoach.motion import signals as S
from backcoach.motion.checks import EXERCISES, get_check
from backcoach.motion.report import CUES, FAULT_LABELS, render_text, to_json, top_cues
from backcoach.motion.segmentation import HoldSettings, HoldTracker, RepetitionCounter, SegmenterSettings

CATALOG_FAULTS = {
    "incomplete_extension", "lumbar_hyperextension", "no_hold", "rushed", "feet_position", "pelvis_drop",
    "feet_apart", "pelvis_roll_back", "small_range", "hip_flexion", "toes_up", "trunk_roll", "excess_range", "hip_sag",
}


def test_frame_round_trip_and_shapes():
    pts = np.random.default_rng(1).random((33, 4))
    f = LandmarkFrame(t=1.5, points=pts, width=640, height=480)
    back = LandmarkFrame.from_dict(json.loads(json.dumps(f.to_dict())))
    assert back.t == 1.5 and back.width == 640
    np.testing.assert_allclose(back.points, pts, atol=1e-5)
    assert LandmarkFrame.from_dict({"t": 0, "landmarks": None}).points is None
    with pytest.raises(ValueError):
        LandmarkFrame(t=0, points=np.zeros((17, 4)))


def test_sequence_uses_true_pixel_proportions():
    pts = np.zeros((33, 4))
    pts[:, 3] = 1
    pts[11, :2] = [0.0, 0.0]
    pts[23, :2] = [1.0, 1.0]
    seq = LandmarkSequence.from_frames([LandmarkFrame(t=0, points=pts, width=1600, height=900)])
    np.testing.assert_allclose(seq.xy[0, 23], [1.0, 900 / 1600])
    back = seq.frame(0)
    np.testing.assert_allclose(back.points[23, :2], [1.0, 1.0])


def test_coco_adapter_maps_body_points_and_leaves_the_rest_unseen():
    kp = np.zeros((17, 3))
    kp[:, 0] = np.arange(17) * 10
    kp[:, 2] = 0.9
    f = frame_from_coco17(0.0, kp, width=200, height=100)
    assert f.points[23, 0] == pytest.approx(110 / 200)  # COCO 11 = left hip
    assert f.points[31, 3] == 0.0  # no toes in COCO


def test_angles():
    a, b, c = np.array([1.0, 0.0]), np.array([0.0, 0.0]), np.array([0.0, 1.0])
    assert S.angle(a, b, c) == pytest.approx(90.0)
    # hips above the shoulder-knee line (image y down) read past 180
    assert S.straightness(np.array([1.0, 0.0]), np.array([0.0, -0.1]), np.array([-1.0, 0.0])) > 180
    assert S.straightness(np.array([1.0, 0.0]), np.array([0.0, 0.1]), np.array([-1.0, 0.0])) < 180


def test_gap_filling_only_bridges_short_gaps():
    t = np.arange(20) * 0.1
    x = np.arange(20, dtype=float)
    x[3:5] = np.nan
    x[10:18] = np.nan
    out = S.fill_gaps(x, t, max_gap_s=0.5)
    np.testing.assert_allclose(out[3:5], [3, 4])
    assert np.isnan(out[10:18]).all()


def test_uniform_grid_puts_missing_frames_back_as_gaps():
    frames = make_frames(bridge_pose, np.zeros(10), np.arange(10) / 10.0, Noise(sigma_px=0))
    seq = LandmarkSequence.from_frames(frames[:4] + frames[6:])
    grid = S.to_uniform_grid(seq)
    assert len(grid) == 10
    assert np.isnan(grid.xy[4:6]).all()


def test_counter_ignores_small_wobbles_and_gaps():
    t = np.arange(0, 20, 0.1)
    x = 120 + 5 * np.sin(t * 3)
    counter = RepetitionCounter(SegmenterSettings(enter_delta=18, min_amplitude=22))
    assert not any(counter.update(a, b) for a, b in zip(t, x))
    x = 120 + 25 * (1 - np.cos(2 * np.pi * t / 4))
    x[30:34] = np.nan
    counter = RepetitionCounter(SegmenterSettings(enter_delta=18, min_amplitude=22))
    segs = [s for s in (counter.update(a, b) for a, b in zip(t, x)) if s]
    assert len(segs) == 5
    assert counter.finish() is None


def test_hold_tracker_debounces():
    tracker = HoldTracker(HoldSettings(min_hold_s=1.0, debounce_s=0.4))
    t = np.arange(0, 10, 0.1)
    flags = (t > 2) & (t < 6)
    flags[35] = False  # a one-frame blip does not split the hold
    bouts = [b for b in (tracker.update(a, bool(f)) for a, f in zip(t, flags)) if b]
    assert len(bouts) == 1
    start, end = bouts[0]
    assert t[end] - t[start] == pytest.approx(3.9, abs=0.2)


def test_every_exercise_has_a_check_and_catalog_fault_ids():
    assert len(EXERCISES) == 12
    assert set(FAULT_LABELS) == CATALOG_FAULTS == set(CUES)
    for exercise in EXERCISES:
        check = get_check(exercise)
        assert check.exercise_id == exercise


CATALOG_FILE = Path(__file__).resolve().parents[3] / "src" / "backcoach" / "catalog" / "exercises.yaml"


@pytest.mark.skipif(not CATALOG_FILE.exists(), reason="exercise catalog data file not present")
def test_fault_ids_match_the_catalog():
    data = yaml.safe_load(CATALOG_FILE.read_text())
    entries = data["exercises"] if isinstance(data, dict) else data
    catalog = {e["id"]: {f["id"] for f in e.get("faults", [])} for e in entries}
    for exercise in EXERCISES:
        check = get_check(exercise)
        assert check.faults, exercise
        assert set(check.faults) <= catalog[exercise], (exercise, set(check.faults) - catalog[exercise])


def _bridge_result(**kw):
    from backcoach.motion import CheckOptions

    t, u, _ = rep_timeline(3, Tempo(up_s=2.0, hold_s=0.5, down_s=2.0), 12.0)
    return analyze_landmarks(make_frames(lambda x: bridge_pose(x, **kw), u, t, Noise(sigma_px=1.0)), "glute_bridge",
                             CheckOptions(hold_target_s=2.0))


def test_json_has_the_documented_shape():
    data = json.loads(to_json(_bridge_result()))
    assert {"exercise", "reps", "repetitions", "faults", "view", "warnings", "frames_analyzed", "seconds"} <= set(data)
    assert data["reps"] == 3 and data["view"] == "side"
    rep = data["repetitions"][0]
    assert {"start_s", "end_s", "metrics", "faults"} <= set(rep)
    assert {"peak_hip_angle_deg", "hold_s"} <= set(rep["metrics"])
    assert data["faults"] == {"no_hold": 3}
    no_hold = next(c for c in rep["checks"] if c["fault"] == "no_hold")
    assert no_hold["status"] == "fault" and no_hold["limit"] == 1.5 and no_hold["value"] < 1.5  # value next to its limit
    assert rep["cue"].startswith("Pause at the top") and rep["good"] is False
    assert "pelvis_drop" not in rep["not_judged"]  # not a rule of the two-leg bridge


def test_cues_put_the_back_first():
    result = _bridge_result(top_angle=196.0)
    cues = top_cues(result)
    assert len(cues) == 2
    assert "lower back" in cues[0]
    text = render_text(result)
    assert "3 repetitions" in text and "lower back arched" in text and "not a medical assessment" in text


def test_good_set_gets_encouragement_not_cues():
    t, u, _ = rep_timeline(2, Tempo(hold_s=2.4), 12.0)
    result = analyze_landmarks(make_frames(bridge_pose, u, t, Noise(sigma_px=1.0)), "glute_bridge")
    assert top_cues(result) == []
    assert "Good form" in render_text(result)


def test_core_works_without_the_vision_extra():
    """Landmark analysis must import and run with neither OpenCV nor MediaPipe installed."""
    import subprocess
    import sys

    code = (
        "import sys; sys.modules['cv2'] = None; sys.modules['mediapipe'] = None\n"
        "import backcoach.motion as m\n"
        "s = m.StreamingAnalyzer('clamshell'); s.finish()\n"
        "try:\n"
        "    m.MediaPipePose()\n"
        "except m.VisionExtraMissing as e:\n"
        "    print('missing:', e)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    assert "backcoach[vision]" in out.stdout


def test_the_pose_model_is_imported_without_pyplot_which_stays_usable():
    """mediapipe's pose solution comes in without matplotlib.pyplot (its drawing helpers' import,
    the costly part of importing mediapipe); mediapipe's own `plt` turns into the real pyplot when used."""
    import importlib.util
    import subprocess
    import sys

    if importlib.util.find_spec("mediapipe") is None or importlib.util.find_spec("matplotlib") is None:
        pytest.skip("needs the vision extra (mediapipe)")
    code = (
        "import sys\n"
        "from backcoach.motion.pose import _pose_solution\n"
        "pose = _pose_solution()\n"
        "assert hasattr(pose, 'Pose')\n"
        "assert 'matplotlib.pyplot' not in sys.modules, 'pyplot imported'\n"
        "from mediapipe.python.solutions import drawing_utils\n"
        "figure = drawing_utils.plt.figure\n"
        "import matplotlib.pyplot as real\n"
        "assert figure is real.figure and type(real).__name__ == 'module'\n"
        "assert _pose_solution() is pose\n"
        "print('ok')\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip().endswith("ok")
