"""Monitoring and escalation (DESIGN.md §5).

Why: self-management is only right while things are getting better. Pain is compared
with the person's own baseline; six weeks after onset, pain that has not clearly improved
means a consultation is due (and the reminder repeats every week); pain clearly worse
than the baseline pauses progression. The screening level, an overdue re-screen, low
adherence and inactivity become alerts, most severe first, so a clinician with many
people sees who needs attention.

Decisions taken here:

* Three separate series: daily pain ("daily"), pain during a session ("during") and pain
  the morning after a session ("next_morning"). The daily figures (baseline, usual pain,
  7-day mean, best week) use the "daily" series only: pain during exercise is judged by
  the progression rules and never enters them. With fewer than three daily entries the
  baseline is provisional (the mean of what there is) and no trend is drawn.
* Usual pain (for the next-morning rule) is the median of the daily entries of the 7 days
  before the morning in question; with none in that week it falls back to the baseline.
* Worsening compares the 7-day mean with the lower of the baseline and the best 7-day
  mean of the last 28 days, so someone who improved from 6/10 to 2/10 and is back at
  4/10 is worsening even though 4 is below their first scores.
* The six-week reminder is raised on every report while the rule holds; ``Alert.due_on``
  names the weekly checkpoint it belongs to (onset + 6 weeks, + 7 days, ...), so a caller
  can notify once a week.
* Adherence is counted per calendar week (Monday to Sunday); a week's plan is the
  program's days per week, fewer for a first week that starts part-way. Low adherence is
  judged on the last completed week. While the screening level is urgent or emergency no
  session is expected, so low adherence and inactivity raise no alert.

Numbers come from ``catalog/thresholds.yaml`` (``monitoring``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any, Literal, Sequence

from .screening import Level
from .thresholds import Thresholds

__all__ = [
    "PainEntry", "baseline_pain", "usual_pain", "mean_pain", "best_weekly_mean", "worsening_reference",
    "is_worsening", "clinically_important", "Alert", "WeekAdherence", "MonitoringReport", "monitor",
    "ALERT_SEVERITY", "weekly_adherence",
]

PainKind = Literal["daily", "during", "next_morning"]
AlertCode = Literal["emergency", "urgent", "urgent_cleared", "see_clinician", "six_week_rule", "worsening",
                    "rescreen_due", "low_adherence", "no_recent_activity"]

ALERT_SEVERITY: dict[str, int] = {
    "emergency": 100, "urgent": 90, "worsening": 70, "six_week_rule": 60, "urgent_cleared": 55, "see_clinician": 50,
    "rescreen_due": 40, "low_adherence": 20, "no_recent_activity": 10,
}


@dataclass(frozen=True)
class PainEntry:
    at: datetime
    nprs: int
    kind: PainKind = "daily"

    def to_dict(self) -> dict[str, Any]:
        return {"at": self.at.isoformat(), "nprs": self.nprs, "kind": self.kind}


def _daily(entries: Sequence[PainEntry]) -> list[PainEntry]:
    return sorted((e for e in entries if e.kind == "daily"), key=lambda e: e.at)


def baseline_pain(entries: Sequence[PainEntry], thresholds: Thresholds) -> float | None:
    """Mean of the first three daily pain entries (pain during or after exercise never counts)."""
    first = _daily(entries)[:thresholds.monitoring.baseline_entries]
    if not first:
        return None
    return sum(e.nprs for e in first) / len(first)


def usual_pain(entries: Sequence[PainEntry], on: date, thresholds: Thresholds) -> float | None:
    """Median of the daily entries of the ``usual_pain_window_days`` days before ``on``
    (rolling, for the next-morning rule); the baseline when that week has none."""
    window = thresholds.monitoring.usual_pain_window_days
    start = on - timedelta(days=window)
    values = sorted(e.nprs for e in entries if e.kind == "daily" and start <= e.at.date() < on)
    if not values:
        return baseline_pain([e for e in entries if e.at.date() < on], thresholds)
    middle = len(values) // 2
    return float(values[middle]) if len(values) % 2 else (values[middle - 1] + values[middle]) / 2


def mean_pain(entries: Sequence[PainEntry], end: date, days: int) -> float | None:
    """Mean daily pain over the ``days`` days ending on ``end`` (inclusive)."""
    start = end - timedelta(days=days - 1)
    values = [e.nprs for e in entries if e.kind == "daily" and start <= e.at.date() <= end]
    return sum(values) / len(values) if values else None


def best_weekly_mean(entries: Sequence[PainEntry], today: date, thresholds: Thresholds) -> float | None:
    """The lowest 7-day mean among the windows ending on each of the last 28 days (today included)."""
    m = thresholds.monitoring
    span = m.worsening_best_window_days + m.mean_window_days - 1
    first = today - timedelta(days=span - 1)
    sums, counts = [0] * span, [0] * span  # per day, oldest first: one pass over the entries
    for e in entries:
        if e.kind == "daily" and first <= e.at.date() <= today:
            sums[(e.at.date() - first).days] += e.nprs
            counts[(e.at.date() - first).days] += 1
    best: float | None = None
    for end in range(m.mean_window_days - 1, span):  # each 7-day window ending on one of the 28 days
        n = sum(counts[end - m.mean_window_days + 1:end + 1])
        if n:
            mean = sum(sums[end - m.mean_window_days + 1:end + 1]) / n
            best = mean if best is None else min(best, mean)
    return best


def worsening_reference(entries: Sequence[PainEntry], today: date, thresholds: Thresholds) -> float | None:
    """What worsening is measured against: the lower of the baseline and the best recent week."""
    candidates = [v for v in (baseline_pain(entries, thresholds), best_weekly_mean(entries, today, thresholds))
                  if v is not None]
    return min(candidates) if candidates else None


def _established(entries: Sequence[PainEntry], thresholds: Thresholds) -> bool:
    return len(_daily(entries)) >= thresholds.monitoring.baseline_entries


def is_worsening(entries: Sequence[PainEntry], today: date, thresholds: Thresholds) -> bool:
    """7-day mean >= reference + worsening_delta, once the baseline is established (DESIGN.md §5)."""
    entries = [e for e in entries if e.at.date() <= today]
    m = thresholds.monitoring
    mean_7d = mean_pain(entries, today, m.mean_window_days)
    reference = worsening_reference(entries, today, thresholds)
    return (_established(entries, thresholds) and mean_7d is not None and reference is not None
            and mean_7d >= reference + m.worsening_delta - 1e-9)


def clinically_important(before: float, after: float, thresholds: Thresholds) -> bool:
    """A change of at least 2 points or at least 30 % (either direction)."""
    m = thresholds.monitoring
    change = abs(after - before)
    if change >= m.important_change_points - 1e-9:
        return True
    return before > 0 and change / before >= m.important_change_fraction - 1e-9


@dataclass(frozen=True)
class Alert:
    code: AlertCode
    severity: int
    message: str
    due_on: date | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"code": self.code, "severity": self.severity, "message": self.message,
                "due_on": None if self.due_on is None else self.due_on.isoformat()}


@dataclass(frozen=True)
class WeekAdherence:
    week_start: date
    done: int
    planned: int

    @property
    def fraction(self) -> float:
        return 1.0 if self.planned <= 0 else min(1.0, self.done / self.planned)

    def to_dict(self) -> dict[str, Any]:
        return {"week_start": self.week_start.isoformat(), "done": self.done, "planned": self.planned,
                "fraction": round(self.fraction, 3)}


@dataclass(frozen=True)
class MonitoringReport:
    baseline: float | None
    mean_7d: float | None
    trend: Literal["improving", "stable", "worsening", "unknown"]
    alerts: tuple[Alert, ...]
    adherence: tuple[WeekAdherence, ...]
    pause_progression: bool
    reasons: tuple[str, ...]

    @property
    def alert_codes(self) -> tuple[str, ...]:
        return tuple(a.code for a in self.alerts)

    def to_dict(self) -> dict[str, Any]:
        return {
            "baseline": None if self.baseline is None else round(self.baseline, 2),
            "mean_7d": None if self.mean_7d is None else round(self.mean_7d, 2),
            "trend": self.trend, "alerts": [a.to_dict() for a in self.alerts],
            "adherence": [w.to_dict() for w in self.adherence], "pause_progression": self.pause_progression,
            "reasons": list(self.reasons),
        }


def _alert(code: AlertCode, message: str, due_on: date | None = None) -> Alert:
    return Alert(code=code, severity=ALERT_SEVERITY[code], message=message, due_on=due_on)


def weekly_adherence(session_dates: Sequence[date], days_per_week: int, program_started: date | None,
                     today: date) -> tuple[WeekAdherence, ...]:
    """Sessions done versus planned for each calendar week from the program's start to today."""
    if program_started is None or days_per_week <= 0 or today < program_started:
        return ()
    done_days = {d for d in session_dates if program_started <= d <= today}
    weeks: list[WeekAdherence] = []
    week_start = program_started - timedelta(days=program_started.weekday())
    while week_start <= today:
        week_end = week_start + timedelta(days=6)
        available = (week_end - max(week_start, program_started)).days + 1
        planned = min(days_per_week, available)
        done = sum(1 for d in done_days if week_start <= d <= week_end)
        weeks.append(WeekAdherence(week_start=week_start, done=done, planned=planned))
        week_start += timedelta(days=7)
    return tuple(weeks)


def monitor(
    entries: Sequence[PainEntry],
    onset: date,
    today: date,
    last_screened_at: datetime | None,
    latest_level: Level | None,
    session_dates: Sequence[date],
    days_per_week: int,
    program_started: date | None,
    thresholds: Thresholds,
    urgent_cleared: bool = False,
) -> MonitoringReport:
    """Everything that should change what the person or the clinician does next, with reasons.

    ``urgent_cleared``: a clinician's clearance covers the latest (urgent) screen, so the
    program goes on; the clinician still sees it, at a lower priority. A trend (and the
    worsening rule) needs an established baseline: fewer entries than the baseline takes
    would compare a score with itself and call noise a change.
    """
    m = thresholds.monitoring
    entries = [e for e in entries if e.at.date() <= today]
    baseline = baseline_pain(entries, thresholds)
    mean_7d = mean_pain(entries, today, m.mean_window_days)
    alerts: list[Alert] = []
    reasons: list[str] = []
    pause = False
    established = _established(entries, thresholds)

    if baseline is None or mean_7d is None or not established:
        trend = "unknown"
        reasons.append(f"Not enough daily pain scores yet to see a trend (the baseline takes {m.baseline_entries}).")
    else:
        reasons.append(f"Baseline pain {baseline:.1f}/10 (first {m.baseline_entries} daily scores); last "
                       f"{m.mean_window_days} days {mean_7d:.1f}/10.")
        if clinically_important(baseline, mean_7d, thresholds):
            trend = "improving" if mean_7d < baseline else "worsening"
        else:
            trend = "stable"

    if latest_level is Level.EMERGENCY:
        alerts.append(_alert("emergency", "The latest screening found signs that need emergency care now."))
        pause = True
    elif latest_level is Level.URGENT and urgent_cleared:
        alerts.append(_alert("urgent_cleared", "The latest screening found signs that needed a doctor; a "
                                               "clinician has checked and recorded their go-ahead."))
    elif latest_level is Level.URGENT:
        alerts.append(_alert("urgent", "The latest screening found signs that need a doctor within 24 hours."))
        pause = True
    elif latest_level is Level.SEE_CLINICIAN:
        alerts.append(_alert("see_clinician", "The latest screening suggests a review with a doctor or "
                                              "physiotherapist."))

    # Worsening: pause progression, step back, recommend a review.
    reference = worsening_reference(entries, today, thresholds)
    if is_worsening(entries, today, thresholds) and reference is not None and mean_7d is not None:
        pause = True
        against = ("your baseline" if baseline is not None and reference >= baseline - 1e-9
                   else f"your best week of the last {m.worsening_best_window_days} days")
        alerts.append(_alert("worsening", f"Pain over the last {m.mean_window_days} days ({mean_7d:.1f}/10) is "
                                          f"{m.worsening_delta:g} or more points above {against} "
                                          f"({reference:.1f}/10). Progression is paused and the exercises step "
                                          "back; please arrange a review with a doctor or physiotherapist."))
        reasons.append("Pain is clearly worse than before: progression paused.")

    # Six-week rule, repeated weekly.
    six_weeks = onset + timedelta(weeks=m.six_week_rule_weeks)
    if today >= six_weeks:
        weeks_after = (today - six_weeks).days // m.six_week_repeat_days
        due_on = six_weeks + timedelta(days=weeks_after * m.six_week_repeat_days)
        if mean_7d is None:
            reasons.append("More than six weeks since the pain began, but no recent pain entries to check "
                           "progress: please record your pain.")
        else:
            improved = (baseline is not None and baseline > 0
                        and (baseline - mean_7d) / baseline >= m.important_change_fraction - 1e-9)
            if mean_7d >= m.six_week_mean_at_least or not improved:
                why = (f"your pain over the last {m.mean_window_days} days is {mean_7d:.1f}/10"
                       if mean_7d >= m.six_week_mean_at_least
                       else f"your pain has not improved by {m.important_change_fraction:.0%} since the start")
                alerts.append(_alert("six_week_rule",
                                     f"It is more than {m.six_week_rule_weeks:g} weeks since your back pain began and "
                                     f"{why}. Please book a consultation with a doctor or physiotherapist. "
                                     "We will remind you every week while this is so.", due_on=due_on))
                reasons.append("Six-week rule: consultation recommended.")

    # Red-flag re-screen at least weekly.
    if last_screened_at is None:
        alerts.append(_alert("rescreen_due", "No safety screening on record: please answer the screening "
                                             "questions."))
    else:
        age = (today - last_screened_at.date()).days
        if age >= m.rescreen_days:
            alerts.append(_alert("rescreen_due", f"The last safety screening was {age} days ago: please answer "
                                                 "the screening questions again (at least once a week).",
                                 due_on=last_screened_at.date() + timedelta(days=m.rescreen_days)))

    # Adherence and activity (not while the program is locked: then no sessions are expected).
    adherence = weekly_adherence(session_dates, days_per_week, program_started, today)
    completed = [w for w in adherence if w.week_start + timedelta(days=6) < today]
    locked = latest_level is not None and latest_level >= Level.URGENT and not urgent_cleared
    if completed and not locked:
        last_week = completed[-1]
        if last_week.planned > 0 and last_week.fraction < m.low_adherence_below:
            alerts.append(_alert("low_adherence", f"Last week {last_week.done} of {last_week.planned} planned "
                                                  "sessions were done. Shorter, regular sessions help more than "
                                                  "occasional long ones.", due_on=last_week.week_start))
    if not locked and program_started is not None and (today - program_started).days >= m.no_activity_days:
        recent = [d for d in session_dates if today - timedelta(days=m.no_activity_days) < d <= today]
        if not recent:
            alerts.append(_alert("no_recent_activity", f"No session logged in the last {m.no_activity_days} "
                                                       "days."))

    alerts.sort(key=lambda a: -a.severity)
    if not alerts:
        reasons.append("Nothing needs attention.")
    return MonitoringReport(baseline=baseline, mean_7d=mean_7d, trend=trend, alerts=tuple(alerts),
                            adherence=adherence, pause_progression=pause, reasons=tuple(reasons))
