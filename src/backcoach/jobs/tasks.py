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


def analyze_upload(video_id: int, database_url: str | None = None) -> dict[str, Any]:
    """Analyse an uploaded video of a set and write progress and result into its record.

    The in-process runner passes its app's database URL; a Celery worker uses its own
    settings (DATABASE_URL), so no credentials travel through the broker."""
    from backcoach.services.videos import run_analysis, units_of_work
    from backcoach.settings import get_settings

    return run_analysis(units_of_work(database_url or get_settings().database_url), int(video_id))


TASKS: dict[str, Callable[..., dict[str, Any]]] = {
    "screen_answers": screen_answers,
    "analyze_video": analyze_video,
    "analyze_upload": analyze_upload,
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
