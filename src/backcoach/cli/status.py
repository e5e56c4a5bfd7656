"""`backcoach status`: program, decisions, pain trend, adherence, escalations."""

from __future__ import annotations

from typing import Optional

from backcoach.cli.render import print_json, render_status
from backcoach.cli.root import JsonOpt, PersonOpt, app, now, uow


@app.command()
def status(person: Optional[str] = PersonOpt, as_json: bool = JsonOpt) -> None:
    """Program, latest decisions with reasons, pain trend, adherence and escalations."""
    from backcoach import services

    pid = services.resolve_person(uow(), person)
    st = services.get_status(uow(), pid, now())
    data = st.to_dict()
    if as_json:
        print_json(data)
        return
    render_status(st, data, now().date())
