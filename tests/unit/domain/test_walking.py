"""The daily walking goal (issue 14): starts small, rises gently, never drops."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from backcoach.catalog import load_thresholds
from backcoach.domain.errors import InvalidAnswers
from backcoach.domain.fields import by_name, check_value
from backcoach.domain.inputs import CHECKIN
from backcoach.domain.walking import walked_by_day, walking_goal

T = load_thresholds().walking
WALKED = by_name(CHECKIN)["walked_minutes"]
D0 = date(2026, 11, 2)


def daily(minutes: int, days: int, start: date = D0) -> dict[date, int]:
    return {start + timedelta(days=i): minutes for i in range(days)}


def test_the_goal_starts_at_the_starting_minutes() -> None:
    goal = walking_goal({}, D0, T)
    assert goal.minutes == T.start_minutes and goal.yesterday is None and goal.raised_on is None
    assert "check-in" in goal.text()


def test_the_goal_rises_one_step_after_most_days_of_a_week_are_met() -> None:
    walked = daily(T.start_minutes, T.days_met_to_step - 1)
    assert walking_goal(walked, D0 + timedelta(days=T.days_met_to_step - 1), T).minutes == T.start_minutes
    walked = daily(T.start_minutes, T.days_met_to_step)
    goal = walking_goal(walked, D0 + timedelta(days=T.days_met_to_step), T)
    assert goal.minutes == T.start_minutes + T.step_minutes
    assert goal.raised_on == D0 + timedelta(days=T.days_met_to_step)
    assert "went up today" in goal.text()


def test_the_goal_rises_at_most_once_a_window_and_stops_at_the_top() -> None:
    walked = daily(T.max_minutes + 30, 200)
    weeks = (T.max_minutes - T.start_minutes) // T.step_minutes
    seen = [walking_goal(walked, D0 + timedelta(days=n), T).minutes for n in range(1, 120)]
    assert seen == sorted(seen)  # never drops
    rises = [n for n in range(1, len(seen)) if seen[n] != seen[n - 1]]
    assert len(rises) == weeks
    assert all(b - a >= T.window_days for a, b in zip(rises, rises[1:]))
    top = walking_goal(walked, D0 + timedelta(days=119), T)
    assert top.minutes == T.max_minutes and top.at_top and "full goal" in top.text()


def test_walking_less_never_lowers_the_goal_and_is_not_scolded() -> None:
    walked = {**daily(T.start_minutes, 7), **daily(0, 14, D0 + timedelta(days=7))}
    goal = walking_goal(walked, D0 + timedelta(days=21), T)
    assert goal.minutes == T.start_minutes + T.step_minutes and goal.days_met == 0
    assert "Any walking helps" in goal.text()


def test_a_check_in_logs_the_day_before_and_a_correction_wins() -> None:
    walked = walked_by_day([(D0, 12), (D0, 15), (D0 + timedelta(days=1), None)])
    assert walked == {D0 - timedelta(days=1): 15}
    assert walking_goal(walked, D0, T).yesterday == 15


@pytest.mark.parametrize(("value", "expected"), [(None, None), (20, 20), (0, 0), (24 * 60, 24 * 60)])
def test_minutes_walked_are_checked_by_the_check_in_spec(value, expected) -> None:
    assert check_value(WALKED, value, "walked_minutes") == expected
    assert WALKED.parse_text("") is None and WALKED.parse_text("15") == 15


@pytest.mark.parametrize("value", [-1, "abc", 2.5, True, 24 * 60 + 1, float("inf")])
def test_bad_minutes_walked_are_refused_with_a_clear_message(value) -> None:
    with pytest.raises(InvalidAnswers, match="whole number from 0 to 1440"):
        check_value(WALKED, value, "walked_minutes")
