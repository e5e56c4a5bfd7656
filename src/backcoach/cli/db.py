"""`backcoach db upgrade`: database maintenance."""

from __future__ import annotations

import typer
from typer.core import TyperGroup

from backcoach.cli.render import out
from backcoach.cli.root import app


db_app = typer.Typer(cls=TyperGroup, help="Database maintenance.", no_args_is_help=True, rich_markup_mode=None)
app.add_typer(db_app, name="db")


@db_app.command("upgrade")
def db_upgrade() -> None:
    """Bring the database schema up to date (also done automatically on first use)."""
    from backcoach.settings import get_settings
    from backcoach.storage import upgrade
    from backcoach.storage.database import safe_url

    url = get_settings().database_url
    revision = upgrade(url)
    out.print(f"Database at {safe_url(url)} is at revision {revision}.")
