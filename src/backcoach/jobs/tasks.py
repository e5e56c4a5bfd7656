"""The named tasks a runner can execute. Arguments and results are plain JSON,
so the same task runs in this process or on a Celery worker elsewhere.

A task that fails because of its input raises a BackcoachError; runners report
its message as is. Any other exception is reported without internal detail.
"""
from __future__ import annotations

from typing import Any, Callable

from backcoach.domain.errors import BackcoachError


def screen_answers(answers: dict[str, Any]) -> dict[str, Any]:
    """Screen a set of red-flag answers (cheap; used to check that workers are alive and agree)."""
    from backcoach.catalog import load_thresholds
    from backcoach.domain.screening import parse_answers, screen

    return screen(parse_answers(answers), load_thresholds()).to_dict()


def analyze_video(path: str, exercise: str = "auto") -> dict[str, Any]:
    """Run the camera form coach on a video file that every worker can read."""
    from backcoach.motion.analysis import analyze_video as run_analysis

    return run_analysis(path, exercise).to_dict()


TASKS: dict[str, Callable[..., dict[str, Any]]] = {
    "screen_answers": screen_answers,
    "analyze_video": analyze_video,
}

INTERNAL_ERROR = "The job failed unexpectedly. Please try again; if it keeps failing, report it."


def run_task(task: str, kwargs: dict[str, Any]) -> dict[str, Any]:
    """Execute a task by name (raises BackcoachError for bad input or an unknown task)."""
    try:
        function = TASKS[task]
    except KeyError:
        raise BackcoachError(f"There is no job called {task!r}. Known jobs: {', '.join(sorted(TASKS))}.") from None
    return function(**kwargs)


def error_message(exc: BaseException) -> str:
    return str(exc) if isinstance(exc, BackcoachError) else INTERNAL_ERROR
