"""Replay a scripted course through the real rules, in memory (`backcoach simulate`).

Nothing is stored: the rules run exactly as they do for a real person, day by day.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Mapping

__all__ = ["replay_course"]


def replay_course(course: Mapping[str, Any], day1: dt.date, days: int) -> dict[str, Any]:
    """The course replayed from `day1` for `days` days: every day's decisions, alerts and the
    questionnaires due, plus a summary a person or a clinician can read at a glance."""
    from backcoach.domain.simulation import simulate
    from backcoach.services.common import catalog, thresholds

    data = _with_summary(course, day1, simulate(course, catalog(), thresholds(), day1, days=days))
    _add_outcome_schedule(data)
    return data


def _with_summary(course: Mapping[str, Any], day1: dt.date, simulated: list[Any]) -> dict[str, Any]:
    """The days plus a summary a person or a clinician can read at a glance."""
    days = [d.to_dict() for d in simulated]
    actions = {"progress": 0, "hold": 0, "regress": 0}
    for d in days:
        for decision in d["decisions"]:
            actions[decision["action"]] = actions.get(decision["action"], 0) + 1
    alert_codes = sorted({a["code"] for d in days for a in d["alerts"]})
    last = days[-1] if days else {}
    summary = {
        "days": len(days),
        "sessions": sum(1 for d in days if d["session_done"]),
        "days_locked": sum(1 for d in days if d["locked"]),
        "first_locked_day": next((d["day"] for d in days if d["locked"]), None),
        "decisions": actions,
        "alerts_raised": alert_codes,
        "final_phase": last.get("phase"),
        "final_prescriptions": last.get("prescriptions", []),
        "final_trend": last.get("trend"),
    }
    return {"name": course.get("name"), "description": course.get("description"), "start": day1.isoformat(),
            "summary": summary, "days": days}


def _add_outcome_schedule(data: dict[str, Any]) -> None:
    """Mark the days the outcome questionnaires would be asked (from the day the program starts)."""
    from backcoach.domain.outcomes import schedule_by_date
    from backcoach.services.outcomes import instruments

    started = next((d["date"] for d in data["days"] if d.get("phase")), None)
    if started is None:
        return
    due = schedule_by_date(instruments(), dt.date.fromisoformat(started), dt.date.fromisoformat(data["days"][-1]["date"]))
    for day in data["days"]:
        day["questionnaires"] = [d.to_dict() for d in due.get(dt.date.fromisoformat(day["date"]), [])]
    data["summary"]["questionnaire_days"] = [d.isoformat() for d in due]
