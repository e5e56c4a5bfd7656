"""The daily walking goal (issue 14): logged with the check-in, raised gently.

Why: staying active is the core of self-management advice for low back pain (NICE NG59),
and walking is the activity almost everyone can do. The goal starts small and rises one
step at a time when it has been met on most days of a week, up to about the WHO's 150
minutes a week. It never drops: a person who walks less is not told off; the goal waits.

Decisions taken here:

* A check-in asks for the minutes walked *yesterday* (a whole day). An entry on day D counts
  for day D-1; the last entry about a day wins (a correction).
* The goal is recomputed from the whole walking history each time (pure, no stored goal):
  it starts at ``start_minutes`` on the day of the first entry and, walking forward day by
  day, rises by ``step_minutes`` when it was met on at least ``days_met_to_step`` of the
  last ``window_days`` days and the last rise was at least ``window_days`` ago.

Numbers: ``catalog/thresholds.yaml`` (``walking``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any, Iterable, Mapping

from .thresholds import WalkingThresholds

__all__ = ["WalkingGoal", "walking_goal", "walked_by_day"]


@dataclass(frozen=True)
class WalkingGoal:
    minutes: int
    """Today's goal, minutes of walking a day."""
    yesterday: int | None
    """Minutes walked yesterday, if logged."""
    days_met: int
    """Days in the current window (ending yesterday) on which the goal was met."""
    window_days: int
    raised_on: date | None
    """The day the goal last went up (None: still the starting goal)."""
    at_top: bool
    today: date | None = None

    def text(self) -> str:
        """The goal in plain words for the person (the CLI; Today shows the goal as a heading)."""
        return f"Walking goal: {self.minutes} minutes a day, at your own pace. {self.progress_text()}"

    def progress_text(self) -> str:
        """How the goal is going, without the goal itself (it is the heading on Today)."""
        head = ""
        if self.raised_on is not None and self.yesterday is not None and self.raised_on == self.today:
            head = "It went up today, because you met it on most days last week."
        if self.yesterday is None:
            done = " Tell us yesterday's minutes in your check-in."
        elif self.yesterday >= self.minutes:
            done = f" Yesterday: {self.yesterday} minutes, goal met. Well done."
        else:
            done = f" Yesterday: {self.yesterday} minutes. Any walking helps; split it into short walks if that is easier."
        if self.at_top:
            more = " That is the full goal: keep it up."
        else:
            more = (f" Met on {self.days_met} of the last {self.window_days} days; the goal goes up a little once it "
                    "is met on most days of a week.")
        return (head + done + more).strip()

    def to_dict(self) -> dict[str, Any]:
        return {"minutes": self.minutes, "yesterday": self.yesterday, "days_met": self.days_met,
                "window_days": self.window_days,
                "raised_on": None if self.raised_on is None else self.raised_on.isoformat(), "at_top": self.at_top,
                "text": self.text()}


def walked_by_day(entries: Iterable[tuple[date, int | None]]) -> dict[date, int]:
    """Check-in day and minutes (oldest first) -> minutes walked on each day (the day before the check-in)."""
    out: dict[date, int] = {}
    for day, minutes in entries:
        if minutes is not None:
            out[day - timedelta(days=1)] = int(minutes)
    return out


def walking_goal(walked: Mapping[date, int], today: date, t: WalkingThresholds) -> WalkingGoal:
    """Today's goal from the minutes walked on each day before today (:func:`walked_by_day`)."""
    goal = t.start_minutes
    raised_on: date | None = None
    days = sorted(d for d in walked if d < today)
    if days:
        day = days[0]
        last_rise = day - timedelta(days=t.window_days)  # the first window may raise the goal
        while day < today:  # at the end of each day walked, decide the next day's goal
            window = [day - timedelta(days=i) for i in range(t.window_days)]
            met = sum(1 for d in window if walked.get(d, 0) >= goal)
            if goal < t.max_minutes and met >= t.days_met_to_step and (day - last_rise).days >= t.window_days:
                goal = min(goal + t.step_minutes, t.max_minutes)
                raised_on = day + timedelta(days=1)
                last_rise = day
            day += timedelta(days=1)
    yesterday = today - timedelta(days=1)
    window = [yesterday - timedelta(days=i) for i in range(t.window_days)]
    days_met = sum(1 for d in window if walked.get(d, 0) >= goal)
    return WalkingGoal(minutes=goal, yesterday=walked.get(yesterday), days_met=days_met, window_days=t.window_days,
                       raised_on=raised_on, at_top=goal >= t.max_minutes, today=today)
