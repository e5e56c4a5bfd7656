"""The root `backcoach` command: its options, the clock, the database, and how errors end a command.

Every command module registers on `app`; `backcoach.cli` imports them all.
"""

from __future__ import annotations

import datetime as dt
import sys
from typing import Any, Callable, Optional

import typer
from typer.core import TyperGroup

from backcoach.domain.errors import BackcoachError, ProgramLocked

EXIT_INPUT = 2
EXIT_LOCKED = 3


class InputError(BackcoachError):
    """A file that cannot be read or is not valid JSON."""


# Recent Typer carries its own copy of click; older ones use click itself. Catch both.
_EXC: list[Any] = []
try:
    from typer._click import exceptions as _typer_click_exc

    _EXC.append(_typer_click_exc)
except ImportError:  # pragma: no cover
    pass
try:
    import click.exceptions as _click_exc

    _EXC.append(_click_exc)
except ImportError:  # pragma: no cover
    pass


def _catch(name: str) -> tuple[type[BaseException], ...]:
    return tuple(getattr(mod, name) for mod in _EXC if hasattr(mod, name))


class BackcoachGroup(TyperGroup):
    """Turns every error a user can cause into one line on stderr and exit code 2."""

    def main(self, args: Any = None, prog_name: Any = None, complete_var: Any = None,
             standalone_mode: bool = True, **extra: Any) -> Any:
        try:
            rv = super().main(args=args, prog_name=prog_name, complete_var=complete_var,
                              standalone_mode=False, **extra)
        except _catch("NoArgsIsHelpError") as exc:
            ctx = getattr(exc, "ctx", None)
            typer.echo(ctx.get_help() if ctx else "Try 'backcoach --help'.")
            rv = 0
        except _catch("UsageError") as exc:
            ctx = getattr(exc, "ctx", None)
            cmd = ctx.command_path if ctx else "backcoach"
            _one_line(f"{exc.format_message()} (see: {cmd} --help)")
            rv = exc.exit_code
        except _catch("ClickException") as exc:
            _one_line(exc.format_message())
            rv = exc.exit_code
        except _catch("Abort"):
            _one_line("stopped (nothing more was saved)")
            rv = 1
        except ProgramLocked as exc:
            _one_line(str(exc))
            rv = EXIT_LOCKED
        except BackcoachError as exc:
            _one_line(str(exc))
            rv = EXIT_INPUT
        if not standalone_mode:
            return rv
        sys.exit(rv if isinstance(rv, int) else 0)


def _one_line(message: str) -> None:
    text = " ".join(str(message).split())
    typer.echo(f"error: {text}", err=True)


app = typer.Typer(
    cls=BackcoachGroup,
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    help="backcoach: safe, progressive glute rehabilitation for mechanical lower back pain.\n\n"
         "It does not replace a clinician. Exit codes: 0 ok, 2 input error, 3 program locked by the safety screen.",
)

_state: dict[str, Any] = {"now": None}


@app.callback()
def _root(
    now: Optional[str] = typer.Option(None, "--now", envvar="BACKCOACH_NOW", hidden=True,
                                      help="Pretend it is this time (ISO date or datetime; for tests and demos)."),
) -> None:
    from backcoach.settings import get_settings

    get_settings.cache_clear()
    _state["now"] = _parse_now(now) if now else None


def _parse_now(text: str) -> dt.datetime:
    try:
        if len(text) == 10:
            value = dt.datetime.combine(dt.date.fromisoformat(text), dt.time(12, 0))
        else:
            value = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise InputError(f"--now / BACKCOACH_NOW must be an ISO date or datetime (got {text!r}).") from None
    return value if value.tzinfo else value.replace(tzinfo=dt.timezone.utc)


def now() -> dt.datetime:
    """The local time (aware): "today" is the person's day, not the UTC one."""
    return _state["now"] or dt.datetime.now().astimezone()


def uow() -> Any:
    from backcoach.settings import get_settings
    from backcoach.storage import SqlAlchemyUnitOfWork

    return SqlAlchemyUnitOfWork(get_settings().database_url)


PersonOpt = typer.Option(None, "--person", envvar="BACKCOACH_PERSON",
                         help="Whose data: an id or a name (default: the only person set up on this machine).")
JsonOpt = typer.Option(False, "--json", help="Print JSON instead of text.")


def exit_locked(reasons: Any, as_json: bool, extra: Optional[dict[str, Any]] = None) -> None:
    """Show why the program is locked and exit 3."""
    from backcoach.cli.render import render_locked

    render_locked(reasons, as_json, extra)
    raise typer.Exit(EXIT_LOCKED)


def gated(as_json: bool, fn: Callable[[], Any]) -> Any:
    """Run a service call; a locked program ends the command with the reasons and exit 3."""
    try:
        return fn()
    except ProgramLocked as exc:
        exit_locked([str(exc)], as_json)
