"""What every job runner offers, whatever executes the work."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal, Protocol

from backcoach.domain.errors import BackcoachError

JobState = Literal["queued", "running", "done", "failed"]


class UnknownJob(BackcoachError):
    """A job id this runner never issued (or has forgotten)."""


class JobFailed(BackcoachError):
    """The job ended with an error; the message is written for the person who asked for it."""


@dataclass(frozen=True)
class JobStatus:
    id: str
    task: str
    state: JobState
    result: dict[str, Any] | None = None
    error: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def finished(self) -> bool:
        return self.state in ("done", "failed")

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "task": self.task, "state": self.state, "result": self.result, "error": self.error}


class JobRunner(Protocol):
    def submit(self, task: str, **kwargs: Any) -> str:
        """Queue a task by name with JSON-serialisable arguments; return its job id."""

    def status(self, job_id: str) -> JobStatus:
        """Where the job is now."""

    def wait(self, job_id: str, timeout: float) -> JobStatus:
        """Block until the job has finished or the timeout passes."""
