"""The audit log as a clinician reads it: plain-language actions, names instead of ids and
emails, details that say what happened, and filters (person, clinician, action, date).

The access rule stays in `web_accounts.audit_entries`; this only shapes and filters what
that returns.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Optional

from backcoach.storage.unit_of_work import UnitOfWork

# Stored action codes -> what a clinician reads. Unknown codes read as their words.
ACTION_NAMES: dict[str, str] = {
    "account.created": "Created an account",
    "invitation.created": "Created an invitation code",
    "invitation.redeemed": "Joined with an invitation code",
    "assignment.created": "Connected a person to a clinician",
    "people.listed": "Opened the list of people",
    "person.viewed": "Viewed the person's record",
    "person.exported": "Downloaded the person's record",
    "clearance.recorded": "Recorded an assessment (lifted the pause)",
    "program.adjusted": "Changed the program",
}
_ADJUST_ACTIONS = {"swap": "swapped", "regress": "stepped back", "progress": "stepped up", "dose": "changed the dose of"}
READ_LIMIT = 5000  # entries read before filtering; the page shows the newest SHOWN of those that match
SHOWN = 300


def action_name(code: str) -> str:
    return ACTION_NAMES.get(code, code.replace(".", " ").replace("_", " ").capitalize())


def _detail_text(action: str, detail: dict[str, Any]) -> str:
    from backcoach.web.usecases import exercise_name

    if action == "clearance.recorded":
        bits = []
        if detail.get("lock_level"):
            bits.append(f"{detail['lock_level']} screen")
        if detail.get("ruled_out"):
            bits.append(f"ruled out: {detail['ruled_out']}")
        if detail.get("seen_where"):
            bits.append(f"seen at: {detail['seen_where']}")
        if detail.get("note"):
            bits.append(f"note: {detail['note']}")
        return "; ".join(bits)
    if action == "program.adjusted":
        verb = _ADJUST_ACTIONS.get(str(detail.get("action")), str(detail.get("action", "changed")))
        text = f"{verb.capitalize()} {exercise_name(str(detail.get('exercise_id', '')))}"
        after = (detail.get("after") or {}).get("exercise_id")
        if after and after != detail.get("exercise_id"):
            text += f" for {exercise_name(after)}"
        if detail.get("note"):
            text += f"; note: {detail['note']}"
        if detail.get("warnings"):
            text += f"; confirmed {len(detail['warnings'])} warning(s)"
        return text
    if action == "people.listed":
        n = detail.get("count", 0)
        return f"{n} {'person' if n == 1 else 'people'}" + (" (through the API)" if detail.get("via") == "api" else "")
    if action in ("person.viewed", "person.exported"):
        return "through the API" if detail.get("via") == "api" else str(detail.get("format", ""))
    if action == "account.created":
        return f"as a {detail.get('role', 'person')}"
    return "; ".join(f"{k.replace('_', ' ')}: {v}" for k, v in detail.items()
                     if k not in ("before", "after", "code") and not isinstance(v, (dict, list)))


def readable(uow: UnitOfWork, entries: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Entries from `audit_entries` with `who` (name), `whom` (person's name), `what` and `details`."""
    emails = sorted({e["actor"] for e in entries if e.get("actor") and e["actor"] != "system"})
    names = uow.users.names_by_email(emails)
    people = uow.people.display_names(sorted({e["person_id"] for e in entries if e.get("person_id")}))
    out = []
    for e in entries:
        detail = e.get("detail") or {}
        out.append({**e, "who": names.get(e["actor"], e["actor"]) if e["actor"] != "system" else "backcoach",
                    "whom": people.get(e["person_id"], "—") if e.get("person_id") else "—",
                    "what": action_name(e["action"]), "details": _detail_text(e["action"], detail)})
    return out


def filtered(entries: list[dict[str, Any]], person_id: Optional[int] = None, actor: Optional[str] = None,
             action: Optional[str] = None, day_from: Optional[dt.date] = None,
             day_to: Optional[dt.date] = None) -> list[dict[str, Any]]:
    """The entries matching every filter given (dates inclusive, on the stored UTC date)."""
    out = []
    for e in entries:
        on = dt.datetime.fromisoformat(e["at"]).date()
        if person_id is not None and e.get("person_id") != person_id:
            continue
        if actor and e.get("actor") != actor:
            continue
        if action and e.get("action") != action:
            continue
        if day_from is not None and on < day_from:
            continue
        if day_to is not None and on > day_to:
            continue
        out.append(e)
    return out
