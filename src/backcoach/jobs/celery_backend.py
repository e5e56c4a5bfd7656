"""Celery adapter: the same named tasks, run by workers over Redis.

Start workers with:
    REDIS_URL=redis://host:6379/0 celery -A backcoach.jobs.celery_backend worker --concurrency 2
Each worker needs the `vision` extra for video analysis, and read access to the
videos (shared storage).
"""
from __future__ import annotations

from typing import Any

from celery import Celery
from celery.result import AsyncResult

from backcoach.domain.errors import BackcoachError
from backcoach.jobs.base import JobStatus
from backcoach.jobs.tasks import error_message, run_task

TASK_NAME = "backcoach.run_task"


def make_celery(redis_url: str) -> Celery:
    app = Celery("backcoach", broker=redis_url, backend=redis_url)
    app.conf.update(
        task_serializer="json",
        result_serializer="json",
        accept_content=["json"],
        task_track_started=True,
        task_acks_late=True,
        worker_prefetch_multiplier=1,
        result_expires=24 * 3600,
        broker_connection_retry_on_startup=True,
    )

    @app.task(name=TASK_NAME)
    def run(task: str, kwargs: dict[str, Any]) -> dict[str, Any]:
        try:
            return {"ok": True, "result": run_task(task, kwargs)}
        except Exception as exc:  # reported to the caller as a plain message
            if not isinstance(exc, BackcoachError):
                raise
            return {"ok": False, "error": error_message(exc)}

    return app


_STATES = {"PENDING": "queued", "RECEIVED": "queued", "RETRY": "queued", "STARTED": "running"}


class CeleryRunner:
    def __init__(self, app: Celery) -> None:
        self.app = app

    def submit(self, task: str, **kwargs: Any) -> str:
        return self.app.send_task(TASK_NAME, args=[task, kwargs], kwargs={}, queue=None).id + ":" + task

    def status(self, job_id: str) -> JobStatus:
        celery_id, _, task = job_id.partition(":")
        result = AsyncResult(celery_id, app=self.app)
        state = result.state
        if state in _STATES:
            return JobStatus(job_id, task, _STATES[state])  # type: ignore[arg-type]
        if state == "SUCCESS":
            payload = result.result or {}
            if payload.get("ok"):
                return JobStatus(job_id, task, "done", result=payload["result"])
            return JobStatus(job_id, task, "failed", error=payload.get("error"))
        return JobStatus(job_id, task, "failed", error=error_message(result.result if isinstance(result.result, BaseException) else RuntimeError()))

    def wait(self, job_id: str, timeout: float) -> JobStatus:
        celery_id = job_id.partition(":")[0]
        try:
            AsyncResult(celery_id, app=self.app).get(timeout=timeout, propagate=False)
        except Exception:  # timeout: report the current state
            pass
        return self.status(job_id)


def _default_app() -> Celery:
    from backcoach.settings import get_settings

    return make_celery(get_settings().redis_url)


app = _default_app()
