"""The root `backcoach` command: its options, the clock, the database, and how errors end a command.

Every command module registers on `app`; `backcoach.cli` imports them all.
"""

from __future__ import annotations

import datetime as dt
import sys
from contextlib import contextmanager
from typing import Any, Callable, Iterator, Optional

import typer
from typer.core import TyperGroup

from backcoach.domain.errors import BackcoachError, ProgramLocked
from backcoach.domain.fields import MISSING

EXIT_INPUT = 2
EXIT_LOCKED = 3


class InputError(BackcoachError):
    """A file that cannot be read or is not valid JSON."""


# Recent Typer carries its own copy of click (typer._click); older ones use click itself.
# typer.BadParameter comes from whichever one this Typer uses.
_click_errors = sys.modules[typer.BadParameter.__module__]
_NoArgsIsHelp = getattr(_click_errors, "NoArgsIsHelpError", ())  # click < 8.2 shows the help itself
_ABORTS = tuple({typer.Abort, getattr(_click_errors, "Abort", typer.Abort)})  # recent Typer raises its own from prompts


class OneLineError(_click_errors.ClickException):
    """An error click shows as one line on stderr (`error: ...`) before exiting with `exit_code`."""

    def __init__(self, message: str, exit_code: int) -> None:
        super().__init__(" ".join(str(message).split()))
        self.exit_code = exit_code

    def show(self, file: Any = None) -> None:
        typer.echo(f"error: {self.message}", err=True)


@contextmanager
def _one_line_errors() -> Iterator[None]:
    """Turn what a person can cause into a OneLineError: 2 for a mistake in the input,
    3 for a program locked by the safety screen, 1 when stopped at a prompt."""
    try:
        yield
    except OneLineError:
        raise
    except _NoArgsIsHelp as exc:  # `backcoach`, `backcoach export`: the help, as a success
        typer.echo(exc.ctx.get_help())
        raise typer.Exit(0) from None
    except _click_errors.UsageError as exc:
        where = exc.ctx.command_path if exc.ctx else "backcoach"
        raise OneLineError(f"{_usage_message(exc)} (see: {where} --help)", exc.exit_code) from None
    except _click_errors.ClickException as exc:
        raise OneLineError(exc.format_message(), exc.exit_code) from None
    except _ABORTS:
        raise OneLineError("stopped (nothing more was saved)", 1) from None
    except ProgramLocked as exc:
        raise OneLineError(str(exc), EXIT_LOCKED) from None
    except BackcoachError as exc:
        raise OneLineError(str(exc), EXIT_INPUT) from None


def _usage_message(exc: Any) -> str:
    """click's words for a usage mistake, except for an option's value: ``--pain: Enter a whole number
    from 0 to 10.``, named as an answer file names its field, in the words of the option's field
    (``cli.options``), and ``MISSING`` for a needed option left out, as on every other surface."""
    param = getattr(exc, "param", None)
    if getattr(param, "param_type_name", "") != "option" or not isinstance(exc, _click_errors.BadParameter):
        return exc.format_message()
    if isinstance(exc, _click_errors.MissingParameter):
        return f"{param.opts[0]}: {MISSING}"
    return f"{param.opts[0]}: {exc.message}"


class BackcoachGroup(TyperGroup):
    """The root command: every error a person can cause ends it with one line on stderr.

    click shows a `ClickException` by calling its `show()` and exits with its code, so the
    errors are turned into one (OneLineError) where they arise: while parsing the root's
    own options, and while invoking a command (which parses the command's options and runs
    it). click's `main` is not overridden: it keeps its own handling of exit codes, Ctrl+C,
    broken pipes and shell completion."""

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        with _one_line_errors():
            return super().parse_args(ctx, args)

    def invoke(self, ctx: Any) -> Any:
        with _one_line_errors():
            return super().invoke(ctx)


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


_schema_ready: set[str] = set()


def uow() -> Any:
    """A unit of work on DATABASE_URL; the first one of a run brings the schema up to date (the
    command line's start-up: a person using it never has to run `backcoach db upgrade` first)."""
    from backcoach.settings import get_settings
    from backcoach.storage import SqlAlchemyUnitOfWork, upgrade_if_behind

    url = get_settings().database_url
    if url not in _schema_ready:
        upgrade_if_behind(url)
        _schema_ready.add(url)
    return SqlAlchemyUnitOfWork(url)


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
