"""`backcoach simulate`: replay a scripted course through the real rules."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any, Optional

import typer

from backcoach.cli.files import load_json
from backcoach.cli.render import print_json, render_simulation
from backcoach.cli.root import InputError, JsonOpt, app, now


@app.command()
def simulate(
    profile: str = typer.Option(..., "--profile",
                                help="A scripted course (JSON file), or an example course by name or file "
                                     "name (steady_improvement, flare_up, red_flag; e.g. course_flare_up.json)."),
    days: int = typer.Option(60, "--days", min=1, max=730, help="How many days to replay."),
    start_on: Optional[str] = typer.Option(None, "--start", help="Date of day 1 (default: today)."),
    as_json: bool = JsonOpt,
) -> None:
    """Replay a scripted course through the real rules and print the decisions day by day.

    Nothing is stored: the rules run in memory, exactly as they do for a real person.
    """
    from backcoach.catalog import example_course_name, example_course_names, load_example_course
    from backcoach.domain.simulation import simulate as run
    from backcoach.services.common import catalog, thresholds

    path = Path(profile)
    example = example_course_name(profile)
    if not path.exists() and example is not None:
        course = load_example_course(example)
    elif not path.exists():
        raise InputError(f"profile file not found: {profile} (or use an example: {', '.join(example_course_names())}, "
                         "by name or file name, e.g. course_flare_up.json)")
    else:
        course = load_json(path, "profile")
    try:
        day1 = dt.date.fromisoformat(start_on) if start_on else now().date()
    except ValueError:
        raise InputError(f"--start must be a date like 2026-03-02 (got {start_on!r})") from None
    simulated = run(course, catalog(), thresholds(), day1, days=days)
    data = simulation_dict(course, day1, simulated)
    _add_outcome_schedule(data)
    if as_json:
        print_json(data)
    else:
        render_simulation(data)


def simulation_dict(course: Any, day1: dt.date, simulated: list[Any]) -> dict[str, Any]:
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
