"""`backcoach outcomes`: the outcome questionnaires."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer
from typer.core import TyperGroup

from backcoach.cli.files import load_json
from backcoach.cli.prompts import ask_outcome
from backcoach.cli.render import out, print_json
from backcoach.cli.root import JsonOpt, PersonOpt, app, now, uow


outcomes_app = typer.Typer(cls=TyperGroup, help="Outcome questionnaires: what is due, answering, and trends.",
                           invoke_without_command=True, rich_markup_mode=None)
app.add_typer(outcomes_app, name="outcomes")


@outcomes_app.callback()
def outcomes_overview(ctx: typer.Context, person: Optional[str] = PersonOpt, as_json: bool = JsonOpt) -> None:
    """What is due today and how each score changed (`backcoach outcomes answer ID` to answer one)."""
    if ctx.invoked_subcommand is not None:
        return
    from backcoach import services
    from backcoach.services.outcomes import instruments

    pid = services.resolve_person(uow(), person)
    overview = services.outcomes_overview(uow(), pid, now())
    if as_json:
        print_json(overview.to_dict())
        return
    if overview.due:
        out.print("Due now: " + ", ".join(f"{d.instrument_id} ({d.label})" for d in overview.due))
        out.print("Answer with `backcoach outcomes answer ID` (or `--answers FILE`).")
    else:
        nxt = f" Next on {overview.next_due:%d %b %Y}." if overview.next_due else ""
        out.print(f"Nothing is due today.{nxt}")
    titles = {i.id: i.short_title for i in instruments()}
    for t in overview.trends:
        out.print(f"- {t.summary}" if t.points else f"- {titles.get(t.instrument_id, t.instrument_id)}: {t.summary}")


@outcomes_app.command("answer")
def outcomes_answer(
    instrument_id: str = typer.Argument(..., metavar="ID", help="psfs, pain_interference or pain_score (see `backcoach outcomes --json`)."),
    answers: Optional[Path] = typer.Option(None, "--answers", help="A JSON file: item id -> answer (otherwise asked)."),
    person: Optional[str] = PersonOpt,
    as_json: bool = JsonOpt,
) -> None:
    """Answer one questionnaire; prints its score and how it compares with your first answer."""
    from backcoach import services
    from backcoach.services.outcomes import instrument

    which = instrument(instrument_id)
    pid = services.resolve_person(uow(), person)
    given = load_json(answers, "answers") if answers is not None else ask_outcome(which)
    rec = services.record_outcome(uow(), pid, which.id, given, now())
    if as_json:
        print_json(rec.to_dict())
        return
    band = f" ({rec.score.band})" if rec.score.band else ""
    out.print(f"{which.short_title}: {rec.score.score:g}{band}. Saved.")
    out.print(rec.trend.summary)
