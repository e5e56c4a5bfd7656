"""`backcoach analyze`: the camera form coach on a recorded video.

Thin: parse options, call the motion pipeline, render. Errors a person can cause (a
MotionError) end the command like every other one: one line `error: ...`, exit status 2;
a failure that is a bug says so in one line, exit status 1.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Optional

import typer

from backcoach.cli.options import field_option
from backcoach.cli.root import app
from backcoach.domain.fields import FieldSpec

HOLD = FieldSpec("hold_seconds", "number", "Prescribed squeeze at the top, seconds", low=0)
PRESCRIBED_HOLD = FieldSpec("prescribed_hold", "number", "Prescribed time of a timed hold, seconds", low=0)
TEMPO = FieldSpec("tempo", "number", "Tempo cue, seconds", low=0.1)
FPS = FieldSpec("fps", "number", "Frames per second analysed", low=1, high=60)

EXIT_INTERNAL_ERROR = 1


@app.command("analyze")
def analyze(
    video: Path = typer.Argument(..., help="The video of one set (MP4 or MOV from a phone is fine)."),
    exercise: str = typer.Option("auto", "--exercise", "-e", help="Catalog exercise id, or 'auto' to recognise it (a movement not in the catalog is answered 'not recognised', exit status 2)."),
    as_json: bool = typer.Option(False, "--json", help="Print the result as JSON instead of a report."),
    annotate: Optional[Path] = typer.Option(None, "--annotate", help="Write the video with skeleton, angle, counter and faults drawn (MP4)."),
    keyframes: Optional[Path] = typer.Option(None, "--keyframes", help="Write one PNG per repetition, at its top, into this folder."),
    hold_seconds: Optional[float] = field_option(HOLD, None, "--hold-seconds", help="Prescribed squeeze at the top of each repetition, in seconds (from your program's dose). Without it, holds are not judged."),
    prescribed_hold: Optional[float] = field_option(PRESCRIBED_HOLD, None, "--prescribed-hold", help="Prescribed time for a timed hold (side plank, bird dog, dead bug), in seconds."),
    lift_seconds: Optional[float] = field_option(TEMPO, None, "--lift-seconds", help="The tempo cue you were given for lifting, in seconds [default: from catalog/motion.yaml, 2]."),
    lower_seconds: Optional[float] = field_option(TEMPO, None, "--lower-seconds", help="The tempo cue you were given for lowering, in seconds [default: from catalog/motion.yaml, 2]."),
    fps: Optional[float] = field_option(FPS, None, "--fps", help="Frames per second analysed (the video is sampled down to this) [default: from catalog/motion.yaml, 8]."),
) -> None:
    """Count repetitions in a video of one set and say what to fix, repetition by repetition."""
    from rich.console import Console  # noqa: PLC0415
    from rich.progress import BarColumn, Progress, TextColumn, TimeRemainingColumn  # noqa: PLC0415

    from backcoach.motion import CheckOptions, MotionError, analyze_video  # noqa: PLC0415
    from backcoach.motion.report import render_text, to_json  # noqa: PLC0415

    from backcoach.motion.config import motion_config  # noqa: PLC0415

    config = motion_config()
    fps = config.sampling.sample_fps if fps is None else fps
    err = Console(stderr=True)
    tempo = {k: v for k, v in (("lift_s", lift_seconds), ("lower_s", lower_seconds)) if v is not None}
    options = CheckOptions.from_config(config, hold_target_s=hold_seconds or None, prescribed_hold_s=prescribed_hold, **tempo)
    try:
        with Progress(TextColumn("Analysing {task.description}"), BarColumn(), TextColumn("{task.percentage:>3.0f}%"),
                      TimeRemainingColumn(), console=err, transient=True, disable=not err.is_terminal) as bar:
            task = bar.add_task(video.name, total=1.0)

            def progress(done: float, total: float) -> None:
                bar.update(task, completed=(done / total) if total > 0 else 1.0)

            result = analyze_video(str(video), exercise, options=options, sample_fps=fps, progress=progress)
        if annotate is not None or keyframes is not None:
            from backcoach.motion.annotate import write_annotated, write_keyframes  # noqa: PLC0415

            if annotate is not None:
                write_annotated(result, result.video, annotate)
                err.print(f"Annotated video written to {annotate}")
            if keyframes is not None:
                paths = write_keyframes(result, result.video, keyframes)
                err.print(f"{len(paths)} key frame(s) written to {keyframes}")
    except (MotionError, KeyboardInterrupt, typer.Exit):
        raise
    except Exception as exc:  # noqa: BLE001 - a bug, not the person's fault: say so in one line
        typer.echo(f"error: the analysis failed unexpectedly ({type(exc).__name__}: {exc}). "
                   "Please report it, with the video if you can.", err=True)
        raise typer.Exit(EXIT_INTERNAL_ERROR) from None
    if as_json:
        sys.stdout.write(to_json(result) + "\n")
    else:
        typer.echo(render_text(result))
