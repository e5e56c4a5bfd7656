"""Trust (DESIGN §6, v2): what cannot be measured is "cannot judge", never a fault.

Each test builds landmarks from the synthetic model (motion_synth) with one thing the
camera cannot be trusted on: an impossible angle, a camera cut, a repetition far longer
than its tempo, body parts seen too faintly, a view that cannot show the fault, or a
movement that is not in the catalog.
"""

from __future__ import annotations

import math
import os
import subprocess
import sys

import numpy as np
import pytest
from motion_synth import (
    Noise,
    Tempo,
    bridge_pose,
    clamshell_pose,
    make_frames,
    plank_leg_raise_pose,
    rep_timeline,
)

from backcoach.motion import (
    CheckOptions,
    LandmarkFrame,
    NotRecognisedError,
    StreamingAnalyzer,
    analyze_landmarks,
    options_from_dose,
)

FPS = 12.0
CUE = Tempo(up_s=2.0, hold_s=1.0, down_s=2.0, rest_s=1.0)


def _bridge(reps=3, tempo=CUE, **kw):
    t, u, which = rep_timeline(reps, tempo, FPS)
    return make_frames(lambda x: bridge_pose(x, **kw), u, t, Noise(sigma_px=1.0)), t, which


def test_an_angle_no_body_can_make_is_cannot_judge_never_a_fault():
    """Hips "lifted" to 215 degrees (a barbell or a close-up displacing the hip point): the top
    frames are impossible, so the repetition's form is not judged, and nothing is a fault."""
    frames, _, _ = _bridge(top_angle=215.0)
    result = analyze_landmarks(frames, "glute_bridge")
    assert result.reps == 3
    assert result.fault_counts == {}
    reason = result.not_judged["lumbar_hyperextension"]["reason"]
    assert "cannot do" in reason and "200" in reason
    assert all(r.cue == "" and not r.good for r in result.repetitions)


def test_a_real_arch_below_the_limit_is_still_a_fault():
    frames, _, _ = _bridge(top_angle=196.0)
    result = analyze_landmarks(frames, "glute_bridge")
    assert result.fault_counts == {"lumbar_hyperextension": 3}
    check = next(f for f in result.repetitions[0].findings if f.fault == "lumbar_hyperextension")
    assert check.value > check.limit == 192.0  # the measured value next to its limit


def test_a_repetition_across_a_camera_cut_is_neither_counted_nor_judged():
    frames, t, which = _bridge()
    cut = float(np.mean(t[which == 2]))
    result = analyze_landmarks(frames, "glute_bridge", cuts_s=[cut])
    assert result.reps == 2
    assert len(result.not_counted) == 1 and "camera cut" in result.not_counted[0]["reason"]
    assert result.to_dict()["camera_cuts_s"] == [round(cut, 2)]


def test_a_jump_of_the_body_in_the_landmarks_is_a_cut_and_warned():
    """No picture (a landmark stream or file): the body jumping across the picture mid-repetition."""
    frames, t, which = _bridge()
    cut = float(np.mean(t[which == 2]))
    moved = []
    for f in frames:
        if f.t >= cut and f.points is not None:
            pts = f.points.copy()
            pts[:, 0] = pts[:, 0] * 0.5 + 0.45  # another shot: smaller and further right
            pts[:, 1] = pts[:, 1] * 0.5 + 0.2
            f = LandmarkFrame(t=f.t, points=pts, width=f.width, height=f.height)
        moved.append(f)
    result = analyze_landmarks(moved, "glute_bridge")
    assert result.cuts_s and abs(result.cuts_s[0] - cut) < 0.2
    assert result.reps == 2
    assert any("more than one person" in w for w in result.warnings)


def test_no_false_cut_in_a_continuous_set():
    frames, _, _ = _bridge(reps=4)
    result = analyze_landmarks(frames, "glute_bridge")
    assert result.cuts_s == [] and result.reps == 4


def test_a_repetition_far_longer_than_its_tempo_is_not_judged():
    frames, _, _ = _bridge(reps=1, tempo=Tempo(up_s=2.0, hold_s=16.0, down_s=0.4, rest_s=1.0), top_angle=150.0)
    result = analyze_landmarks(frames, "glute_bridge")
    assert result.reps == 1 and result.fault_counts == {}
    assert "far longer than the tempo" in result.not_judged["incomplete_extension"]["reason"]
    # the same repetition is fine when a long hold was prescribed
    held = analyze_landmarks(frames, "glute_bridge", CheckOptions(hold_target_s=16.0))
    assert "incomplete_extension" in held.fault_counts


def test_a_fault_needs_its_landmarks_seen_clearly():
    """Feet apart, but the lower foot is hidden behind the top one (seen faintly): not a fault."""
    t, u, _ = rep_timeline(3, CUE, FPS)
    frames = make_frames(lambda x: clamshell_pose(x, feet_apart=0.3), u, t, Noise(sigma_px=1.0))
    assert analyze_landmarks(frames, "clamshell").fault_counts.get("feet_apart") == 3
    hidden = []
    for f in frames:
        pts = f.points.copy()
        pts[[27, 29, 31], 3] = 0.3  # left (lower) ankle, heel, toes: above the cleaning floor, below the rule's 0.5
        hidden.append(LandmarkFrame(t=f.t, points=pts, width=f.width, height=f.height))
    result = analyze_landmarks(hidden, "clamshell")
    assert result.reps == 3 and "feet_apart" not in result.fault_counts
    assert "not seen clearly" in result.not_judged["feet_apart"]["reason"]


def test_pelvis_drop_is_only_judged_from_the_feet_end():
    t, u, _ = rep_timeline(3, CUE, FPS)
    frames = make_frames(lambda x: bridge_pose(x, one_leg=True), u, t, Noise(sigma_px=1.0))
    result = analyze_landmarks(frames, "single_leg_glute_bridge")
    assert result.reps == 3 and "pelvis_drop" not in result.fault_counts
    reason = result.not_judged["pelvis_drop"]["reason"]
    assert "from the side" in reason and "feet" in reason  # says where to put the phone


def _superman(u: float) -> dict:
    """Lying face down, arms reaching forward; u lifts the arms and legs a little."""
    lift = 0.12 * u
    j = {"shoulder": np.array([0.35, 0.05 + lift / 2]), "hip": np.array([-0.15, 0.05]), "knee": np.array([-0.55, 0.05 + lift / 2]),
         "ankle": np.array([-0.95, 0.05 + lift]), "elbow": np.array([0.65, 0.06 + lift]), "wrist": np.array([0.9, 0.07 + lift]),
         "toe": np.array([-1.0, 0.05 + lift]), "heel": np.array([-0.93, 0.08 + lift]), "nose": np.array([0.55, 0.12 + lift])}
    return {"left": j, "right": dict(j)}


@pytest.mark.parametrize("pose", [plank_leg_raise_pose, _superman], ids=["plank_leg_raise", "superman"])
def test_movements_outside_the_catalog_are_not_recognised(pose):
    t, u, _ = rep_timeline(5, CUE, FPS)
    frames = make_frames(pose, u, t, Noise(sigma_px=1.5))
    with pytest.raises(NotRecognisedError) as caught:
        analyze_landmarks(frames, "auto")
    message = str(caught.value)
    assert "not recognised" in message and "It saw a person" in message and "--exercise" in message


def test_recognition_reports_its_confidence():
    frames, _, _ = _bridge(reps=4)
    result = analyze_landmarks(frames, "auto")
    assert result.exercise == "glute_bridge"
    assert 0.6 <= result.to_dict()["recognition"]["confidence"] <= 1.0


def test_one_cue_per_repetition_and_praise_for_a_good_one():
    frames, _, _ = _bridge(reps=2, top_angle=150.0)
    bad = analyze_landmarks(frames, "glute_bridge").repetitions
    assert all(r.faults == ["incomplete_extension"] and r.cue.startswith("Push through your heels") for r in bad)
    frames, _, _ = _bridge(reps=2)
    good = analyze_landmarks(frames, "glute_bridge").repetitions
    assert all(r.good and r.faults == [] and r.cue.startswith("Good repetition") for r in good)


def test_the_most_important_fault_gives_the_cue():
    """Arching and rushing in the same repetition: the cue is about the back."""
    frames, _, _ = _bridge(reps=2, tempo=Tempo(up_s=0.5, hold_s=1.0, down_s=0.5, rest_s=1.5), top_angle=196.0)
    for rep in analyze_landmarks(frames, "glute_bridge").repetitions:
        assert set(rep.faults) == {"lumbar_hyperextension", "rushed"}
        assert "tailbone" in rep.cue


def test_the_stream_sends_the_same_cue_and_findings_as_the_recording():
    frames, _, _ = _bridge(reps=3, top_angle=150.0)
    stream = StreamingAnalyzer("glute_bridge")
    sent = [u.to_dict() for u in (stream.push(f.to_dict()) for f in frames) if u.repetition is not None]
    recorded = analyze_landmarks(frames, "glute_bridge").repetitions
    assert [d["cue"] for d in sent] == [r.cue for r in recorded]
    assert [d["repetition"]["faults"] for d in sent] == [r.faults for r in recorded]
    assert {"t", "reps", "value", "in_repetition", "person_found", "repetition"} <= set(sent[0])  # unchanged keys


def test_options_from_the_program_dose():
    assert options_from_dose({"unit": "reps", "hold_s": [2, 5]}).hold_target_s == 2.0
    assert options_from_dose({"unit": "hold", "hold_s": [3, 8]}).prescribed_hold_s == 3.0
    assert options_from_dose({"unit": "reps"}).hold_s is None
    assert options_from_dose(None).hold_s is None


def test_native_log_lines_are_dropped_and_the_rest_passes(tmp_path):
    code = (
        "import os, sys\n"
        "from backcoach.motion.pose import native_log_filter\n"
        "with native_log_filter():\n"
        "    os.write(2, b'W0000 00:00:1795954500.197084   14255 inference_feedback_manager.cc:114] noise\\n')\n"
        "    os.write(2, b'[mjpeg @ 0x559bdb6f4e40] dqt: len 65 is too large\\n')\n"
        "    os.write(2, b'[mov,mp4,m4a,3gp,3g2,mj2 @ 0x5606b1b65380] moov atom not found\\n')\n"
        "    os.write(2, b'[ WARN:0@0.054] global cap.cpp:204 open VIDEOIO(FFMPEG): backend is generally available\\n')\n"
        "    print('a line for the person', file=sys.stderr, flush=True)\n"
        "print('after', file=sys.stderr, flush=True)\n"
    )
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=60)
    assert out.returncode == 0, out.stderr
    assert out.stderr.splitlines() == ["a line for the person", "after"]


def test_the_body_jump_distance_in_plain_floats_is_numpys_norm_to_rounding():
    """`jumped` measures the hips' move in plain floats (asked on every live frame): numpy's norm
    of the 2-vector to within rounding (numpy's kernels may round the last bit differently, as
    on an AVX-512 machine), so the same verdict a hair either side of the limit. The live stream
    and the recording both ask `jumped`, so they agree exactly."""
    from backcoach.motion import signals as S
    from backcoach.motion.config import motion_config
    from backcoach.motion.trust import jumped

    trust = motion_config().trust
    rng = np.random.default_rng(4)
    for _ in range(3000):
        a, b = rng.normal(0, 1, 2) * 10.0 ** rng.uniform(-3, 0), rng.normal(0, 1, 2) * 10.0 ** rng.uniform(-3, 0)
        distance = float(np.linalg.norm(b - a))
        assert math.isclose(S.length_of(*(b - a).tolist()), distance, rel_tol=1e-15)
        size = distance / trust.cut_body_jump_torso  # the distance at the limit, then a hair either side
        for s, expected in ((size * (1 + 1e-12), False), (size * (1 - 1e-12), True)):
            assert jumped(a, s, b, s, trust) == expected
            assert jumped(tuple(a.tolist()), s, tuple(b.tolist()), s, trust) == expected
