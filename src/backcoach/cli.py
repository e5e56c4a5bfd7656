"""backcoach command line (minimal; the lead wires the other commands in)."""

import typer

from backcoach import motion_cli

app = typer.Typer(help="backcoach: glute rehabilitation for low back pain.", add_completion=False)


@app.callback()
def _root() -> None:
    """backcoach: glute rehabilitation for low back pain."""


motion_cli.register(app)


def main() -> None:
    app()
