"""Runs jobs on a small thread pool inside this process: the default, nothing to start."""
from __future__ import annotations

import logging
import threading
import uuid
from concurrent.futures import Future, ThreadPoolExecutor, wait
from typing import Any

from backcoach.jobs.base import JobStatus, UnknownJob
from backcoach.jobs.tasks import error_message, run_task

log = logging.getLogger(__name__)


class InProcessRunner:
    """Jobs live as long as this process; fine for one machine, use Celery for many."""

    def __init__(self, max_workers: int = 1) -> None:
        self._pool = ThreadPoolExecutor(max_workers=max_workers, thread_name_prefix="backcoach-job")
        self._jobs: dict[str, tuple[str, Future]] = {}
        self._lock = threading.Lock()

    def submit(self, task: str, **kwargs: Any) -> str:
        job_id = uuid.uuid4().hex
        future = self._pool.submit(run_task, task, kwargs)
        with self._lock:
            self._jobs[job_id] = (task, future)
        return job_id

    def status(self, job_id: str) -> JobStatus:
        with self._lock:
            entry = self._jobs.get(job_id)
        if entry is None:
            raise UnknownJob(f"No job with id {job_id!r} is known here.")
        task, future = entry
        if future.running():
            return JobStatus(job_id, task, "running")
        if not future.done():
            return JobStatus(job_id, task, "queued")
        exc = future.exception()
        if exc is not None:
            if error_message(exc) != str(exc):
                log.error("job %s (%s) crashed", job_id, task, exc_info=exc)
            return JobStatus(job_id, task, "failed", error=error_message(exc))
        return JobStatus(job_id, task, "done", result=future.result())

    def wait(self, job_id: str, timeout: float) -> JobStatus:
        with self._lock:
            entry = self._jobs.get(job_id)
        if entry is None:
            raise UnknownJob(f"No job with id {job_id!r} is known here.")
        wait([entry[1]], timeout=timeout)
        return self.status(job_id)

    def shutdown(self) -> None:
        self._pool.shutdown(wait=True)
