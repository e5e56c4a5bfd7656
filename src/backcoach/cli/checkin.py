"""`backcoach checkin`: a pain check-in."""

from __future__ import annotations

from typing import Optional

import typer

from backcoach.cli.options import field_option
from backcoach.cli.render import out, print_json, render_alerts, render_decisions
from backcoach.cli.root import JsonOpt, PersonOpt, app, now, uow
from backcoach.domain.fields import by_name
from backcoach.domain.inputs import CHECKIN

_FIELDS = by_name(CHECKIN)


@app.command()
def checkin(
    pain: int = field_option(_FIELDS["nprs"], ..., "--pain", help="Back pain now, 0 (none) to 10 (worst imaginable)."),
    next_morning: bool = typer.Option(False, "--next-morning", help="This is the morning after a session."),
    new_symptoms: bool = typer.Option(False, "--new-symptoms", help="Something new has started (you will be asked to screen again)."),
    note: Optional[str] = typer.Option(None, "--note", help="Anything to add, in your words."),
    walked: Optional[int] = field_option(_FIELDS["walked_minutes"], None, "--walked", help="Minutes you walked yesterday (the walking goal)."),
    person: Optional[str] = PersonOpt,
    as_json: bool = JsonOpt,
) -> None:
    """A pain check-in (daily, or the morning after a session), with yesterday's walking."""
    from backcoach import services
    from backcoach.services.common import walking_goal_for

    pid = services.resolve_person(uow(), person)
    done = services.check_in_pain(uow(), pid, pain, now(), next_morning=next_morning, new_symptoms=new_symptoms,
                                  note=note, walked_minutes=walked)
    if as_json:
        print_json(done.to_dict())
        return
    out.print(f"Pain {done.nprs}/10 saved ({done.kind.replace('_', ' ')}).")
    if done.walked_minutes is not None:
        with uow() as u:
            goal = walking_goal_for(u, pid, now())
        out.print(f"Walking yesterday: {done.walked_minutes} minutes. {goal.text()}")
    if done.decisions:
        out.print("Because of this morning's pain:")
        render_decisions([d.to_dict() for d in done.decisions])
    render_alerts([a.to_dict() for a in done.alerts])
    if new_symptoms:
        out.print("Because something new has started, answer the safety questions again: `backcoach screen`.", style="yellow")
