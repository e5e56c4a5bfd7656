"""`backcoach serve`: the web app (migrations run first).

The web stack (FastAPI, uvicorn) is imported only when the command runs, so that other
commands start quickly.
"""

from __future__ import annotations

from typing import Optional

import typer

from backcoach.cli.options import field_option
from backcoach.cli.root import app
from backcoach.domain.fields import FieldSpec

PORT = FieldSpec("port", "int", "Port", low=1, high=65535)
WORKERS = FieldSpec("workers", "int", "Worker processes", required=True, low=1, high=64)

# uvicorn's WebSocket settings; the live coach's socket (web/live.py) is the only WebSocket.
WEBSOCKET_OPTIONS = {
    "ws": "websockets-sansio",
    # uvicorn buffers a whole message before the app sees it: 16 MiB by default. A live frame
    # is 544 bytes (8 KB of JSON at most, refused above that), so nothing larger is taken in.
    "ws_max_size": 64 * 1024,
    # Browsers offer per-message deflate. For answers of about 100 bytes and binary frames of
    # 544 it saves next to nothing, and costs about 13 microseconds of server CPU per frame.
    "ws_per_message_deflate": False,
}


@app.command()
def serve(
    host: Optional[str] = typer.Option(None, help="Address to listen on (default: HOST or 127.0.0.1)."),
    port: Optional[int] = field_option(PORT, None, "--port", help="Port (default: PORT or 8000)."),
    workers: int = field_option(WORKERS, 1, "--workers", help="Worker processes (each is stateless)."),
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
    options = {"log_level": "warning", "proxy_headers": True, "access_log": False, **WEBSOCKET_OPTIONS}
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
