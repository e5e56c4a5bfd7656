"""The `backcoach` command line: thin commands that parse input, call a service, render.

Exit codes: 0 done; 2 a mistake in the input (typo, missing file, bad JSON, an answer
of the wrong type or out of range) or another error explained in one line;
3 the program is locked or paused by the safety screen (the reasons are printed).
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path
from typing import Any, Callable, Optional

import typer
from rich.console import Console
from rich.table import Table
from typer.core import TyperGroup

from backcoach.domain.errors import BackcoachError, ProgramLocked

EXIT_INPUT = 2
EXIT_LOCKED = 3

# Wrapped to the terminal when there is one; piped output keeps each message on one line.
# Markup is off: text from data (names, notes, reasons) is printed exactly as it is.
out = Console(highlight=False, soft_wrap=not sys.stdout.isatty(), markup=False)


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


def load_json(path: Path, what: str) -> Any:
    try:
        text = Path(path).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InputError(f"{what} file not found: {path}") from None
    except IsADirectoryError:
        raise InputError(f"{what} file is a directory: {path}") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"cannot read the {what} file {path}: {exc}") from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(f"the {what} file {path} is not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})") from None


def print_json(data: Any) -> None:
    sys.stdout.write(json.dumps(data, indent=2, ensure_ascii=False, default=str) + "\n")
    sys.stdout.flush()


PersonOpt = typer.Option(None, "--person", envvar="BACKCOACH_PERSON",
                         help="Whose data: an id or a name (default: the only person set up on this machine).")
JsonOpt = typer.Option(False, "--json", help="Print JSON instead of text.")

LEVEL_STYLE = {"emergency": "bold white on red", "urgent": "bold red", "see_clinician": "bold yellow", "clear": "bold green"}
LEVEL_TITLE = {
    "emergency": "EMERGENCY: seek emergency care now",
    "urgent": "URGENT: see a doctor within 24 hours",
    "see_clinician": "Book a review with a doctor or physiotherapist",
    "clear": "Clear: no warning sign found",
}


def _disclaimer() -> None:
    from backcoach.domain.screening import DISCLAIMER

    out.print(f"{DISCLAIMER}", style="dim")


def _locked(reasons: Any, as_json: bool, extra: Optional[dict[str, Any]] = None) -> None:
    """Show why the program is locked and exit 3."""
    reasons = list(reasons) or ["Your program is locked."]
    if as_json:
        print_json({**(extra or {}), "program_allowed": False, "reasons": reasons})
    else:
        out.print("Your program is paused for your safety.", style="bold red")
        for r in reasons:
            out.print(f"  • {r}")
        if any("paused until a clinician has checked you" in r for r in reasons):
            out.print("What you can do: see a clinician as the screen advised. Once they have checked you, they "
                      "record that you were assessed (`backcoach clearance --clinician EMAIL ...`; they type their password), and the program continues. Answering "
                      "the safety questions again does not lift this pause. If you were told to seek emergency care, "
                      "do so now.")
        else:
            out.print("What you can do: answer the safety questions again with `backcoach screen` (weekly, and after "
                      "anything new). If you were told to seek emergency care, do so now.")
        _disclaimer()
    raise typer.Exit(EXIT_LOCKED)


def _gated(as_json: bool, fn: Callable[[], Any]) -> Any:
    try:
        return fn()
    except ProgramLocked as exc:
        _locked([str(exc)], as_json)


# ----------------------------------------------------------------------------- screen


def ask_screening() -> dict[str, Any]:
    """Ask the red-flag questions one by one; Enter skips (an unanswered serious question is never 'no')."""
    from backcoach import services

    out.print("Safety check: a few questions about warning signs. Press Enter to skip a question; "
              "a skipped question means we cannot tell you that you are clear.\n")
    answers: dict[str, Any] = {}
    for q in services.screening_questions():
        value = _ask(q.text, q.kind, q.choices, q.min, q.max, q.help)
        if value is not None:
            answers[q.key] = value
    return answers


def _ask(text: str, kind: str, choices: tuple[str, ...] = (), lo: Any = None, hi: Any = None, helptext: str = "") -> Any:
    hint = {"bool": "y/n", "int": f"{lo:g}-{hi:g}" if lo is not None and hi is not None else "number",
            "number": f"{lo:g}-{hi:g}" if lo is not None and hi is not None else "number"}.get(kind, "/".join(choices))
    while True:
        if helptext:
            out.print(f"{helptext}", style="dim")
        raw = typer.prompt(f"{text} [{hint}]", default="", show_default=False).strip().lower()
        if raw == "":
            return None
        if kind == "bool":
            if raw in ("y", "yes", "true"):
                return True
            if raw in ("n", "no", "false"):
                return False
        elif kind == "choice":
            if raw in choices:
                return raw
            if raw.isdigit() and 1 <= int(raw) <= len(choices):
                return choices[int(raw) - 1]
        else:
            try:
                value: Any = int(raw) if kind == "int" else float(raw)
            except ValueError:
                value = None
            if value is not None and (lo is None or value >= lo) and (hi is None or value <= hi):
                return value
        out.print(f"Please answer {hint}, or press Enter to skip.", style="yellow")


def render_screening(result: dict[str, Any]) -> None:
    level = result["level"]
    out.print(LEVEL_TITLE[level], style=LEVEL_STYLE[level])
    if result["reasons"]:
        out.print("Why:")
        for r in result["reasons"]:
            out.print(f"  • [{r['level'].replace('_', ' ')}] {r['message']}")
    lock = result.get("lock")
    if lock:  # an earlier urgent/emergency screen still holds: this result never reads as "you can start"
        out.print(lock["message"], style="bold red")
    else:
        out.print(f"What to do next: {result.get('next_step', '')}")
    out.print(f"Program allowed: {'yes' if result['program_allowed'] else 'no'}")
    if result.get("rule_version") is not None:
        out.print(f"Checked with the safety rules, version {result['rule_version']}.", style="dim")
    _disclaimer()


@app.command()
def screen(
    answers: Optional[Path] = typer.Option(None, "--answers", help="A JSON file with the answers (see README)."),
    as_json: bool = JsonOpt,
    person: Optional[str] = PersonOpt,
    save: bool = typer.Option(True, "--save/--no-save", help="Store the result for the person set up on this machine."),
) -> None:
    """The red-flag safety questions: level, reasons and what to do next."""
    from backcoach import services

    from backcoach.storage import StorageError

    data = load_json(answers, "answers") if answers is not None else None
    person_id: Optional[int] = None
    storage_problem: Optional[StorageError] = None
    if save:
        try:
            person_id = _person_for_screen(person)
        except StorageError as exc:  # the safety screen must still work without the database
            storage_problem = exc
    if data is None:
        data = ask_screening()
    result = services.screen_answers(data).to_dict()  # shown first, whatever happens to storage
    if person_id is not None:
        try:
            recorded = services.record_screening(uow(), person_id, data, now())
            lock = recorded.gate.lock_dict()
            if lock is not None and lock["screening_id"] != recorded.screening_id:
                result = {**result, "program_allowed": False, "lock": lock}
        except StorageError as exc:
            storage_problem = exc
    if as_json:
        print_json(result)
    else:
        render_screening(result)
        if person_id is None and save and storage_problem is None:
            out.print("Not saved: no one is set up yet (backcoach start).", style="dim")
    if storage_problem is not None:
        kept = keep_unsaved(data, "screening") if answers is None else None
        where = f"; your answers are kept in {kept}" if kept else ""
        raise InputError(f"the screen above was NOT saved: {storage_problem}{where}")


def keep_unsaved(data: Any, kind: str) -> Optional[Path]:
    """Write answers that could not be stored to a file, so nothing typed is lost."""
    stamp = now().strftime("%Y%m%dT%H%M%S")
    path = Path.cwd() / f"backcoach-unsaved-{kind}-{stamp}.json"
    try:
        path.write_text(json.dumps(data, indent=2), encoding="utf-8")
    except OSError:
        return None
    return path


def _person_for_screen(ref: Optional[str]) -> Optional[int]:
    """The person to store a screen for; None when no one is set up (the screen is still shown)."""
    from backcoach import services

    if ref:
        return services.resolve_person(uow(), ref)
    people = services.list_people(uow())
    if not people:
        return None
    return services.resolve_person(uow(), None)


# ----------------------------------------------------------------------------- assess


ASSESSMENT_QUESTIONS: tuple[tuple[str, str, str, tuple[str, ...], Any, Any], ...] = (
    ("pain_now", "Back pain right now, 0 (none) to 10 (worst imaginable)?", "int", (), 0, 10),
    ("pain_worst_24h", "Worst back pain in the last 24 hours, 0-10?", "int", (), 0, 10),
    ("side", "Where is the pain?", "choice", ("left", "right", "central", "both"), None, None),
    ("radiation", "How far does the pain travel?", "choice", ("none", "buttock", "thigh", "below_knee"), None, None),
    ("onset_weeks", "How many weeks ago did this episode start?", "number", (), 0, 1040),
    ("one_sided_ache", "Is it mostly a one-sided ache?", "bool", (), None, None),
    ("worse_standing_walking", "Is it worse when standing or walking for a while?", "bool", (), None, None),
    ("swayback", "Have you noticed a strong arch (swayback) in your lower back?", "bool", (), None, None),
    ("bridge_felt", "In a glute bridge, where do you feel it most?", "choice", ("glutes", "hamstrings", "lower_back"), None, None),
    ("bridge_hold_s", "Bridge hold: seconds you can hold shoulders-hips-knees in a straight line (max {cap})?", "number", (), 0, "cap"),
    ("single_leg_bridge_reps_left", "Single-leg bridges on the LEFT leg before form is lost (max {cap})?", "int", (), 0, "cap"),
    ("single_leg_bridge_reps_right", "Single-leg bridges on the RIGHT leg (max {cap})?", "int", (), 0, "cap"),
    ("stance_hip_drop_left", "Standing 30 s on the LEFT leg, did the right hip drop?", "bool", (), None, None),
    ("stance_hip_drop_right", "Standing 30 s on the RIGHT leg, did the left hip drop?", "bool", (), None, None),
    ("side_lying_hold_s_left", "Side-lying leg raise hold, LEFT leg up, seconds (max {cap})?", "number", (), 0, "cap"),
    ("side_lying_hold_s_right", "Side-lying leg raise hold, RIGHT leg up, seconds (max {cap})?", "number", (), 0, "cap"),
)
"""A "cap" upper bound is where the self-test stops, from thresholds.yaml (see assessment_questions)."""


def assessment_questions() -> list[tuple[str, str, str, tuple[str, ...], Any, Any]]:
    """The questions with the self-test caps filled in from the loaded thresholds (no copy here)."""
    from backcoach.domain.assessment import self_test_cap
    from backcoach.services.common import thresholds

    out = []
    for key, text, kind, choices, lo, hi in ASSESSMENT_QUESTIONS:
        if hi == "cap":
            cap = self_test_cap(key, thresholds())
            hi = int(cap) if kind == "int" else cap
            text = text.format(cap=f"{cap:g}")
        out.append((key, text, kind, choices, lo, hi))
    return out


def ask_assessment() -> dict[str, Any]:
    """The assessment questions and guided self-tests; Enter skips an optional one."""
    try:
        from backcoach.domain.assessment import self_tests
        from backcoach.services.common import thresholds

        SELF_TESTS = self_tests(thresholds())
    except ImportError:  # pragma: no cover - contract says it exists
        SELF_TESTS = ()
    out.print("Glute assessment: a few questions, then simple self-tests. Stop any test that hurts.\n", style="bold")
    for test in SELF_TESTS:
        try:
            _key, title, instructions = test[0], test[1], test[2]
            out.print(f"{title}: {instructions}")
        except (IndexError, TypeError):
            pass
    answers: dict[str, Any] = {}
    for key, text, kind, choices, lo, hi in assessment_questions():
        value = _ask(text, kind, choices, lo, hi)
        if value is not None:
            answers[key] = value
    return answers


def render_assessment(result: dict[str, Any]) -> None:
    """Plain words for the person first; the technical profile (what a clinician reads) after."""
    profile = result.get("profile", {})
    for line in result.get("for_person", ()):
        out.print(f"  • {line}")
    table = Table(title="Details for your clinician", show_header=True)
    table.add_column("muscle / finding")
    table.add_column("grade")
    for key, value in profile.items():
        if key == "reasons" or isinstance(value, (list, dict)):
            continue
        table.add_row(key.replace("_", " "), str(value))
    out.print(table)
    levels = Table(title="Where you start", show_header=True)
    levels.add_column("ladder")
    levels.add_column("exercise")
    for ladder, ex in result.get("starting_levels", {}).items():
        levels.add_row(ladder.replace("_", " "), ex)
    out.print(levels)
    reasons = list(result.get("reasons") or profile.get("reasons", []))
    for r in dict.fromkeys(reasons):
        out.print(f"  • {r}")


@app.command()
def assess(
    answers: Optional[Path] = typer.Option(None, "--answers", help="A JSON file with the assessment answers."),
    as_json: bool = JsonOpt,
) -> None:
    """The glute assessment: weakness profile and starting level on each exercise ladder."""
    from backcoach import services

    data = load_json(answers, "answers") if answers is not None else ask_assessment()
    result = services.assess_answers(data).to_dict()
    if as_json:
        print_json(result)
    else:
        render_assessment(result)


# ----------------------------------------------------------------------------- exercises

exercises_app = typer.Typer(cls=TyperGroup, help="The exercise catalog.", invoke_without_command=True,
                            rich_markup_mode=None)
app.add_typer(exercises_app, name="exercises")


@exercises_app.callback()
def exercises_list(ctx: typer.Context, as_json: bool = JsonOpt) -> None:
    """List the catalog, ladder by ladder (`backcoach exercises show ID` for one)."""
    if ctx.invoked_subcommand is not None:
        return
    from backcoach.services.common import catalog

    cat = catalog()
    if as_json:
        print_json([_exercise_brief(cat.get(ex_id)) for ids in cat.ladders.values() for ex_id in ids])
        return
    for ladder, ids in cat.ladders.items():
        table = Table(title=f"{ladder.replace('_', ' ')} ladder", title_justify="left", show_header=True)
        table.add_column("step")
        table.add_column("id", no_wrap=True)
        table.add_column("name")
        table.add_column("phase")
        for ex_id in ids:
            ex = cat.get(ex_id)
            table.add_row(str(ex.step + 1), ex.id, ex.name, ex.phase)
        out.print(table)
    out.print("Details: backcoach exercises show ID")


def _dose_text(dose: Any) -> str:
    sets = f"{dose.sets_min}-{dose.sets_max} sets"
    if dose.unit == "reps":
        return f"{sets} of {dose.reps_min}-{dose.reps_max}, {dose.hold_s_min}-{dose.hold_s_max} s squeeze"
    return f"{sets}, hold {dose.hold_s_min}-{dose.hold_s_max} s"


def _exercise_brief(ex: Any) -> dict[str, Any]:
    return {"id": ex.id, "name": ex.name, "ladder": ex.ladder, "step": ex.step, "phase": ex.phase,
            "dose": _dose_text(ex.dose)}


@exercises_app.command("show")
def exercises_show(exercise_id: str = typer.Argument(..., metavar="ID"), as_json: bool = JsonOpt) -> None:
    """One exercise: cues, common faults, dose, progression and regression."""
    from backcoach.services.common import catalog

    ex = catalog().get(exercise_id)
    if as_json:
        print_json(ex.to_dict())
        return
    out.print(f"{ex.name} ({ex.id}) — {ex.ladder.replace('_', ' ')} ladder, step {ex.step + 1}, {ex.phase}", style="bold")
    if getattr(ex, "summary", ""):
        out.print(ex.summary)
    out.print(f"Targets: {', '.join(ex.targets)}. Position: {ex.position}. "
              f"Equipment: {', '.join(ex.equipment) or 'none'}{'; each side' if ex.per_side else ''}.")
    out.print(f"Dose: {_dose_text(ex.dose)}")
    out.print("Cues", style="bold")
    for c in ex.cues:
        out.print(f"  • {c}")
    out.print("Common faults", style="bold")
    for f in ex.faults:
        serious = " (serious)" if f.serious else ""
        out.print(f"  • {f.name}{serious}: {f.why_it_matters} Fix: {f.fix}")
    out.print(f"Easier (regression): {ex.regression or 'none — this is the first step'}")
    out.print(f"Harder (progression): {ex.progression or 'none — this is the last step'}")
    if getattr(ex, "camera_views", ()):
        out.print(f"Camera view for the form coach: {', '.join(ex.camera_views)}")


# ----------------------------------------------------------------------------- start


@app.command()
def start(
    screening: Optional[Path] = typer.Option(None, "--screening", help="Screening answers JSON (otherwise asked)."),
    assessment: Optional[Path] = typer.Option(None, "--assessment", help="Assessment answers JSON (otherwise asked)."),
    name: Optional[str] = typer.Option(None, "--name", help="Your name or a nickname (for a new person)."),
    person: Optional[str] = PersonOpt,
    as_json: bool = JsonOpt,
) -> None:
    """Onboarding: safety screen → assessment → your program (stored on this machine)."""
    from backcoach import services

    screening_data = load_json(screening, "screening") if screening is not None else None
    assessment_data = load_json(assessment, "assessment") if assessment is not None else None
    if screening_data is not None:
        services.screen_answers(screening_data)  # refuse bad answers before anything is stored
    if assessment_data is not None:
        services.assess_answers(assessment_data)

    people = services.list_people(uow())
    if person:
        person_id = services.resolve_person(uow(), person)
    elif name:
        same = [pid for pid, display in people if display.casefold() == name.strip().casefold()]
        person_id = same[0] if len(same) == 1 else services.create_person(uow(), name, now())
    elif len(people) == 1:
        person_id = people[0][0]
    elif people:
        person_id = services.resolve_person(uow(), None)  # several: asks for --person
    else:
        name = "me" if screening_data is not None else typer.prompt("What should we call you?", default="me")
        person_id = services.create_person(uow(), name, now())

    if screening_data is None:
        screening_data = ask_screening()
    screened = services.record_screening(uow(), person_id, screening_data, now())
    result = screened.result.to_dict()
    if not as_json:
        render_screening(result)
    if not screened.gate.allowed:
        _locked(screened.gate.reasons, as_json, {"person_id": person_id, "screening": result})

    if assessment_data is None:
        assessment_data = ask_assessment()
    assessed = services.record_assessment(uow(), person_id, assessment_data, now())
    started = _gated(as_json, lambda: services.start_program(uow(), person_id, now(), assessed.assessment_id))
    if as_json:
        print_json({"person_id": person_id, "screening": result, "assessment": assessed.result.to_dict(),
                    "program_id": started.program_id, "program": started.program.to_dict(),
                    "reminder": started.gate.reminder})
        return
    out.print()
    render_assessment(assessed.result.to_dict())
    _render_program(started.program)
    if started.gate.reminder:
        out.print(f"Reminder: {started.gate.reminder}", style="yellow")
    out.print("Next: `backcoach today` shows today's session.")


def _render_program(program: Any) -> None:
    out.print(f"Your program — phase: {program.phase}, {program.days_per_week} days a week, "
              f"started {program.started_on}")
    for p in program.prescriptions:
        out.print(f"  • {p.exercise_id}: {p.describe()}")
    for r in program.reasons:
        out.print(f"    {r}", style="dim")


# ----------------------------------------------------------------------------- today / log / checkin


@app.command()
def today(person: Optional[str] = PersonOpt, as_json: bool = JsonOpt) -> None:
    """Today's session: exercises, dose and cues (or why the program is paused)."""
    from backcoach import services

    pid = services.resolve_person(uow(), person)
    session = _gated(as_json, lambda: services.todays_session(uow(), pid, now()))
    if as_json:
        print_json(session.to_dict())
        return
    out.print(f"Today, {session.day.isoformat()} — phase: {session.phase} "
              f"({session.sessions_this_week} of {session.days_per_week} sessions done this week)")
    if session.gate.reminder:
        out.print(f"Reminder: {session.gate.reminder}", style="yellow")
    if session.done_today:
        out.print("You have already logged a session today.", style="green")
    for change in session.stepped_back:
        out.print(f"Changed after your last session: {change.text()}", style="yellow")
    for rest in session.resting:
        out.print(f"Resting today: {rest.text()}", style="yellow")
    if session.rest_day:
        out.print("Rest day: nothing planned. Gentle walking is fine.")
    for item in session.items:
        ex = item.exercise
        out.print(f"\n{ex['name']} ({ex['id']}): {item.prescription.describe()}", style="bold")
        for cue in ex["cues"][:4]:
            out.print(f"  • {cue}")
    out.print("\nStop an exercise if pain goes above 5 out of 10. Afterwards: `backcoach log`.")
    _disclaimer()


def ask_session(session: Any) -> dict[str, Any]:
    """Ask, exercise by exercise, what was done."""
    entries = []
    for item in session.items:
        p = item.prescription
        out.print(f"\n{item.exercise['name']} — asked: {p.describe()}", style="bold")
        if not typer.confirm("Did you do it?", default=True):
            continue
        sets = _ask_required("Sets done", "int", 0, 20)
        entry: dict[str, Any] = {"exercise_id": p.exercise_id, "sets": sets}
        if p.reps is not None:
            entry["reps"] = _ask_list("Repetitions in each set (e.g. 10 10)", sets, "int", 0, 100)
            entry["hold_s"] = _ask_required("Seconds you held the squeeze at the top", "number", 0, 600)
        else:
            entry["hold_s"] = _ask_list("Seconds held in each set (e.g. 20 20)", sets, "number", 0, 600)
        entry["pain_during"] = _ask_required("Worst back pain during it, 0-10", "int", 0, 10)
        entry["rpe"] = _ask_required("How hard was it (RPE), 0 (rest) to 10 (maximal)", "int", 0, 10)
        entry["form"] = _ask_required("Your form", "choice", choices=("good", "some_faults", "poor"))
        entries.append(entry)
    data: dict[str, Any] = {"exercises": entries}
    pain = _ask("Back pain right now, 0-10 (Enter to skip)", "int", (), 0, 10)
    if pain is not None:
        data["pain_now"] = pain
    return data


def _ask_required(text: str, kind: str, lo: Any = None, hi: Any = None, choices: tuple[str, ...] = ()) -> Any:
    while True:
        value = _ask(text, kind, choices, lo, hi)
        if value is not None:
            return value


def _ask_list(text: str, n: int, kind: str, lo: float, hi: float) -> list[Any]:
    while True:
        raw = typer.prompt(text).replace(",", " ").split()
        try:
            values = [int(v) if kind == "int" else float(v) for v in raw]
        except ValueError:
            values = []
        if len(values) == 1 and n > 1:
            values = values * n
        if len(values) == n and all(lo <= v <= hi for v in values):
            return values
        out.print(f"Give {n} value(s) between {lo:g} and {hi:g}.", style="yellow")


def render_decisions(decisions: list[dict[str, Any]]) -> None:
    style = {"progress": "green", "hold": "yellow", "regress": "red"}
    for d in decisions:
        out.print(f"{d['action'].upper()} {d['exercise_id']}{_change_text(d)}", style=style.get(d["action"], "none"))
        for r in d.get("reasons", []):
            out.print(f"    {r}")


def _change_text(d: dict[str, Any]) -> str:
    """' -> 2 × 10 reps, ...' (naming the new exercise when it changes); '' when nothing changes."""
    from backcoach.domain.program import Prescription

    before, after = d.get("before") or {}, d.get("after") or {}
    if not after or after == before:
        return ""
    try:
        dose = Prescription.from_dict(after).describe()
    except (KeyError, TypeError, ValueError):
        dose = _rx(after)
    moved = after.get("exercise_id") != d.get("exercise_id")
    return f" → {after.get('exercise_id')}: {dose}" if moved else f" → {dose}"


def _rx(p: dict[str, Any]) -> str:
    parts = [f"{p.get('sets')} sets"]
    if p.get("reps") is not None:
        parts.append(f"{p['reps']} reps")
    parts.append(f"{p.get('hold_s')} s hold")
    if p.get("band"):
        parts.append(f"{p['band']} band")
    return "(" + ", ".join(parts) + ")"


@app.command()
def log(
    file: Optional[Path] = typer.Option(None, "--file", help="The session as JSON (format above)."),
    person: Optional[str] = PersonOpt,
    as_json: bool = JsonOpt,
) -> None:
    """Record a session and see what changes next time, and why.

    Per exercise: sets, reps per set (or seconds held), pain during it (0-10), effort (RPE 0-10)
    and form (good, some_faults or poor). Without --file the questions are asked one by one.

    \b
    Session file (JSON):
      {"exercises": [
         {"exercise_id": "glute_bridge", "sets": 2, "reps": [10, 10], "hold_s": 3,
          "pain_during": 1, "rpe": 5, "form": "good"},
         {"exercise_id": "side_plank_knees", "sets": 2, "hold_s": [20, 20],
          "pain_during": 0, "rpe": 6, "form": "good", "faults": ["hip_sag"]}],
       "pain_now": 2,
       "performed_on": "2026-03-02",
       "idempotency_key": "any text; the same key twice changes nothing"}
    """
    from backcoach import services

    from backcoach.storage import StorageError

    data = load_json(file, "session") if file is not None else None
    pid = services.resolve_person(uow(), person)
    if data is None:
        session = _gated(as_json, lambda: services.todays_session(uow(), pid, now()))
        data = ask_session(session)
        try:
            logged = _gated(as_json, lambda: services.log_session(uow(), pid, data, now()))
        except StorageError as exc:
            kept = keep_unsaved({**data, "performed_on": now().date().isoformat()}, "session")
            where = f"; your answers are kept in {kept}: log them later with `backcoach log --file {kept}`" if kept else ""
            raise InputError(f"the session was NOT saved: {exc}{where}") from None
    else:
        logged = _gated(as_json, lambda: services.log_session(uow(), pid, data, now()))
    result = logged.to_dict()
    if as_json:
        print_json(result)
        return
    if logged.duplicate:
        out.print("This session was already saved; nothing changed.", style="yellow")
    out.print(f"Session saved ({logged.performed_on}). Next time:", style="bold")
    render_decisions(result["decisions"])
    _render_alerts(result["alerts"])
    if result.get("reminder"):
        out.print(f"Reminder: {result['reminder']}", style="yellow")
    out.print("Tomorrow morning: `backcoach checkin --pain N --next-morning`.")


@app.command()
def checkin(
    pain: int = typer.Option(..., "--pain", help="Back pain now, 0 (none) to 10 (worst imaginable)."),
    next_morning: bool = typer.Option(False, "--next-morning", help="This is the morning after a session."),
    new_symptoms: bool = typer.Option(False, "--new-symptoms", help="Something new has started (you will be asked to screen again)."),
    note: Optional[str] = typer.Option(None, "--note", help="Anything to add, in your words."),
    person: Optional[str] = PersonOpt,
    as_json: bool = JsonOpt,
) -> None:
    """A pain check-in (daily, or the morning after a session)."""
    from backcoach import services

    pid = services.resolve_person(uow(), person)
    done = services.check_in_pain(uow(), pid, pain, now(), next_morning=next_morning, new_symptoms=new_symptoms, note=note)
    if as_json:
        print_json(done.to_dict())
        return
    out.print(f"Pain {done.nprs}/10 saved ({done.kind.replace('_', ' ')}).")
    if done.decisions:
        out.print("Because of this morning's pain:")
        render_decisions([d.to_dict() for d in done.decisions])
    _render_alerts([a.to_dict() for a in done.alerts])
    if new_symptoms:
        out.print("Because something new has started, answer the safety questions again: `backcoach screen`.", style="yellow")


# ----------------------------------------------------------------------------- outcome questionnaires

outcomes_app = typer.Typer(cls=TyperGroup, help="Outcome questionnaires: what is due, answering, and trends.",
                           invoke_without_command=True, rich_markup_mode=None)
app.add_typer(outcomes_app, name="outcomes")


@outcomes_app.callback()
def outcomes_overview(ctx: typer.Context, person: Optional[str] = PersonOpt, as_json: bool = JsonOpt) -> None:
    """What is due today and how each score changed (`backcoach outcomes answer ID` to answer one)."""
    if ctx.invoked_subcommand is not None:
        return
    from backcoach import services
    from backcoach.services.outcomes import instruments

    pid = services.resolve_person(uow(), person)
    overview = services.outcomes_overview(uow(), pid, now())
    if as_json:
        print_json(overview.to_dict())
        return
    if overview.due:
        out.print("Due now: " + ", ".join(f"{d.instrument_id} ({d.label})" for d in overview.due))
        out.print("Answer with `backcoach outcomes answer ID` (or `--answers FILE`).")
    else:
        nxt = f" Next on {overview.next_due:%d %b %Y}." if overview.next_due else ""
        out.print(f"Nothing is due today.{nxt}")
    titles = {i.id: i.short_title for i in instruments()}
    for t in overview.trends:
        out.print(f"- {t.summary}" if t.points else f"- {titles.get(t.instrument_id, t.instrument_id)}: {t.summary}")


@outcomes_app.command("answer")
def outcomes_answer(
    instrument_id: str = typer.Argument(..., metavar="ID", help="psfs, pain_interference or pain_score (see `backcoach outcomes --json`)."),
    answers: Optional[Path] = typer.Option(None, "--answers", help="A JSON file: item id -> answer (otherwise asked)."),
    person: Optional[str] = PersonOpt,
    as_json: bool = JsonOpt,
) -> None:
    """Answer one questionnaire; prints its score and how it compares with your first answer."""
    from backcoach import services
    from backcoach.services.outcomes import instrument

    which = instrument(instrument_id)
    pid = services.resolve_person(uow(), person)
    given = load_json(answers, "answers") if answers is not None else _ask_outcome(which)
    rec = services.record_outcome(uow(), pid, which.id, given, now())
    if as_json:
        print_json(rec.to_dict())
        return
    band = f" ({rec.score.band})" if rec.score.band else ""
    out.print(f"{which.short_title}: {rec.score.score:g}{band}. Saved.")
    out.print(rec.trend.summary)


def _ask_outcome(which: Any) -> dict[str, Any]:
    """Ask a questionnaire's items at the prompt (the domain checks the answers)."""
    out.print(which.title)
    if which.intro:
        out.print(which.intro)
    answers: dict[str, Any] = {}
    for item in which.items:
        if item.kind == "activities":
            rows = []
            for n in range(1, 6):
                name = typer.prompt(f"Activity {n} (leave empty to finish)", default="", show_default=False).strip()
                if not name:
                    break
                rows.append({"name": name, "rating": _ask_required(
                    f"How well can you do it today, {item.min} ({item.min_label}) to {item.max} ({item.max_label})?",
                    "int", item.min, item.max)})
            answers[item.id] = rows
        elif item.kind == "scale":
            answers[item.id] = _ask_required(f"{item.text} {item.min} = {item.min_label}, {item.max} = {item.max_label}",
                                             "int", item.min, item.max)
        else:
            labels = "; ".join(f"{c.value} = {c.label}" for c in item.choices)
            answers[item.id] = _ask_required(f"{item.text} ({labels})", "int",
                                             min(c.value for c in item.choices), max(c.value for c in item.choices))
    return answers
ALERT_STYLE = {"bad": "red", "warn": "yellow", "info": "none"}


def _alert_line(a: dict[str, Any], indent: str = "") -> None:
    """One alert, coloured by domain.triage.tone_of (the one rule every renderer uses)."""
    from backcoach.domain.triage import tone_of

    out.print(f"{indent}! {a.get('message', a.get('code'))}", style=ALERT_STYLE[tone_of(str(a.get("code", "")))])


def _render_alerts(alerts: list[dict[str, Any]]) -> None:
    for a in alerts:
        _alert_line(a)


# ----------------------------------------------------------------------------- status / clearance


@app.command()
def status(person: Optional[str] = PersonOpt, as_json: bool = JsonOpt) -> None:
    """Program, latest decisions with reasons, pain trend, adherence and escalations."""
    from backcoach import services

    pid = services.resolve_person(uow(), person)
    st = services.get_status(uow(), pid, now())
    data = st.to_dict()
    if as_json:
        print_json(data)
        return
    out.print(f"{st.display_name} — status on {now().date().isoformat()}", style="bold")
    gate = data["gate"]
    latest = gate.get("latest_screening")
    if latest:
        out.print(f"Last safety screen: {latest['at'][:10]} ({latest['level'].replace('_', ' ')})")
    if gate.get("lock"):
        lock = gate["lock"]
        out.print(f"Paused until a clinician has checked you ({lock['level']} screen on {lock['on']})", style="bold red")
    if gate["allowed"]:
        out.print("Program: allowed", style="green")
    else:
        out.print("Program: paused", style="bold red")
        for r in gate["reasons"]:
            out.print(f"  • {r}")
    if gate.get("reminder"):
        out.print(f"Reminder: {gate['reminder']}", style="yellow")
    if st.program is not None:
        _render_program(st.program)
    else:
        out.print("No program yet (`backcoach start`).")
    mon = data["monitoring"]
    out.print(f"Pain: baseline {_fmt(mon.get('baseline'))}, last 7 days {_fmt(mon.get('mean_7d'))}, trend {mon.get('trend')}")
    adherence = mon.get("adherence") or []
    if adherence:
        out.print("Adherence: " + "; ".join(
            f"week of {w.get('week_start')}: {w.get('done')}/{w.get('planned')}" for w in adherence[-4:]))
    if data["escalations"]:
        out.print("Needs attention", style="bold")
        _render_alerts(data["escalations"])
    if data["decisions"]:
        out.print("Latest decisions", style="bold")
        for d in data["decisions"][:6]:
            who = f"by {d.get('by_name') or 'a clinician'}" if d["source"] == "clinician" else "rules"
            out.print(f"  {d['at'][:10]} {d['action']} {d['exercise_id']} ({who})")
            for r in d["reasons"]:
                out.print(f"      {r}")
    _disclaimer()


def _fmt(x: Any) -> str:
    return "—" if x is None else f"{x:.1f}"


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
    with uow() as u:
        try:
            who = accounts.clinician_at_the_terminal(u.session, email=clinician, password=password, person_id=pid,
                                                     verify=lambda h, p: verify_password(hasher, h, p), now=now())
        except accounts.AccountError:
            u.commit()  # a wrong password counts towards the log-in limit
            raise
        u.commit()
    done = services.record_clearance(uow(), pid, who.display_name, note, now(), by_user_id=who.id,
                                     ruled_out=ruled_out, seen_where=seen_where)
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


# ----------------------------------------------------------------------------- simulate


@app.command()
def simulate(
    profile: str = typer.Option(..., "--profile",
                                help="A scripted course (JSON file), or an example course by name or file "
                                     "name (steady_improvement, flare_up, red_flag; e.g. course_flare_up.json)."),
    days: int = typer.Option(60, "--days", min=1, max=730, help="How many days to replay."),
    start_on: Optional[str] = typer.Option(None, "--start", help="Date of day 1 (default: today)."),
    as_json: bool = JsonOpt,
) -> None:
    """Replay a scripted course through the real rules and print the decisions day by day.

    Nothing is stored: the rules run in memory, exactly as they do for a real person.
    """
    from backcoach.catalog import example_course_name, example_course_names, load_example_course
    from backcoach.domain.simulation import simulate as run
    from backcoach.services.common import catalog, thresholds

    path = Path(profile)
    example = example_course_name(profile)
    if not path.exists() and example is not None:
        course = load_example_course(example)
    elif not path.exists():
        raise InputError(f"profile file not found: {profile} (or use an example: {', '.join(example_course_names())}, "
                         "by name or file name, e.g. course_flare_up.json)")
    else:
        course = load_json(path, "profile")
    try:
        day1 = dt.date.fromisoformat(start_on) if start_on else now().date()
    except ValueError:
        raise InputError(f"--start must be a date like 2026-03-02 (got {start_on!r})") from None
    simulated = run(course, catalog(), thresholds(), day1, days=days)
    data = simulation_dict(course, day1, simulated)
    _add_outcome_schedule(data)
    if as_json:
        print_json(data)
    else:
        render_simulation(data)


def simulation_dict(course: Any, day1: dt.date, simulated: list[Any]) -> dict[str, Any]:
    """The days plus a summary a person or a clinician can read at a glance."""
    days = [d.to_dict() for d in simulated]
    actions = {"progress": 0, "hold": 0, "regress": 0}
    for d in days:
        for decision in d["decisions"]:
            actions[decision["action"]] = actions.get(decision["action"], 0) + 1
    alert_codes = sorted({a["code"] for d in days for a in d["alerts"]})
    last = days[-1] if days else {}
    summary = {
        "days": len(days),
        "sessions": sum(1 for d in days if d["session_done"]),
        "days_locked": sum(1 for d in days if d["locked"]),
        "first_locked_day": next((d["day"] for d in days if d["locked"]), None),
        "decisions": actions,
        "alerts_raised": alert_codes,
        "final_phase": last.get("phase"),
        "final_prescriptions": last.get("prescriptions", []),
        "final_trend": last.get("trend"),
    }
    return {"name": course.get("name"), "description": course.get("description"), "start": day1.isoformat(),
            "summary": summary, "days": days}


def _add_outcome_schedule(data: dict[str, Any]) -> None:
    """Mark the days the outcome questionnaires would be asked (from the day the program starts)."""
    from backcoach.domain.outcomes import schedule_by_date
    from backcoach.services.outcomes import instruments

    started = next((d["date"] for d in data["days"] if d.get("phase")), None)
    if started is None:
        return
    due = schedule_by_date(instruments(), dt.date.fromisoformat(started), dt.date.fromisoformat(data["days"][-1]["date"]))
    for day in data["days"]:
        day["questionnaires"] = [d.to_dict() for d in due.get(dt.date.fromisoformat(day["date"]), [])]
    data["summary"]["questionnaire_days"] = [d.isoformat() for d in due]


def render_simulation(data: dict[str, Any]) -> None:
    if data.get("name"):
        out.print(f"Course: {data['name']}", style="bold")
    if data.get("description"):
        out.print(data["description"])
    out.print("(simulated with the real rules; nothing is stored)", style="dim")
    for day in data["days"]:
        bits = [f"day {day['day']:>3} {day['date']}"]
        if day.get("pain") is not None:
            bits.append(f"pain {day['pain']}/10")
        if day.get("phase"):
            bits.append(day["phase"])
        if day.get("screening_level"):
            bits.append(f"screen: {day['screening_level'].replace('_', ' ')}")
        if day["locked"]:
            bits.append("LOCKED")
        elif day["session_done"]:
            bits.append("session done")
        else:
            bits.append("no session")
        style = "bold red" if day["locked"] else ("bold" if day["decisions"] or day["alerts"] else "none")
        out.print("  ".join(bits), style=style)
        if day["locked"] and day.get("lock_reason"):
            out.print(f"      {day['lock_reason']}")
        for note in day.get("notes", []):
            out.print(f"      note: {note}", style="dim")
        for d in day["decisions"]:
            out.print(f"      {d['action'].upper():8} {d['exercise_id']}{_change_text(d)}",
                      style={"progress": "green", "hold": "yellow", "regress": "red"}.get(d["action"], "none"))
            for r in d.get("reasons", []):
                out.print(f"               {r}", style="dim")
        for a in day["alerts"]:
            _alert_line(a, indent="      ")
        if day.get("questionnaires"):
            out.print(f"      questionnaires due ({day['questionnaires'][0]['label']}): "
                      + ", ".join(q["instrument"] for q in day["questionnaires"]), style="cyan")
    s = data["summary"]
    out.print()
    out.print("Summary", style="bold")
    out.print(f"  {s['sessions']} sessions in {s['days']} days; decisions: {s['decisions']['progress']} progress, "
              f"{s['decisions']['hold']} hold, {s['decisions']['regress']} regress")
    if s["days_locked"]:
        out.print(f"  program locked on {s['days_locked']} day(s), from day {s['first_locked_day']}")
    if s["alerts_raised"]:
        out.print(f"  alerts: {', '.join(s['alerts_raised'])}")
    out.print(f"  final phase: {s['final_phase'] or '—'}; trend: {s['final_trend']}")
    if s["final_prescriptions"]:
        out.print(f"  final program: {'; '.join(s['final_prescriptions'])}")


# ----------------------------------------------------------------------------- export

export_app = typer.Typer(cls=TyperGroup, help="Export a person's record (FHIR R4, PDF report, pain chart).",
                         no_args_is_help=True, rich_markup_mode=None)
app.add_typer(export_app, name="export")


def _write_bytes(path: Path, content: bytes) -> None:
    try:
        path.write_bytes(content)
    except OSError as exc:
        raise InputError(f"cannot write {path}: {exc.strerror or exc}") from None


@export_app.command("fhir")
def export_fhir(
    out_file: Optional[Path] = typer.Option(None, "--out", help="Write the bundle here (default: print it)."),
    person: Optional[str] = PersonOpt,
) -> None:
    """The record as an HL7 FHIR R4 Bundle (JSON)."""
    from backcoach import services
    from backcoach.services import exports

    pid = services.resolve_person(uow(), person)
    bundle = exports.fhir_bundle(uow(), pid, now())
    if out_file is None:
        print_json(bundle)
    else:
        _write_bytes(out_file, (json.dumps(bundle, indent=2, ensure_ascii=False) + "\n").encode("utf-8"))
        out.print(f"FHIR bundle written to {out_file}")


@export_app.command("report")
def export_report(
    out_file: Optional[Path] = typer.Option(None, "--out", help="PDF file (default: backcoach-report-DATE.pdf)."),
    person: Optional[str] = PersonOpt,
) -> None:
    """A PDF progress report: summary, pain and adherence charts, decisions with their reasons."""
    from backcoach import services
    from backcoach.services import exports

    pid = services.resolve_person(uow(), person)
    path = out_file or Path(f"backcoach-report-{now().date().isoformat()}.pdf")
    _write_bytes(path, exports.report_pdf(uow(), pid, now()))
    out.print(f"Report written to {path}")


@export_app.command("chart")
def export_chart(
    out_file: Optional[Path] = typer.Option(None, "--out", help="PNG file (default: backcoach-pain-DATE.png)."),
    person: Optional[str] = PersonOpt,
) -> None:
    """The pain-over-time chart with the baseline (PNG)."""
    from backcoach import services
    from backcoach.services import exports

    pid = services.resolve_person(uow(), person)
    path = out_file or Path(f"backcoach-pain-{now().date().isoformat()}.png")
    _write_bytes(path, exports.pain_chart_png(uow(), pid, now()))
    out.print(f"Pain chart written to {path}")


# ----------------------------------------------------------------------------- db

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


# ----------------------------------------------------------------------------- serve
# >>> `backcoach serve` belongs to the web app (src/backcoach/web); register it here. <<<
# src/backcoach/web/cli.py (the web app's) registers `serve` and `create-admin` with `register(app)`.
# It is loaded by file, not through `backcoach.web`, whose package import would pull in FastAPI
# and slow every command down.
def _register_web_commands() -> None:
    import importlib.util

    path = Path(__file__).parent / "web" / "cli.py"
    if not path.exists():
        return
    spec = importlib.util.spec_from_file_location("backcoach._web_cli", path)
    if spec is None or spec.loader is None:
        return
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    module.register(app)


_register_web_commands()


# ----------------------------------------------------------------------------- analyze (motion)
try:
    from backcoach import motion_cli as _motion_cli
except ImportError:  # the motion package is optional at import time
    _motion_cli = None
else:
    _motion_cli.register(app)


def main() -> None:
    """Entry point of the `backcoach` script."""
    app()


if __name__ == "__main__":  # pragma: no cover
    main()
