"""Monitoring and escalation (DESIGN.md §5).

CONTRACT (names and fields fixed; add fields only with defaults):

@dataclass(frozen=True) class PainEntry: at: datetime; nprs: int (0-10); kind: "daily"|"during"|"next_morning"
baseline_pain(entries) -> float|None    mean of the first three pain entries (daily kind first)
mean_pain(entries, end: date, days=7) -> float|None
clinically_important(before, after) -> bool   (>= 2 points or >= 30 %)

@dataclass(frozen=True) class Alert: code: "emergency"|"urgent"|"see_clinician"|"six_week_rule"|"worsening"
    |"rescreen_due"|"low_adherence"|"no_recent_activity"; severity: int (higher = more attention);
    message: str (plain language); .to_dict()
@dataclass(frozen=True) class WeekAdherence: week_start: date; done: int; planned: int; .fraction
@dataclass(frozen=True) class MonitoringReport:
    baseline: float|None; mean_7d: float|None; trend: "improving"|"stable"|"worsening"|"unknown";
    alerts: tuple[Alert,...] (most severe first); adherence: tuple[WeekAdherence,...];
    pause_progression: bool; reasons: tuple[str,...] ; .to_dict()
monitor(entries, onset: date, today: date, last_screened_at: datetime|None, latest_level: Level|None,
        session_dates: Sequence[date], days_per_week: int, program_started: date|None) -> MonitoringReport
    six-week rule (from six weeks after onset: 7-day mean >= 2 or not improved by 30 % vs baseline ->
    recommend consultation, weekly), worsening (7-day mean >= baseline + 2 -> pause progression,
    regress, recommend review), re-screen due weekly, adherence per week, no recent activity.
"""
