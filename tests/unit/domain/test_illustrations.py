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
