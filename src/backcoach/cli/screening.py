"""`backcoach screen`: the red-flag safety questions."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from backcoach.cli.files import keep_unsaved, load_json
from backcoach.cli.prompts import ask_screening
from backcoach.cli.render import out, print_json, render_screening
from backcoach.cli.root import InputError, JsonOpt, PersonOpt, app, now, uow


@app.command()
def screen(
    answers: Optional[Path] = typer.Option(None, "--answers", help="A JSON file with the answers (see README)."),
    as_json: bool = JsonOpt,
    person: Optional[str] = PersonOpt,
    save: bool = typer.Option(True, "--save/--no-save", help="Store the result for the person set up on this machine."),
) -> None:
    """The red-flag safety questions: level, reasons and what to do next."""
    from backcoach import services

    from backcoach.storage import StorageError

    data = load_json(answers, "answers") if answers is not None else None
    person_id: Optional[int] = None
    storage_problem: Optional[StorageError] = None
    if save:
        try:
            person_id = services.person_for_screening(uow(), person)
        except StorageError as exc:  # the safety screen must still work without the database
            storage_problem = exc
    if data is None:
        data = ask_screening()
    result = services.screen_answers(data).to_dict()  # shown first, whatever happens to storage
    if person_id is not None:
        try:
            lock = services.record_screening(uow(), person_id, data, now()).standing_lock()
            if lock is not None:
                result = {**result, "program_allowed": False, "lock": lock}
        except StorageError as exc:
            storage_problem = exc
    if as_json:
        print_json(result)
    else:
        render_screening(result)
        if person_id is None and save and storage_problem is None:
            out.print("Not saved: no one is set up yet (backcoach start).", style="dim")
    if storage_problem is not None:
        kept = keep_unsaved(data, "screening") if answers is None else None
        where = f"; your answers are kept in {kept}" if kept else ""
        raise InputError(f"the screen above was NOT saved: {storage_problem}{where}")
