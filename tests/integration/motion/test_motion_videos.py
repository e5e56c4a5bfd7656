"""The camera form coach on real videos and on malformed files.

Real clips live outside the repository (`<repo>/../shared/data/videos`, with labels.json)
and are never copied in; these tests skip with a reason when they are absent. Pose
estimation runs once per clip per session (a session fixture) to keep the suite quick.
"""

from __future__ import annotations

import json
import struct
from pathlib import Path

import os
import subprocess
import sys

import numpy as np
import pytest

IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")
if IN_CI:  # CI installs the vision extra: a missing one is a failure, not a skip
    import cv2
    import mediapipe  # noqa: F401
else:
    cv2 = pytest.importorskip("cv2", reason="needs the vision extra (opencv)")
    pytest.importorskip("mediapipe", reason="needs the vision extra (mediapipe)")

from typer.testing import CliRunner  # noqa: E402

from backcoach.motion import (  # noqa: E402
    ExerciseMismatchError,
    NoPersonError,
    NotVisibleError,
    StreamingAnalyzer,
    VideoError,
    WrongViewError,
    analyze_landmarks,
    analyze_video,
    extract_landmarks,
)
from backcoach.motion.checks import family_of  # noqa: E402
from backcoach.motion.config import motion_config  # noqa: E402
from backcoach.cli import app as backcoach_app  # noqa: E402

REPO = Path(__file__).resolve().parents[3]
DEFAULT_SAMPLE_FPS = motion_config().sampling.sample_fps  # the rate analyze_video uses by default
VIDEOS = REPO.parent / "shared" / "data" / "videos"
LABELS_FILE = VIDEOS / "labels.json"


def _labels() -> dict:
    if not LABELS_FILE.exists():
        return {}
    return {k: v for k, v in json.loads(LABELS_FILE.read_text()).items() if not k.startswith("_")}


LABELS = _labels()
if IN_CI and not LABELS:
    raise RuntimeError(f"CI needs the real test videos at {VIDEOS} (../shared beside the checkout)")
needs_videos = pytest.mark.skipif(not LABELS, reason=f"real test videos not found at {VIDEOS}")


@pytest.fixture(scope="session")
def real_landmarks():
    """Pose landmarks of every labelled clip at the default frame rate, computed once per test session."""
    out = {}
    for name in LABELS:
        path = VIDEOS / name
        if path.exists():
            frames, info, _ = extract_landmarks(str(path), sample_fps=DEFAULT_SAMPLE_FPS)
            out[name] = (frames, info)
    return out


def _recorded_result(real_landmarks, name: str, exercise: str):
    """What `analyze_video(clip, exercise)` answers at the default frame rate, from the session's
    landmarks: the pipeline is extraction then `analyze_landmarks` (motion/analysis.py), and the
    extraction, the costly part, is the one `real_landmarks` already made at that rate."""
    frames, info = real_landmarks[name]
    seconds = info.decoded_s if info.decoded_s is not None else info.duration_s
    return analyze_landmarks(frames, exercise, seconds=seconds, cuts_s=info.cuts_s, second_looks=info.second_looks)


def _expected(label: dict) -> tuple[int | None, int | None]:
    """(exact count, approximate count) from a label: reps or holds are exact, reps_approx is not."""
    if "reps" in label:
        return label["reps"], None
    if "holds" in label:
        return label["holds"], None
    return None, label.get("reps_approx")


EXACT = sorted(n for n, lab in LABELS.items() if _expected(lab)[0] is not None)


@needs_videos
@pytest.mark.video
@pytest.mark.parametrize("name", sorted(LABELS))
def test_repetitions_on_real_videos(real_landmarks, name):
    label = LABELS[name]
    frames, info = real_landmarks[name]
    result = analyze_landmarks(frames, label["exercise"], seconds=info.duration_s, cuts_s=info.cuts_s,
                               second_looks=info.second_looks)
    exact, approx = _expected(label)
    if exact is not None:
        assert result.reps == exact, result.to_dict()
    else:
        assert abs(result.reps - approx) <= 1, result.to_dict()
    assert result.view == label["view"]
    forbidden = set(label.get("not_faults", ())) & set(result.fault_counts)
    assert not forbidden, (forbidden, result.to_dict())
    assert not result.cuts_s, "no camera cut in a continuous clip"
    assert result.people["looks"] >= 1 and result.people["others_seen"] == 0, result.people  # one person in each clip
    assert not any("More than one person" in w for w in result.warnings)


@needs_videos
@pytest.mark.video
def test_a_second_person_in_view_is_warned_and_the_followed_one_named(tmp_path):
    """Two people: the real bridge clip beside a mirrored copy of itself, in one picture."""
    src = cv2.VideoCapture(str(VIDEOS / "glute_bridge_side_real.mp4"))
    fps = src.get(cv2.CAP_PROP_FPS) or 25.0
    path = tmp_path / "two_people.mp4"
    writer = None
    while True:
        ok, frame = src.read()
        if not ok:
            break
        h, w = frame.shape[:2]
        frame = cv2.resize(frame, (w // 2, h // 2))  # two people in the picture size of one
        both = np.concatenate([frame, frame[:, ::-1]], axis=1)
        if writer is None:
            writer = cv2.VideoWriter(str(path), cv2.VideoWriter_fourcc(*"mp4v"), fps, (both.shape[1], both.shape[0]))
        writer.write(both)
    src.release()
    writer.release()
    result = analyze_video(str(path), "glute_bridge")
    people = result.to_dict()["people"]
    assert people["others_seen"] >= 2 and people["looks"] >= people["others_seen"], people
    followed_left = "left" in people["followed"]
    assert ("right" if followed_left else "left") in people["other_seen"], people  # the other one, not the same
    warning = next(w for w in result.warnings if "More than one person" in w)
    assert people["followed"] in warning
    assert result.reps == LABELS["glute_bridge_side_real.mp4"]["reps"]  # the followed person's set still counts


@needs_videos
@pytest.mark.video
@pytest.mark.parametrize("name", EXACT)
def test_same_count_and_faults_at_8_12_and_15_frames_per_second(real_landmarks, name):
    """Stability: the analysed frame rate does not change the count or which faults are found.
    (8 per second is the default rate: the session's landmarks are that analysis.)"""
    label = LABELS[name]
    seen = {}
    for fps in (8.0, 12.0, 15.0):
        if fps == DEFAULT_SAMPLE_FPS:
            result = _recorded_result(real_landmarks, name, label["exercise"])
        else:
            result = analyze_video(str(VIDEOS / name), label["exercise"], sample_fps=fps)
        seen[fps] = (result.reps, tuple(sorted(result.fault_counts)))
    assert len(set(seen.values())) == 1, seen
    assert seen[8.0][0] == _expected(label)[0]


@needs_videos
@pytest.mark.video
def test_exact_count_rate_on_labelled_clips(real_landmarks):
    exact = EXACT
    hits = sum(analyze_landmarks(real_landmarks[n][0], LABELS[n]["exercise"]).reps == _expected(LABELS[n])[0] for n in exact)
    assert hits / len(exact) >= 0.95


@needs_videos
@pytest.mark.video
@pytest.mark.parametrize("name", sorted(LABELS))
def test_auto_recognises_the_exercise_family(real_landmarks, name):
    result = analyze_landmarks(real_landmarks[name][0], "auto")
    assert family_of(result.exercise) == family_of(LABELS[name]["exercise"])
    assert result.recognition["confidence"] >= 0.6


@needs_videos
@pytest.mark.video
def test_good_real_bridge_has_no_form_faults_beyond_the_short_hold(real_landmarks):
    name = "glute_bridge_side_real.mp4"
    if name not in real_landmarks:
        pytest.skip(f"{name} not present")
    result = analyze_landmarks(real_landmarks[name][0], "glute_bridge")
    # a quick demonstration (about 2 s a repetition): faster than the cue "two seconds up, two down";
    # no hold was prescribed, so the brief squeeze is not judged
    assert set(result.fault_counts) <= {"rushed"}
    assert "no_hold" not in result.not_judged
    for rep in result.repetitions:
        assert rep.metrics["peak_hip_angle_deg"] == pytest.approx(180, abs=8)
        assert rep.metrics["knee_angle_at_top_deg"] == pytest.approx(90, abs=15)


@needs_videos
@pytest.mark.video
@pytest.mark.parametrize("name", sorted(LABELS))
def test_stream_of_real_landmarks_counts_like_the_recording(real_landmarks, name):
    frames, _ = real_landmarks[name]
    exercise = LABELS[name]["exercise"]
    stream = StreamingAnalyzer(exercise)
    for f in frames:
        stream.push(f.to_dict())
    stream.finish()
    assert stream.reps == analyze_landmarks(frames, exercise).reps


@needs_videos
@pytest.mark.video
def test_wrong_exercise_on_a_real_video_is_refused(real_landmarks):
    name = "glute_bridge_side_real.mp4"
    if name not in real_landmarks:
        pytest.skip(f"{name} not present")
    with pytest.raises(ExerciseMismatchError):
        analyze_landmarks(real_landmarks[name][0], "clamshell")


@needs_videos
@pytest.mark.video
def test_two_pose_workers_count_the_same(tmp_path):
    """The video is cut in two at 4.8 s, in the middle of the third repetition."""
    video = VIDEOS / "glute_bridge_side_real.mp4"
    if not video.exists():
        pytest.skip(f"{video.name} not present")
    result = analyze_video(str(video), "glute_bridge", workers=2)
    assert result.timings["workers"] == 2
    assert result.reps == LABELS[video.name]["reps"]
    t = result.sequence.t
    assert np.all(np.diff(t) > 0)


def _cropped_copy(src: Path, out: Path, x0: int, x1: int) -> Path:
    cap = cv2.VideoCapture(str(src))
    fps = cap.get(cv2.CAP_PROP_FPS)
    frames = []
    while True:
        ok, frame = cap.read()
        if not ok:
            break
        frames.append(np.ascontiguousarray(cv2.resize(frame, (640, 360))[:, x0:x1]))
    cap.release()
    return _write(out, frames, fps=fps)


@needs_videos
@pytest.mark.video
def test_person_partly_out_of_the_picture(tmp_path):
    """Real clip cropped: without the feet it is refused; without the head it still counts right."""
    src = VIDEOS / "glute_bridge_side_real.mp4"
    if not src.exists():
        pytest.skip(f"{src.name} not present")
    with pytest.raises(NotVisibleError, match="feet"):
        analyze_video(str(_cropped_copy(src, tmp_path / "no_feet.mp4", 310, 640)), "glute_bridge")
    result = analyze_video(str(_cropped_copy(src, tmp_path / "no_head.mp4", 0, 490)), "glute_bridge")
    assert result.reps == LABELS[src.name]["reps"]


@needs_videos
@pytest.mark.video
@pytest.mark.parametrize("turn, words", [(cv2.ROTATE_180, "upside down"), (cv2.ROTATE_90_CLOCKWISE, "on its side")])
def test_turned_real_video_without_rotation_setting_is_refused(tmp_path, turn, words):
    src = VIDEOS / "glute_bridge_side_real.mp4"
    if not src.exists():
        pytest.skip(f"{src.name} not present")
    cap = cv2.VideoCapture(str(src))
    frames = []
    while len(frames) < 120:  # 5 s is enough
        ok, frame = cap.read()
        if not ok:
            break
        frames.append(cv2.rotate(cv2.resize(frame, (640, 360)), turn))
    cap.release()
    with pytest.raises(WrongViewError, match=words):
        analyze_video(str(_write(tmp_path / "turned.mp4", frames)), "glute_bridge")


# ------------------------------------------------------------------ the command


@needs_videos
@pytest.mark.video
def test_analyze_command_json_annotation_and_keyframes(tmp_path):
    video = VIDEOS / "glute_bridge_single_rep.mp4"
    if not video.exists():
        pytest.skip(f"{video.name} not present")
    out = tmp_path / "annotated.mp4"
    keys = tmp_path / "keys"
    res = CliRunner().invoke(backcoach_app, ["analyze", str(video), "--exercise", "glute_bridge", "--json",
                                          "--annotate", str(out), "--keyframes", str(keys)])
    assert res.exit_code == 0, res.output
    data = json.loads(res.stdout[res.stdout.index("{"):])
    assert data["exercise"] == "glute_bridge" and data["reps"] == 1
    assert {"start_s", "end_s", "metrics", "faults"} <= set(data["repetitions"][0])
    cap = cv2.VideoCapture(str(out))
    assert cap.isOpened() and cap.get(cv2.CAP_PROP_FRAME_COUNT) > 50
    cap.release()
    assert sorted(p.name for p in keys.iterdir()) == ["rep_01.png"]


@needs_videos
@pytest.mark.video
def test_analyze_command_text_report(real_landmarks, monkeypatch):
    name = "glute_bridge_side_real.mp4"
    if name not in real_landmarks:
        pytest.skip(f"{name} not present")
    frames, info = real_landmarks[name]

    def fake_video(path, exercise, options, sample_fps, progress):  # reuse the session's landmarks
        progress(info.duration_s, info.duration_s)
        return analyze_landmarks(frames, exercise, options, seconds=info.duration_s)

    monkeypatch.setattr("backcoach.motion.analyze_video", fake_video)
    res = CliRunner().invoke(backcoach_app, ["analyze", str(VIDEOS / name), "--exercise", "glute_bridge"])
    assert res.exit_code == 0, res.output
    assert "Glute bridge: 5 repetitions found" in res.stdout
    assert "What to work on" in res.stdout


def test_analyze_command_user_errors_exit_2(tmp_path):
    empty = tmp_path / "empty.mp4"
    empty.write_bytes(b"")
    for args, words in [
        ([str(tmp_path / "missing.mp4")], "No file"),
        ([str(empty)], "empty"),
        ([str(tmp_path)], "folder"),
        ([str(empty), "--exercise", "squat"], "no camera check"),
    ]:
        res = CliRunner().invoke(backcoach_app, ["analyze", *args])
        assert res.exit_code == 2, (args, res.output)
        lines = [ln for ln in res.output.splitlines() if ln.strip()]
        assert len(lines) == 1 and lines[0].startswith("error: ") and words in lines[0], res.output


# ------------------------------------------------------------------ malformed and awkward files


def _write(path: Path, frames: list[np.ndarray], fps: float = 24.0) -> Path:
    h, w = frames[0].shape[:2]
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter_fourcc(*"mp4v"), fps, (w, h))
    for f in frames:
        writer.write(f)
    writer.release()
    return path


def _set_rotation(path: Path, degrees: int) -> None:
    """Write a phone-style rotation into the MP4 track header's display matrix."""
    data = bytearray(path.read_bytes())
    i = data.find(b"tkhd")
    assert i > 0
    offset = (i - 4) + (48 if data[i + 4] == 0 else 60)
    a, b, c, d = {90: (0, 1, -1, 0), 180: (-1, 0, 0, -1), 270: (0, -1, 1, 0)}[degrees]
    matrix = [a << 16, b << 16, 0, c << 16, d << 16, 0, 0, 0, 0x40000000]
    data[offset:offset + 36] = struct.pack(">9I", *[v & 0xFFFFFFFF for v in matrix])
    path.write_bytes(bytes(data))


def test_empty_file(tmp_path):
    p = tmp_path / "empty.mp4"
    p.write_bytes(b"")
    with pytest.raises(VideoError, match="empty"):
        analyze_video(str(p), "glute_bridge")


def test_not_a_video(tmp_path):
    p = tmp_path / "notes.mp4"
    p.write_bytes(b"this is not a video\n" * 200)
    with pytest.raises(VideoError):
        analyze_video(str(p), "glute_bridge")


def test_a_damaged_file_gets_one_plain_line_and_no_decoder_log(tmp_path):
    """FFmpeg and OpenCV print their own lines on the process's stderr ("moov atom not found",
    "[ WARN:0@0.05] global cap.cpp ..."); the person sees only what is wrong and what to do."""
    p = tmp_path / "set.mp4"
    p.write_bytes(b"x")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    out = subprocess.run([sys.executable, "-c", "from backcoach.cli import main; main()", "analyze", str(p),
                          "--exercise", "glute_bridge"], capture_output=True, text=True, env=env, timeout=120)
    assert out.returncode == 2, out
    lines = [ln for ln in (out.stdout + out.stderr).splitlines() if ln.strip()]
    assert lines == ["error: set.mp4 could not be opened as a video. It may be damaged or in an unusual format; "
                     "try MP4."], lines


def test_truncated_video(tmp_path):
    src = _write(tmp_path / "whole.mp4", [np.full((120, 160, 3), i, np.uint8) for i in range(48)])
    p = tmp_path / "truncated.mp4"
    p.write_bytes(src.read_bytes()[: src.stat().st_size // 3])
    with pytest.raises((VideoError, NoPersonError)):
        analyze_video(str(p), "glute_bridge")


def test_moving_shapes_without_a_person(tmp_path):
    frames = []
    for i in range(72):
        img = np.full((360, 640, 3), 40, np.uint8)
        cv2.circle(img, (40 + 7 * i, 180), 40, (0, 200, 255), -1)
        cv2.rectangle(img, (500 - 5 * i, 60), (560 - 5 * i, 140), (255, 100, 0), -1)
        frames.append(img)
    p = _write(tmp_path / "shapes.mp4", frames)
    with pytest.raises(NoPersonError, match="No person"):
        analyze_video(str(p), "auto")


def test_too_short_video(tmp_path):
    p = _write(tmp_path / "short.mp4", [np.zeros((64, 64, 3), np.uint8)] * 10, fps=30.0)
    with pytest.raises(VideoError, match="only 0.3 s"):
        analyze_video(str(p), "glute_bridge")


def test_too_long_video(tmp_path):
    p = _write(tmp_path / "long.mp4", [np.zeros((32, 32, 3), np.uint8)] * 700, fps=1.0)
    with pytest.raises(VideoError, match="minutes"):
        analyze_video(str(p), "glute_bridge")


@needs_videos
@pytest.mark.video
def test_phone_rotation_metadata_is_honoured(tmp_path):
    src = VIDEOS / "glute_bridge_side_real.mp4"
    if not src.exists():
        pytest.skip(f"{src.name} not present")
    cap = cv2.VideoCapture(str(src))
    stored = []
    while True:
        ok, frame = cap.read()
        if not ok:
            break
        small = cv2.resize(frame, (640, 360), interpolation=cv2.INTER_AREA)
        stored.append(cv2.rotate(small, cv2.ROTATE_90_COUNTERCLOCKWISE))  # how a phone held sideways stores it
    cap.release()
    p = _write(tmp_path / "rotated.mp4", stored, fps=24.0)
    _set_rotation(p, 90)
    result = analyze_video(str(p), "glute_bridge")
    assert result.reps == LABELS["glute_bridge_side_real.mp4"]["reps"]
    assert result.view == "side"
    assert any("turned upright" in w for w in result.warnings)


def test_unexpected_failure_is_one_line_not_a_traceback(tmp_path, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr("backcoach.motion.analyze_video", broken)
    res = CliRunner().invoke(backcoach_app, ["analyze", str(tmp_path / "x.mp4")])
    assert res.exit_code == 1
    lines = [ln for ln in res.output.splitlines() if ln.strip()]
    assert len(lines) == 1 and "failed unexpectedly" in lines[0] and "boom" in lines[0]


def test_pose_model_loads_offline_from_the_wheel(monkeypatch):
    """Complexity 1 uses the models bundled in mediapipe 0.10.14; nothing may be downloaded."""
    from mediapipe.python.solutions import download_utils

    from backcoach.motion import MediaPipePose

    def no_download(*args, **kwargs):
        raise AssertionError(f"tried to download {args}")

    monkeypatch.setattr(download_utils, "download_oss_model", no_download)
    pose = MediaPipePose()
    try:
        assert pose.model_complexity == 1
        frame = pose.estimate(np.zeros((240, 320, 3), np.uint8), 0.0)
        assert frame.points is None and (frame.width, frame.height) == (320, 240)
    finally:
        pose.close()


# ------------------------------------------------------------------ trust on real files (DESIGN §6, v2)


def _read_frames(src: Path, size=(640, 360)) -> tuple[list[np.ndarray], float]:
    cap = cv2.VideoCapture(str(src))
    fps = cap.get(cv2.CAP_PROP_FPS)
    frames = []
    while True:
        ok, frame = cap.read()
        if not ok:
            break
        frames.append(cv2.resize(frame, size))
    cap.release()
    return frames, fps


@needs_videos
@pytest.mark.video
def test_a_repetition_across_a_camera_cut_is_not_counted_or_judged(real_landmarks, tmp_path):
    """Two real bridge clips spliced in the middle of a repetition: the cut is found in the
    pictures and the movement across it is neither counted nor judged."""
    a, fps = _read_frames(VIDEOS / "glute_bridge_side_real.mp4")
    b, _ = _read_frames(VIDEOS / "frog_pump_rendered.mp4")
    whole = _recorded_result(real_landmarks, "glute_bridge_side_real.mp4", "glute_bridge")
    third = whole.repetitions[2]
    cut_at = int(round(third.peak_s * fps))
    spliced = _write(tmp_path / "spliced.mp4", a[:cut_at] + b, fps=fps)
    result = analyze_video(str(spliced), "glute_bridge")
    assert result.cuts_s and abs(result.cuts_s[0] - cut_at / fps) < 0.3
    assert all(not (r.start_s < result.cuts_s[0] <= r.end_s) for r in result.repetitions)
    assert result.reps == 2 + LABELS["frog_pump_rendered.mp4"]["reps"]
    assert any("changes shot" in w for w in result.warnings)


def test_sound_only_file_says_no_video_track(tmp_path):
    import wave

    p = tmp_path / "voice_note.mp4"
    with wave.open(str(tmp_path / "note.wav"), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(8000)
        w.writeframes(b"\x00\x01" * 8000)
    p.write_bytes((tmp_path / "note.wav").read_bytes())
    with pytest.raises(VideoError, match="no video track"):
        analyze_video(str(p), "glute_bridge")
    res = CliRunner().invoke(backcoach_app, ["analyze", str(p)])
    assert res.exit_code == 2 and "no video track" in res.output


@needs_videos
@pytest.mark.video
def test_truncated_file_is_analysed_with_a_warning_and_the_decoded_duration(tmp_path):
    """A file cut short (a streamable container keeps its first part readable): the header's
    duration is not reported as if it had all been seen."""
    frames, fps = _read_frames(VIDEOS / "glute_bridge_side_real.mp4", size=(480, 270))
    whole = tmp_path / "whole.avi"
    writer = cv2.VideoWriter(str(whole), cv2.VideoWriter_fourcc(*"MJPG"), fps, (480, 270))
    for f in frames:
        writer.write(f)
    writer.release()
    cut = tmp_path / "cut.avi"
    cut.write_bytes(whole.read_bytes()[: int(whole.stat().st_size * 0.6)])
    result = analyze_video(str(cut), "glute_bridge")
    warning = next(w for w in result.warnings if "cut short" in w)
    assert f"{len(frames) / fps:.1f} s" in warning
    assert result.seconds < 0.7 * len(frames) / fps
    assert result.reps >= 2


def test_gif_frame_delays_give_the_times(tmp_path):
    from PIL import Image

    from backcoach.motion.video import iter_frames, probe

    images = [Image.fromarray(np.full((60, 80, 3), 20 * i, np.uint8)) for i in range(10)]
    path = tmp_path / "anim.gif"
    images[0].save(path, save_all=True, append_images=images[1:], duration=[100] * 5 + [300] * 5, loop=0)
    times = [f.t for f in iter_frames(probe(path), sample_fps=None, threaded=False)]
    assert times == pytest.approx([0.0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.8, 1.1, 1.4, 1.7], abs=0.02)


def test_auto_on_a_movement_outside_the_catalog_exits_2_with_what_it_saw(monkeypatch, tmp_path):
    import sys

    sys.path.insert(0, str(REPO / "tests" / "unit" / "motion"))
    from motion_synth import Noise, Tempo, make_frames, plank_leg_raise_pose, rep_timeline

    t, u, _ = rep_timeline(4, Tempo(up_s=2.0, hold_s=1.0, down_s=2.0), 12.0)
    frames = make_frames(plank_leg_raise_pose, u, t, Noise(sigma_px=1.5))

    def fake_video(path, exercise, options, sample_fps, progress):
        return analyze_landmarks(frames, exercise, options)

    monkeypatch.setattr("backcoach.motion.analyze_video", fake_video)
    res = CliRunner().invoke(backcoach_app, ["analyze", str(tmp_path / "plank.mp4"), "--exercise", "auto", "--json"])
    assert res.exit_code == 2
    assert "not recognised" in res.output and "It saw a person" in res.output


def test_analyze_command_passes_the_prescription_and_tempo_cue(monkeypatch, tmp_path):
    seen = {}

    def fake_video(path, exercise, options, sample_fps, progress):
        seen["options"] = options
        raise VideoError("stop here")

    monkeypatch.setattr("backcoach.motion.analyze_video", fake_video)
    res = CliRunner().invoke(backcoach_app, ["analyze", str(tmp_path / "x.mp4"), "--hold-seconds", "3", "--lift-seconds", "1.5",
                                          "--lower-seconds", "3"])
    assert res.exit_code == 2
    opts = seen["options"]
    assert (opts.hold_s, opts.lift_s, opts.lower_s) == (3.0, 1.5, 3.0)
    CliRunner().invoke(backcoach_app, ["analyze", str(tmp_path / "x.mp4")])
    assert seen["options"].hold_s is None  # no hold prescribed: holds are not judged
