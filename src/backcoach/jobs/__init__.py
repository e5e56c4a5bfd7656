"""Background work: the same named tasks run in-process (default) or on Celery workers.

Video analysis is the heavy job; with `JOBS_BACKEND=celery` and a Redis URL it
scales out over as many worker machines as needed, while the web servers stay
stateless. `get_runner()` picks the backend from the settings.
"""
from __future__ import annotations

from backcoach.jobs.base import JobFailed, JobRunner, JobStatus, UnknownJob
from backcoach.jobs.inprocess import InProcessRunner


def get_runner(settings=None) -> JobRunner:
    """The runner the settings ask for."""
    from backcoach.settings import get_settings

    settings = settings or get_settings()
    if settings.jobs_backend == "celery":
        from backcoach.jobs.celery_backend import CeleryRunner, make_celery

        return CeleryRunner(make_celery(settings.redis_url))
    return InProcessRunner()


__all__ = ["JobFailed", "JobRunner", "JobStatus", "UnknownJob", "InProcessRunner", "get_runner"]
