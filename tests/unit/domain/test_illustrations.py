"""The exercise figures show what the cues say (issue 12): the side-lying leg raise lifts the
top leg about 30 degrees, with the bottom knee bent (the leg drawn shorter, seen from the front)."""

import math

import pytest

from backcoach.catalog import load_catalog


def _angle(a, b) -> float:
    return math.degrees(math.atan2(a[1] - b[1], b[0] - a[0]))  # y grows downwards: up is positive


@pytest.mark.parametrize("exercise_id", ["side_lying_leg_raise", "banded_side_lying_leg_raise"])
def test_leg_raise_figure_lifts_about_30_degrees_with_the_bottom_knee_bent(exercise_id):
    frames = load_catalog().get(exercise_id).keyframes
    top = max(frames, key=lambda k: -dict(k.joints)["ankle_far"][1])
    j = dict(top.joints)
    lift = _angle(j["hip_far"], j["toe_far"])
    assert 25 <= _angle(j["hip_far"], j["ankle_far"]) <= 33 and 25 <= lift <= 33
    for k in frames:
        j = dict(k.joints)
        near, far = math.dist(j["hip"], j["ankle"]), math.dist(j["hip_far"], j["ankle_far"])
        assert near < 0.8 * far  # the bottom leg is bent, so it looks shorter than the straight top leg


def _opening(j: dict) -> float:
    """The clam's opening: the angle between the knees seen from the heels (as the camera check measures it)."""
    heels = ((j["ankle"][0] + j["ankle_far"][0]) / 2, (j["ankle"][1] + j["ankle_far"][1]) / 2)
    a = math.atan2(j["knee"][1] - heels[1], j["knee"][0] - heels[0])
    b = math.atan2(j["knee_far"][1] - heels[1], j["knee_far"][0] - heels[0])
    return abs(math.degrees(a - b))


@pytest.mark.parametrize("exercise_id", ["clamshell", "banded_clamshell"])
def test_clamshell_figure_is_seen_from_the_feet_and_opens_the_top_knee_with_the_feet_together(exercise_id):
    exercise = load_catalog().get(exercise_id)
    assert exercise.illustration_view == "feet"  # from the side the knee opening cannot be seen
    frames = [dict(k.joints) for k in exercise.keyframes]
    closed, opened = min(frames, key=_opening), max(frames, key=_opening)
    assert _opening(opened) - _opening(closed) >= 25  # the knee opens visibly
    assert opened["knee"][1] < closed["knee"][1]  # upwards, towards the ceiling
    for j in frames:  # only the top knee moves: feet together, hips stacked, bottom leg on the floor
        for part in ("ankle", "ankle_far", "toe", "toe_far", "hip", "hip_far", "knee_far", "shoulder", "shoulder_far"):
            assert j[part] == frames[0][part], part
        assert math.dist(j["ankle"], j["ankle_far"]) < 0.12 < math.dist(j["hip"], j["hip_far"])
    bottom = max(y for j in frames for _x, y in j.values())
    assert frames[0]["knee_far"][1] >= bottom - 0.05  # the bottom knee rests on the floor
