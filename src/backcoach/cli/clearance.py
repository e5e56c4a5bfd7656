"""`backcoach clearance`: a clinician records that they assessed the person after an urgent or emergency screen."""

from __future__ import annotations

from typing import Optional

import typer

from backcoach.cli.render import out, print_json
from backcoach.cli.root import JsonOpt, PersonOpt, app, now, uow


@app.command()
def clearance(
    clinician: str = typer.Option(..., "--clinician", envvar="BACKCOACH_CLINICIAN_EMAIL",
                                  help="Email of the clinician's approved backcoach account."),
    note: str = typer.Option(..., "--note", help="What they said (e.g. 'examined, no serious cause, exercise OK')."),
    ruled_out: str = typer.Option(..., "--ruled-out", help="What the clinician ruled out (e.g. 'cauda equina syndrome')."),
    seen_where: str = typer.Option(..., "--seen-where", help="Where you were assessed (e.g. 'emergency department')."),
    password: str = typer.Option(..., "--clinician-password", envvar="BACKCOACH_CLINICIAN_PASSWORD",
                                 prompt="Clinician's password", hide_input=True,
                                 help="The clinician's password (asked for when not given; the clinician types it)."),
    person: Optional[str] = PersonOpt,
    as_json: bool = JsonOpt,
) -> None:
    """A clinician records that they assessed you after an urgent or emergency screen; it lifts the
    pause (after an emergency screen, answer the safety questions again first).

    The clinician types the email and password of their own backcoach account, which an
    administrator has approved (`backcoach clinicians approve EMAIL`); the clearance is
    recorded with their account and name."""
    from backcoach import services
    from backcoach.services import web_accounts as accounts
    from backcoach.web.security import make_hasher, verify_password

    pid = services.resolve_person(uow(), person)
    hasher = make_hasher()
    done = accounts.clearance_at_the_terminal(uow(), pid, email=clinician, password=password,
                                              verify=lambda h, p: verify_password(hasher, h, p),
                                              note=note, ruled_out=ruled_out, seen_where=seen_where, now=now())
    if as_json:
        print_json(done.to_dict())
        return
    out.print(f"Clearance by {done.by_name} recorded.")
    if done.gate.allowed:
        out.print("Your program may continue: `backcoach today`.", style="green")
    else:
        out.print("The program is still paused:", style="yellow")
        for r in done.gate.reasons:
            out.print(f"  • {r}")
