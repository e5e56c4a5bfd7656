"""`backcoach exercises` and `exercises show ID`: the exercise catalog."""

from __future__ import annotations

import typer
from rich.table import Table
from typer.core import TyperGroup

from backcoach.cli.render import dose_text, exercise_brief, out, print_json
from backcoach.cli.root import JsonOpt, app


exercises_app = typer.Typer(cls=TyperGroup, help="The exercise catalog.", invoke_without_command=True,
                            rich_markup_mode=None)
app.add_typer(exercises_app, name="exercises")


@exercises_app.callback()
def exercises_list(ctx: typer.Context, as_json: bool = JsonOpt) -> None:
    """List the catalog, ladder by ladder (`backcoach exercises show ID` for one)."""
    if ctx.invoked_subcommand is not None:
        return
    from backcoach.services.common import catalog

    cat = catalog()
    if as_json:
        print_json([exercise_brief(cat.get(ex_id)) for ids in cat.ladders.values() for ex_id in ids])
        return
    for ladder, ids in cat.ladders.items():
        table = Table(title=f"{ladder.replace('_', ' ')} ladder", title_justify="left", show_header=True)
        table.add_column("step")
        table.add_column("id", no_wrap=True)
        table.add_column("name")
        table.add_column("phase")
        for ex_id in ids:
            ex = cat.get(ex_id)
            table.add_row(str(ex.step + 1), ex.id, ex.name, ex.phase)
        out.print(table)
    out.print("Details: backcoach exercises show ID")


@exercises_app.command("show")
def exercises_show(exercise_id: str = typer.Argument(..., metavar="ID"), as_json: bool = JsonOpt) -> None:
    """One exercise: cues, common faults, dose, progression and regression."""
    from backcoach.services.common import catalog

    ex = catalog().get(exercise_id)
    if as_json:
        print_json(ex.to_dict())
        return
    out.print(f"{ex.name} ({ex.id}) — {ex.ladder.replace('_', ' ')} ladder, step {ex.step + 1}, {ex.phase}", style="bold")
    if getattr(ex, "summary", ""):
        out.print(ex.summary)
    out.print(f"Targets: {', '.join(ex.targets)}. Position: {ex.position}. "
              f"Equipment: {', '.join(ex.equipment) or 'none'}{'; each side' if ex.per_side else ''}.")
    out.print(f"Dose: {dose_text(ex.dose)}")
    out.print("Cues", style="bold")
    for c in ex.cues:
        out.print(f"  • {c}")
    out.print("Common faults", style="bold")
    for f in ex.faults:
        serious = " (serious)" if f.serious else ""
        out.print(f"  • {f.name}{serious}: {f.why_it_matters} Fix: {f.fix}")
    out.print(f"Easier (regression): {ex.regression or 'none — this is the first step'}")
    out.print(f"Harder (progression): {ex.progression or 'none — this is the last step'}")
    if getattr(ex, "camera_views", ()):
        out.print(f"Camera view for the form coach: {', '.join(ex.camera_views)}")
