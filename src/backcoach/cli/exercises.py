"""`backcoach exercises` and `exercises show ID`: the exercise catalog."""

from __future__ import annotations

import typer
from typer.core import TyperGroup

from backcoach.cli.render import exercise_brief, print_json, render_catalog, render_exercise
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
    render_catalog(cat)

@exercises_app.command("show")
def exercises_show(exercise_id: str = typer.Argument(..., metavar="ID"), as_json: bool = JsonOpt) -> None:
    """One exercise: cues, common faults, dose, progression and regression."""
    from backcoach.services.common import catalog

    ex = catalog().get(exercise_id)
    if as_json:
        print_json(ex.to_dict())
        return
    render_exercise(ex)
