"""`backcoach create-admin`, `purge-deleted` and `clinicians list|approve|refuse`: web accounts."""

from __future__ import annotations

import typer

from backcoach.cli.root import app, uow


@app.command("create-admin")
def create_admin(
    email: str = typer.Option(..., help="The administrator's email address."),
    name: str = typer.Option("Administrator", help="Display name."),
    password: str = typer.Option(..., prompt=True, hide_input=True, confirmation_prompt=True),
) -> None:
    """Create a web administrator (approves clinician accounts, assigns people to clinicians, sees everyone)."""
    import datetime as dt

    from backcoach.services import web_accounts as accounts
    from backcoach.web.security import make_hasher

    now = dt.datetime.now(dt.timezone.utc)
    with uow() as u:
        acc = accounts.sign_up(u, email=email, password=password, display_name=name, role="admin",
                               administrator=True, hash_password=make_hasher().hash, now=now)
        u.commit()
    typer.echo(f"Administrator {acc.email} created.")


@app.command("purge-deleted")
def purge_deleted() -> None:
    """Remove the accounts whose deletion grace period has passed, with all their data
    (run it daily from cron or a job runner; the web server also runs it at start-up)."""
    import datetime as dt

    from backcoach.services import data_rights
    from backcoach.settings import get_settings

    settings = get_settings()
    now = dt.datetime.now(dt.timezone.utc)
    with uow() as u:
        n = data_rights.purge_deleted(u, now, settings.deletion_grace_days)
        from backcoach.web.idempotency import purge_old

        purge_old(u, now)  # old idempotency records (a retry comes within minutes, not weeks)
        u.commit()
    typer.echo(f"{n} account{'s' if n != 1 else ''} removed (grace period: {settings.deletion_grace_days} days).")


clinicians_app = typer.Typer(help="Clinician accounts: an administrator approves each before it sees anyone's data.",
                             no_args_is_help=True, rich_markup_mode=None)
app.add_typer(clinicians_app, name="clinicians")


@clinicians_app.command("list")
def clinicians_list(as_json: bool = typer.Option(False, "--json", help="Print JSON instead of text.")) -> None:
    """Clinician accounts with their profession and registration number, those waiting first."""
    import json

    from backcoach.services import web_accounts as accounts

    with uow() as u:
        rows = accounts.clinician_accounts(u, None)
    if as_json:
        typer.echo(json.dumps([c.to_dict() for c in rows], indent=2, ensure_ascii=False))
        return
    if not rows:
        typer.echo("No clinician accounts yet.")
        return
    for c in rows:
        typer.echo(f"{c.approval.upper():9} {c.email}  {c.display_name} — {c.profession}, registration {c.registration_number}"
                   f"  (signed up {c.created_at:%Y-%m-%d})")
        if c.person_email:
            typer.echo(f"          same mailbox as the person's account {c.person_email}: cannot be approved")
    pending = sum(c.approval == "pending" for c in rows)
    if pending:
        typer.echo(f"{pending} waiting: backcoach clinicians approve EMAIL (or refuse EMAIL).")


def _decide(email: str, approve: bool) -> None:
    import datetime as dt

    from backcoach.services import web_accounts as accounts

    with uow() as u:
        c = accounts.decide_clinician(u, None, approve=approve, email=email,
                                      now=dt.datetime.now(dt.timezone.utc))
        u.commit()
    if approve:
        typer.echo(f"{c.email} ({c.display_name}, {c.profession}) is approved: they can now invite people "
                   "and see those who join them.")
    else:
        typer.echo(f"{c.email} ({c.display_name}) is refused: the account cannot see anyone's data.")


@clinicians_app.command("approve")
def clinicians_approve(email: str = typer.Argument(..., help="The clinician account's email address.")) -> None:
    """Approve a clinician account after checking their registration."""
    _decide(email, True)


@clinicians_app.command("refuse")
def clinicians_refuse(email: str = typer.Argument(..., help="The clinician account's email address.")) -> None:
    """Refuse a clinician account, or withdraw its approval."""
    _decide(email, False)
