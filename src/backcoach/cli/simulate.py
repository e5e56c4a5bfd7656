"""`backcoach simulate`: replay a scripted course through the real rules."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Optional

import typer

from backcoach.cli.files import load_json
from backcoach.cli.options import field_option
from backcoach.cli.render import print_json, render_simulation
from backcoach.cli.root import InputError, JsonOpt, app, now
from backcoach.domain.fields import FieldSpec

DAYS = FieldSpec("days", "int", "Days to replay", required=True, low=1, high=730)


@app.command()
def simulate(
    profile: str = typer.Option(..., "--profile",
                                help="A scripted course (JSON file), or an example course by name or file "
                                     "name (steady_improvement, flare_up, red_flag; e.g. course_flare_up.json)."),
    days: int = field_option(DAYS, 60, "--days", help="How many days to replay."),
    start_on: Optional[str] = typer.Option(None, "--start", help="Date of day 1 (default: today)."),
    as_json: bool = JsonOpt,
) -> None:
    """Replay a scripted course through the real rules and print the decisions day by day.

    Nothing is stored: the rules run in memory, exactly as they do for a real person.
    """
    from backcoach.catalog import example_course_name, example_course_names, load_example_course
    from backcoach.services.simulation import replay_course

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
    data = replay_course(course, day1, days)
    if as_json:
        print_json(data)
    else:
        render_simulation(data)
