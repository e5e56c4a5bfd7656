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
        "weeks": round(len(days) / 7, 1),
        "ladders": _ladder_timeline(days),
        "walking_goals": {str(d["day"]): d["walking_goal"] for i, d in enumerate(days)
                          if d.get("walking_goal") is not None
                          and (i == 0 or days[i - 1].get("walking_goal") != d["walking_goal"])},
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


def _ladder_timeline(days: list[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    """Each ladder's exercises in the order the simulated program reached them, with the first day."""
    from backcoach.services.common import catalog

    cat = catalog()
    out: dict[str, list[dict[str, Any]]] = {}
    for day in days:
        for text in day.get("prescriptions", ()):
            exercise = cat.get(text.split(":", 1)[0])
            steps = out.setdefault(exercise.ladder, [])
            if not steps or steps[-1]["exercise_id"] != exercise.id:
                steps.append({"exercise_id": exercise.id, "name": exercise.name, "from_day": day["day"],
                              "phase": day.get("phase"), "camera_check": exercise.camera_check})
    return out


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
