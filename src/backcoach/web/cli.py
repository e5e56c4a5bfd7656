"""`backcoach serve` and `backcoach create-admin`, registered into the main Typer app.

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
        """Create a web administrator (can assign people to clinicians and see everyone)."""
        import datetime as dt

        from sqlalchemy import select

        from backcoach.services import web_accounts as accounts
        from backcoach.settings import get_settings
        from backcoach.storage.models import User
        from backcoach.storage.unit_of_work import SqlAlchemyUnitOfWork
        from backcoach.web.security import make_hasher

        now = dt.datetime.now(dt.timezone.utc)
        with SqlAlchemyUnitOfWork(get_settings().database_url) as uow:
            acc = accounts.sign_up(uow.session, email=email, password=password, display_name=name, role="clinician",
                                   hash_password=make_hasher().hash, now=now)
            user = uow.session.scalar(select(User).where(User.id == acc.id))
            user.role = "admin"
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
            uow.commit()
        typer.echo(f"{n} account{'s' if n != 1 else ''} removed (grace period: {settings.deletion_grace_days} days).")
