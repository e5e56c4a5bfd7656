"""`backcoach start` (onboarding) and `backcoach today` (today's session)."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from backcoach.cli.files import load_json
from backcoach.cli.prompts import ask_assessment, ask_screening
from backcoach.cli.render import out, print_json, render_assessment, render_program, render_screening, render_today
from backcoach.cli.root import JsonOpt, PersonOpt, app, exit_locked, gated, now, uow


@app.command()
def start(
    screening: Optional[Path] = typer.Option(None, "--screening", help="Screening answers JSON (otherwise asked)."),
    assessment: Optional[Path] = typer.Option(None, "--assessment", help="Assessment answers JSON (otherwise asked)."),
    name: Optional[str] = typer.Option(None, "--name", help="Your name or a nickname (for a new person)."),
    person: Optional[str] = PersonOpt,
    as_json: bool = JsonOpt,
) -> None:
    """Onboarding: safety screen → assessment → your program (stored on this machine)."""
    from backcoach import services

    screening_data = load_json(screening, "screening") if screening is not None else None
    assessment_data = load_json(assessment, "assessment") if assessment is not None else None
    if screening_data is not None:
        services.screen_answers(screening_data)  # refuse bad answers before anything is stored
    if assessment_data is not None:
        services.assess_answers(assessment_data)

    person_id = services.person_for_onboarding(uow(), person, name, now())
    if person_id is None:
        name = "me" if screening_data is not None else typer.prompt("What should we call you?", default="me")
        person_id = services.create_person(uow(), name, now())

    if screening_data is None:
        screening_data = ask_screening()
    screened = services.record_screening(uow(), person_id, screening_data, now())
    result = screened.result.to_dict()
    if not as_json:
        render_screening(result)
    if not screened.gate.allowed:
        exit_locked(screened.gate.reasons, as_json, {"person_id": person_id, "screening": result})

    if assessment_data is None:
        assessment_data = ask_assessment()
    both = gated(as_json, lambda: services.assess_and_start(uow(), person_id, assessment_data, now()))
    assessed, started = both.assessment, both.program
    if as_json:
        print_json({"person_id": person_id, "screening": result, "assessment": assessed.result.to_dict(),
                    "program_id": started.program_id, "program": started.program.to_dict(),
                    "reminder": started.gate.reminder})
        return
    out.print()
    render_assessment(assessed.result.to_dict())
    render_program(started.program)
    if started.gate.reminder:
        out.print(f"Reminder: {started.gate.reminder}", style="yellow")
    out.print("Next: `backcoach today` shows today's session.")


@app.command()
def today(person: Optional[str] = PersonOpt, as_json: bool = JsonOpt) -> None:
    """Today's session: exercises, dose and cues (or why the program is paused)."""
    from backcoach import services

    pid = services.resolve_person(uow(), person)
    session = gated(as_json, lambda: services.todays_session(uow(), pid, now()))
    if as_json:
        print_json(session.to_dict())
        return
    render_today(session)
