"""Jinja filters shared by the templates: plain-language labels and dates."""

from __future__ import annotations

import datetime as dt
from typing import Any

LEVEL_TEXT = {
    "emergency": "Emergency: seek care now",
    "urgent": "Urgent: see a doctor within 24 hours",
    "see_clinician": "Book a review with a clinician",
    "clear": "No warning sign found",
}
ACTION_TEXT = {"progress": "Step up", "hold": "Stay the same", "regress": "Step back"}
ALERT_TEXT = {
    "emergency": "Emergency screen",
    "urgent": "Urgent screen",
    "urgent_cleared": "Urgent screen, cleared",
    "see_clinician": "Review recommended",
    "six_week_rule": "Six-week rule",
    "worsening": "Worsening",
    "rescreen_due": "Re-screen due",
    "low_adherence": "Low adherence",
    "no_recent_activity": "No recent activity",
}


def nice_date(value: Any) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, str):
        try:
            value = dt.datetime.fromisoformat(value)
        except ValueError:
            return value
    if isinstance(value, dt.datetime):
        return value.strftime("%d %b %Y, %H:%M")
    if isinstance(value, dt.date):
        return value.strftime("%a %d %b %Y")
    return str(value)


def short_date(value: Any) -> str:
    if isinstance(value, str):
        try:
            value = dt.datetime.fromisoformat(value)
        except ValueError:
            return value
    if isinstance(value, (dt.date, dt.datetime)):
        return value.strftime("%d %b")
    return "—" if value is None else str(value)


def humanise(value: Any) -> str:
    return str(value or "").replace("_", " ")


def exercise_name(exercise_id: Any) -> str:
    from backcoach.web.usecases import exercise_name as name

    return name(str(exercise_id or ""))


def their(text: Any) -> str:
    """A message written to the person, in the clinician's voice (for clinician pages)."""
    from backcoach.domain.triage import clinician_voice

    return clinician_voice(str(text or ""))


def tone(code: Any) -> str:
    """'bad', 'warn' or 'info' for an alert code: the one rule (domain.triage.tone_of) every page uses."""
    from backcoach.domain.triage import tone_of

    return tone_of(str(code or ""))


def install(env: Any) -> None:
    env.filters["exercise_name"] = exercise_name
    env.filters["their"] = their
    env.filters["tone"] = tone
    env.filters["nice_date"] = nice_date
    env.filters["humanise"] = humanise
    env.filters["short_date"] = short_date
    env.filters["level_text"] = lambda c: LEVEL_TEXT.get(str(c), humanise(c))
    env.filters["action_text"] = lambda c: ACTION_TEXT.get(str(c), humanise(c))
    env.filters["alert_text"] = lambda c: ALERT_TEXT.get(str(c), humanise(c))
