"""`backcoach serve`, `backcoach create-admin` and `backcoach clinicians`, registered into the main Typer app.

Kept here so that the rest of the CLI does not import the web stack.
"""

from __future__ import annotations

from typing import Optional

import typer


def register(app: typer.Typer) -> None:
    @app.command()
    def serve(
        host: Optional[str] = typer.Option(None, help="Address to listen on (default: HOST or 127.0.0.1)."),
        port: Optional[int] = typer.Option(None, min=1, max=65535, help="Port (default: PORT or 8000)."),
        workers: int = typer.Option(1, min=1, max=64, help="Worker processes (each is stateless)."),
        migrate: bool = typer.Option(True, help="Run the database migrations before starting."),
    ) -> None:
        """Start the web app (migrations run first). DATABASE_URL selects SQLite or PostgreSQL."""
        import uvicorn

        from backcoach.settings import get_settings
        from backcoach.storage import upgrade
        from backcoach.storage.database import safe_url
        from backcoach.web.workers import PortUnavailable, WorkersFailing, can_reuse_port, run_workers

        settings = get_settings()
        host = host or settings.host
        port = port or settings.port
        if migrate:
            revision = upgrade(settings.database_url)
            typer.echo(f"Database {safe_url(settings.database_url)} is at revision {revision}.")
        typer.echo(f"backcoach is running at http://{host}:{port}  (Ctrl+C to stop)")
        if host not in ("127.0.0.1", "localhost", "::1"):
            typer.echo("Session cookies are marked Secure: serve over HTTPS (or a TLS proxy) when not on this machine.")
        options = {"log_level": "warning", "proxy_headers": True, "access_log": False}
        if workers > 1 and can_reuse_port():
            try:
                run_workers("backcoach.web.asgi:app", host, port, workers, **options)
            except PortUnavailable as exc:
                typer.echo(f"Cannot listen on {host}:{port}: {exc.strerror or exc}. Is backcoach (or another program) "
                           "already running there? Stop it or choose another --port.", err=True)
                raise typer.Exit(1) from exc
            except WorkersFailing as exc:
                typer.echo(f"backcoach stopped: {exc}.", err=True)
                raise typer.Exit(1) from exc
        else:
            uvicorn.run("backcoach.web.asgi:app", host=host, port=port, workers=workers, **options)

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
        with _uow() as uow:
            acc = accounts.sign_up(uow.session, email=email, password=password, display_name=name, role="admin",
                                   administrator=True, hash_password=make_hasher().hash, now=now)
            uow.commit()
        typer.echo(f"Administrator {acc.email} created.")

    @app.command("purge-deleted")
    def purge_deleted() -> None:
        """Remove the accounts whose deletion grace period has passed, with all their data
        (run it daily from cron or a job runner; the web server also runs it at start-up)."""
        import datetime as dt

        from backcoach.services import data_rights
        from backcoach.settings import get_settings
        from backcoach.storage.unit_of_work import SqlAlchemyUnitOfWork

        settings = get_settings()
        now = dt.datetime.now(dt.timezone.utc)
        with SqlAlchemyUnitOfWork(settings.database_url) as uow:
            n = data_rights.purge_deleted(uow.session, now, settings.deletion_grace_days)
            from backcoach.web.idempotency import purge_old

            purge_old(uow.session, now)  # old idempotency records (a retry comes within minutes, not weeks)
            uow.commit()
        typer.echo(f"{n} account{'s' if n != 1 else ''} removed (grace period: {settings.deletion_grace_days} days).")

    clinicians_app = typer.Typer(help="Clinician accounts: an administrator approves each before it sees anyone's data.",
                                 no_args_is_help=True, rich_markup_mode=None)
    app.add_typer(clinicians_app, name="clinicians")

    @clinicians_app.command("list")
    def clinicians_list(as_json: bool = typer.Option(False, "--json", help="Print JSON instead of text.")) -> None:
        """Clinician accounts with their profession and registration number, those waiting first."""
        import json

        from backcoach.services import web_accounts as accounts

        with _uow() as uow:
            rows = accounts.clinician_accounts(uow.session, None)
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

        with _uow() as uow:
            c = accounts.decide_clinician(uow.session, None, approve=approve, email=email,
                                          now=dt.datetime.now(dt.timezone.utc))
            uow.commit()
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


def _uow():
    from backcoach.settings import get_settings
    from backcoach.storage.unit_of_work import SqlAlchemyUnitOfWork

    return SqlAlchemyUnitOfWork(get_settings().database_url)
