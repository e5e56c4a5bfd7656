"""The live path: one frame at a time, a repetition reported as soon as it ends."""

from __future__ import annotations

import dataclasses
import json
import math

import numpy as np
import pytest
from motion_synth import (
    Noise,
    Tempo,
    bridge_pose,
    clamshell_pose,
    hold_timeline,
    leg_raise_pose,
    make_frames,
    rep_timeline,
    side_plank_pose,
)

from backcoach.motion import LandmarkFrame, StreamingAnalyzer, UnknownExerciseError, analyze_landmarks
from backcoach.motion.checks import get_check
from backcoach.motion.checks.base import frame_primary
from backcoach.motion.trust import SETTLE_FRAMES

TEMPO = Tempo(up_s=2.0, hold_s=2.2, down_s=2.0, rest_s=1.0)
MODELS = {"glute_bridge": bridge_pose, "clamshell": clamshell_pose, "side_lying_leg_raise": leg_raise_pose}


@pytest.mark.parametrize("exercise", sorted(MODELS))
def test_stream_counts_like_the_recording(exercise):
    t, u, which = rep_timeline(5, TEMPO, 15.0)
    frames = make_frames(MODELS[exercise], u, t, Noise(sigma_px=3.0, drop_rate=0.08, seed=7))
    stream = StreamingAnalyzer(exercise)
    reported = []
    for f in frames:
        update = stream.push(f)
        assert update.reps == len(reported) + (1 if update.repetition else 0)
        if update.repetition is not None:
            reported.append((f.t, update.repetition))
    stream.finish()
    assert len(reported) == 5
    assert stream.reps == analyze_landmarks(frames, exercise).reps == 5
    for n, (t_reported, rep) in enumerate(reported, start=1):
        movement_end = t[which == n][-1]
        assert t_reported <= movement_end + 0.5, "reported soon after the repetition ends"
        assert rep.faults == []


def test_stream_reports_faults_when_the_repetition_ends():
    t, u, _ = rep_timeline(3, TEMPO, 15.0)
    frames = make_frames(lambda x: bridge_pose(x, top_angle=196.0), u, t, Noise(sigma_px=2.0))
    stream = StreamingAnalyzer("glute_bridge")
    updates = [stream.push(f) for f in frames]
    faults = [upd.repetition.faults for upd in updates if upd.repetition]
    assert faults == [["lumbar_hyperextension"]] * 3
    done = [json.loads(json.dumps(u.to_dict())) for u in updates if u.repetition]
    assert [d["reps"] for d in done] == [1, 2, 3]
    assert done[0]["repetition"]["faults"] == ["lumbar_hyperextension"]


def test_stream_accepts_browser_json_records():
    t, u, _ = rep_timeline(2, TEMPO, 15.0)
    frames = make_frames(bridge_pose, u, t, Noise(sigma_px=1.0))
    stream = StreamingAnalyzer("glute_bridge")
    for f in frames:
        record = json.loads(json.dumps(f.to_dict()))
        # the browser library sends objects with x/y/z/visibility
        record["landmarks"] = [dict(zip(("x", "y", "z", "visibility"), p)) for p in record["landmarks"]]
        stream.push(record)
    assert stream.reps == 2


def test_stream_survives_nobody_in_view():
    stream = StreamingAnalyzer("clamshell")
    for i in range(50):
        update = stream.push(LandmarkFrame(t=i / 15, points=None, width=640, height=480))
        assert update.reps == 0 and update.value is None and not update.person_found
    assert stream.finish() == []


def test_stream_times_holds():
    t, u = hold_timeline([4.0, 6.0], 15.0)
    stream = StreamingAnalyzer("side_plank")
    for f in make_frames(side_plank_pose, u, t, Noise(sigma_px=2.0)):
        stream.push(f)
    reps = stream.finish()
    assert [r.metrics["hold_s"] for r in reps] == pytest.approx([4.0, 6.0], abs=1.0)


def test_stream_needs_a_named_exercise():
    with pytest.raises(UnknownExerciseError):
        StreamingAnalyzer("auto")


def test_long_stream_keeps_counting_with_bounded_memory():
    t, u, _ = rep_timeline(40, Tempo(up_s=0.8, hold_s=0.4, down_s=0.8, rest_s=0.4), 30.0)
    stream = StreamingAnalyzer("clamshell")
    stream.MAX_BUFFER = 600
    for f in make_frames(clamshell_pose, u, t, Noise(sigma_px=1.0)):
        stream.push(f)
    stream.finish()
    assert stream.reps == 40
    assert len(stream._t) <= 2 * stream.MAX_BUFFER
    assert np.all(np.diff([r.start_s for r in stream.repetitions]) > 0)


def _cut_mid_repetition(frames, at: float) -> list[LandmarkFrame]:
    """From `at` on, another shot: the body smaller and further right (the picture is not sent)."""
    out = []
    for f in frames:
        if f.t >= at and f.points is not None:
            pts = f.points.copy()
            pts[:, 0] = pts[:, 0] * 0.5 + 0.45
            pts[:, 1] = pts[:, 1] * 0.5 + 0.2
            f = LandmarkFrame(t=f.t, points=pts, width=f.width, height=f.height)
        out.append(f)
    return out


@pytest.mark.parametrize("exercise", sorted(MODELS))
def test_a_repetition_across_a_camera_cut_is_not_counted_live_as_in_the_recording(exercise):
    t, u, which = rep_timeline(4, TEMPO, 15.0)
    cut = float(np.mean(t[which == 2]))  # in the middle of the second repetition
    frames = _cut_mid_repetition(make_frames(MODELS[exercise], u, t, Noise(sigma_px=2.0, seed=5)), cut)
    stream = StreamingAnalyzer(exercise)
    cut_frames = [f.t for f in frames if stream.push(f).cut]
    stream.finish()
    # said once the frames after the jump show that it stays (the recording's rule)
    assert len(cut_frames) == 1 and 0 <= cut_frames[0] - cut < SETTLE_FRAMES / 15.0
    assert len(stream.cuts_s) == 1 and abs(stream.cuts_s[0] - cut) < 0.1
    assert stream.reps == analyze_landmarks(frames, exercise).reps == 3
    assert len(stream.not_counted) == 1 and "camera cut" in stream.not_counted[0]["reason"]
    assert stream.not_counted[0]["start_s"] < cut < stream.not_counted[0]["end_s"] + 0.1
    assert all(not (r.start_s < cut <= r.end_s) for r in stream.repetitions)


def _moved(frames, spans) -> list[LandmarkFrame]:
    """The body smaller and further right in the frames whose time falls in one of `spans`."""
    return [_cut_mid_repetition([f], f.t)[0] if any(a <= f.t < b for a, b in spans) else f for f in frames]


@pytest.mark.parametrize(("spans", "cuts"), [
    pytest.param([], 0, id="continuous"),
    pytest.param([(5.0, 5.01)], 0, id="one-misplaced-frame"),
    pytest.param([(5.0, 99.0)], 1, id="a-cut"),
    pytest.param([(4.0, 6.0)], 2, id="someone-else-for-two-seconds"),
    pytest.param([(3.0, 4.0), (9.0, 99.0)], 3, id="two-shots-more"),
])
def test_the_live_stream_and_the_recording_see_the_same_cuts(spans, cuts):
    """One rule for both paths (`trust.is_body_cut`): a jump of the body that stays for most
    of the frames after it is a cut (there and back: two), one misplaced frame is not. The
    stream used to cut on any single jump."""
    t, u, _ = rep_timeline(4, TEMPO, 15.0)
    frames = _moved(make_frames(bridge_pose, u, t, Noise(sigma_px=2.0, seed=3)), spans)
    stream = StreamingAnalyzer("glute_bridge")
    flagged = sum(stream.push(f).cut for f in frames)
    stream.finish()
    recorded = analyze_landmarks(frames, "glute_bridge")
    assert stream.cuts_s == pytest.approx(recorded.cuts_s)
    assert flagged == len(stream.cuts_s) == cuts
    assert stream.reps == recorded.reps


def test_no_cut_is_seen_in_a_continuous_noisy_stream():
    t, u, _ = rep_timeline(4, TEMPO, 15.0)
    stream = StreamingAnalyzer("glute_bridge")
    for f in make_frames(bridge_pose, u, t, Noise(sigma_px=3.0, drop_rate=0.1, spikes=6, seed=9)):
        assert not stream.push(f).cut
    assert stream.cuts_s == [] and len(stream.finish()) == 4


# ---------------------------------------------------------------- counting on the counted signal alone


def _without_frame_value(stream: StreamingAnalyzer) -> StreamingAnalyzer:
    """The same stream analysing every signal of every frame (how it worked before `frame_value`)."""
    stream._base_check = stream.check = dataclasses.replace(stream.check, frame_value=None)
    return stream


def _one_frame_primary(check, points: np.ndarray, layout: dict) -> float:
    stream = StreamingAnalyzer(check.exercise_id)
    return float(check.signals(stream._one(points, 0.0), layout)[check.primary][0])


@pytest.mark.parametrize("exercise", ["glute_bridge", "banded_glute_bridge", "single_leg_glute_bridge"])
def test_the_counted_value_in_plain_floats_is_the_signals_one_to_rounding(exercise):
    """`frame_primary` (plain floats) against `check.signals` of the one-frame sequence (numpy),
    on noisy frames with faint, coincident and missing points, sitting up, each layout. The same
    number to within rounding, not always bit for bit: numpy's kernels may round differently
    (on an AVX-512 machine the last bit differed), so a count could differ only for a value
    within about 1e-12 degrees of a threshold."""
    check = get_check(exercise)
    assert check.frame_value is not None
    rng = np.random.default_rng(11)
    t, u, _ = rep_timeline(2, TEMPO, 15.0)
    poses = [f.points for f in make_frames(bridge_pose, u, t, Noise(sigma_px=4.0, seed=2))]
    cases = []
    for p in poses:
        faint = p.copy()
        faint[rng.integers(11, 33, 3), 3] = rng.uniform(0.0, 0.4, 3)
        same = p.copy()
        same[25, :2] = same[23, :2]  # knee on the hip: no angle
        sitting = p.copy()
        sitting[[11, 12], 1] -= 0.5  # shoulders straight above the hips
        cases += [p, faint, same, sitting, p + rng.normal(0, 0.2, p.shape)]
    cases.append(np.full((33, 4), np.nan))
    finite = 0
    for layout in ({"side": "left", "leg": "left"}, {"side": "left", "leg": "right"}, {"side": "right", "leg": "right"}):
        for p in cases:
            fast, slow = frame_primary(check, p.tolist(), layout), _one_frame_primary(check, p, layout)
            assert math.isclose(fast, slow, rel_tol=1e-12, abs_tol=1e-12) or (np.isnan(fast) and np.isnan(slow)), \
                (fast, slow)
            finite += math.isfinite(fast)
    assert finite > len(cases)  # most cases measure something


def test_a_feet_end_variant_has_no_plain_float_counted_value():
    """From the feet end the single-leg bridge counts another signal (hip_rise): the side view's
    plain-float hip angle must not carry over to it."""
    check = get_check("single_leg_glute_bridge")
    assert check.frame_value is not None and check.in_view("feet").frame_value is None


@pytest.mark.parametrize("noise", [
    pytest.param(Noise(sigma_px=3.0, drop_rate=0.08, spikes=4, seed=7), id="noisy"),
    pytest.param(Noise(sigma_px=2.0, seed=5), id="cut"),
])
@pytest.mark.parametrize("exercise", ["glute_bridge", "single_leg_glute_bridge"])
def test_counting_on_the_counted_value_alone_answers_every_frame_as_before(exercise, noise):
    """With `frame_value` the stream works out the other signals only when a repetition ends
    (over it and the start window before it): every update, repetition, fault and cue is the
    same as analysing every signal of every frame."""
    t, u, which = rep_timeline(5, TEMPO, 15.0)
    frames = make_frames(lambda x: bridge_pose(x, top_angle=196.0 if x > 0.5 and x < 0.7 else 178.0), u, t, noise)
    if noise.seed == 5:
        frames = _cut_mid_repetition(frames, float(np.mean(t[which == 3])))
    fast, slow = StreamingAnalyzer(exercise), _without_frame_value(StreamingAnalyzer(exercise))
    a = [fast.push(f) for f in frames]
    b = [slow.push(f) for f in frames]
    assert [x.to_dict() for x in a] == [x.to_dict() for x in b]
    assert [r.to_dict() for r in fast.finish()] == [r.to_dict() for r in slow.finish()]
    assert fast.reps >= 4 and fast.not_counted == slow.not_counted
    assert fast._points and not slow._points  # the two ways were taken


def test_a_long_stream_makes_arrays_of_the_last_repetition_only():
    """A repetition's metrics are worked out over it and the start window before it, not the
    whole buffer (which grew with the session: up to 9,000 frames, arrays rebuilt per repetition)."""
    t, u, _ = rep_timeline(12, TEMPO, 15.0)
    stream = StreamingAnalyzer("glute_bridge")
    sizes = []
    real = stream._arrays
    stream._arrays = lambda lo=0: (sizes.append(len(stream._t) - lo), real(lo))[1]
    for f in make_frames(bridge_pose, u, t, Noise(sigma_px=2.0)):
        stream.push(f)
    assert stream.reps == 12
    longest = (TEMPO.up_s + TEMPO.hold_s + TEMPO.down_s + TEMPO.rest_s + 1.0) * 15
    assert len(sizes) == 12 and max(sizes) < longest < len(stream._t) / 4
