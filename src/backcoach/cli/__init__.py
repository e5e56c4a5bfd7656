"""The `backcoach` command line: thin commands that parse input, call a service, render.

Exit codes: 0 done; 2 a mistake in the input (typo, missing file, bad JSON, an answer
of the wrong type or out of range) or another error explained in one line;
3 the program is locked or paused by the safety screen (the reasons are printed).

One module per command group registers its commands on `root.app`; `render` holds the
rich output and `prompts` the questions asked at the prompt. Importing a command module
is cheap: each command imports what it needs (services, the web stack, the motion
pipeline) when it runs.
"""

from __future__ import annotations

from backcoach.cli.root import EXIT_INPUT, EXIT_LOCKED, app

# Registration order is the order of `backcoach --help`.
from backcoach.cli import screening, assess, exercises, program, log, checkin, outcomes, status  # noqa: E402,F401,I001
from backcoach.cli import clearance, simulate, export, db, serve, accounts, analyze  # noqa: E402,F401,I001

__all__ = ["EXIT_INPUT", "EXIT_LOCKED", "app", "main"]


def main() -> None:
    """Entry point of the `backcoach` script."""
    app()

