"""`backcoach assess`: the glute assessment."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from backcoach.cli.files import load_json
from backcoach.cli.prompts import ask_assessment
from backcoach.cli.render import print_json, render_assessment
from backcoach.cli.root import JsonOpt, app


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
