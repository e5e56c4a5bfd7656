"""`backcoach log`: record a session and see what changes next time."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from backcoach.cli.files import keep_unsaved, load_json
from backcoach.cli.prompts import ask_session
from backcoach.cli.render import out, print_json, render_alerts, render_decisions
from backcoach.cli.root import InputError, JsonOpt, PersonOpt, app, gated, now, uow


@app.command()
def log(
    file: Optional[Path] = typer.Option(None, "--file", help="The session as JSON (format above)."),
    person: Optional[str] = PersonOpt,
    as_json: bool = JsonOpt,
) -> None:
    """Record a session and see what changes next time, and why.

    Per exercise: sets, reps per set (or seconds held), pain during it (0-10), effort (RPE 0-10)
    and form (good, some_faults or poor). Without --file the questions are asked one by one.

    \b
    Session file (JSON):
      {"exercises": [
         {"exercise_id": "glute_bridge", "sets": 2, "reps": [10, 10], "hold_s": 3,
          "pain_during": 1, "rpe": 5, "form": "good"},
         {"exercise_id": "side_plank_knees", "sets": 2, "hold_s": [20, 20],
          "pain_during": 0, "rpe": 6, "form": "good", "faults": ["hip_sag"]}],
       "pain_now": 2,
       "performed_on": "2026-03-02",
       "idempotency_key": "any text; the same key twice changes nothing"}
    """
    from backcoach import services

    from backcoach.storage import StorageError

    data = load_json(file, "session") if file is not None else None
    pid = services.resolve_person(uow(), person)
    if data is None:
        session = gated(as_json, lambda: services.todays_session(uow(), pid, now()))
        data = ask_session(session)
        try:
            logged = gated(as_json, lambda: services.log_session(uow(), pid, data, now()))
        except StorageError as exc:
            kept = keep_unsaved({**data, "performed_on": now().date().isoformat()}, "session")
            where = f"; your answers are kept in {kept}: log them later with `backcoach log --file {kept}`" if kept else ""
            raise InputError(f"the session was NOT saved: {exc}{where}") from None
    else:
        logged = gated(as_json, lambda: services.log_session(uow(), pid, data, now()))
    result = logged.to_dict()
    if as_json:
        print_json(result)
        return
    if logged.duplicate:
        out.print("This session was already saved; nothing changed.", style="yellow")
    out.print(f"Session saved ({logged.performed_on}). Next time:", style="bold")
    render_decisions(result["decisions"])
    render_alerts(result["alerts"])
    if result.get("reminder"):
        out.print(f"Reminder: {result['reminder']}", style="yellow")
    out.print("Tomorrow morning: `backcoach checkin --pain N --next-morning`.")
