"""Upload analysis jobs whose worker dies: the job is given up as failed with a plain
message once it has shown no sign of life for the stall limit (at start-up, and when the
person polls it), and its uploaded file is removed. A job that is alive is left alone."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path
from typing import Any

import pytest

from backcoach.services import videos as videos_svc
from backcoach.settings import Settings
from backcoach.storage import SqlAlchemyUnitOfWork
from backcoach.storage import models as m
from backcoach.web import WebOptions, create_app

from .conftest import person_with_program

CLIP = Path("/work/shared/data/videos/glute_bridge_side_real.mp4")
T0 = dt.datetime(2026, 11, 2, 9, 0, tzinfo=dt.timezone.utc)
STALL_S = 10.0  # the worker writes progress every 0.5 s: ten seconds of silence is not a busy machine


@pytest.fixture(scope="module")
def backend() -> str:  # the job records are the same on PostgreSQL; the process handling is what is tested
    return ""


@pytest.fixture(scope="module")
def settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    data = tmp_path_factory.mktemp("jobs")
    return Settings(database_url=f"sqlite:///{data}/jobs.sqlite3", secret_key="jobs-" + uuid.uuid4().hex,
                    data_dir=data, video_stall_running_s=STALL_S, video_stall_queued_s=60)


@pytest.fixture(scope="module")
def app(settings: Settings) -> Any:
    return create_app(settings, WebOptions(fast_password_hash=True, cookie_secure=True))


@pytest.fixture(scope="module")
def person(app: Any) -> Any:
    return person_with_program(app)


def _record(app: Any, person: Any, status: str, seen: dt.datetime, tmp_path: Path, name: str) -> tuple[int, Path]:
    """A job record as a worker left it: its file in the upload folder, last sign of life at `seen`."""
    folder = app.state.settings.upload_dir
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.mp4"
    path.write_bytes(b"\x00\x00\x00\x20ftypisom" + b"\x00" * 64)
    with app.state.sessionmaker() as db:
        rec = m.VideoAnalysis(person_id=person.account["person_id"], exercise_id="glute_bridge", status=status,
                              progress=0.4 if status == "running" else 0.0, file_path=str(path), size_bytes=76,
                              keep_video=True, created_at=seen, heartbeat_at=seen if status == "running" else None)
        db.add(rec)
        db.commit()
        return rec.id, path


def _status(app: Any, video_id: int) -> m.VideoAnalysis:
    with app.state.sessionmaker() as db:
        return db.get(m.VideoAnalysis, video_id)


def test_the_stall_limits_leave_a_live_job_alone() -> None:
    limits = videos_svc.StallLimits(running_s=120, queued_s=1800)
    rec = m.VideoAnalysis(status="running", created_at=T0, heartbeat_at=T0 + dt.timedelta(minutes=10))
    assert not limits.stalled(rec, T0 + dt.timedelta(minutes=10, seconds=119))
    assert limits.stalled(rec, T0 + dt.timedelta(minutes=10, seconds=121))
    queued = m.VideoAnalysis(status="queued", created_at=T0)
    assert not limits.stalled(queued, T0 + dt.timedelta(seconds=1799))
    assert limits.stalled(queued, T0 + dt.timedelta(seconds=1801))
    done = m.VideoAnalysis(status="done", created_at=T0)
    assert not limits.stalled(done, T0 + dt.timedelta(days=30))


def test_a_job_whose_worker_process_is_killed_fails_with_a_clear_message_and_its_file_goes(
        app: Any, person: Any, settings: Settings, tmp_path: Path) -> None:
    if not CLIP.exists():
        if os.environ.get("CI"):
            pytest.fail(f"test video missing: {CLIP}")
        pytest.skip("shared test videos are not here")
    pytest.importorskip("mediapipe")
    copy = tmp_path / "set.mp4"
    shutil.copyfile(CLIP, copy)
    from backcoach.services.videos import VideoLimits, store_upload

    with SqlAlchemyUnitOfWork(session_factory=app.state.sessionmaker) as uow:
        rec = store_upload(uow, person.account["person_id"], "glute_bridge", copy, copy.stat().st_size,
                           settings.upload_dir, VideoLimits(max_bytes=50_000_000, max_seconds=180), False, None,
                           dt.datetime.now(dt.timezone.utc))
        video_id, path = rec.id, Path(rec.file_path)
    # the job runs in a worker process of its own (as a Celery worker would), which is then killed
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    worker = subprocess.Popen([sys.executable, "-c", "import sys; from backcoach.jobs.tasks import analyze_upload; "
                               "analyze_upload(int(sys.argv[1]), sys.argv[2])", str(video_id), settings.database_url],
                              env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 180
        while _status(app, video_id).status != "running" or not _status(app, video_id).progress:
            assert worker.poll() is None, "the worker stopped by itself"
            assert time.monotonic() < deadline, "the job never started"
            time.sleep(0.2)
        alive = person.get(f"/api/videos/{video_id}").json()
        assert alive["status"] in ("running", "done")  # progress was written just now: not given up
    finally:
        worker.send_signal(signal.SIGKILL)
        worker.wait()
    if _status(app, video_id).status == "done":
        pytest.skip("the analysis finished before the worker could be killed")
    time.sleep(STALL_S + 0.5)
    body = person.get(f"/api/videos/{video_id}").json()
    assert body["status"] == "failed" and body["error"] == videos_svc.STALLED_MESSAGE
    assert body["result"] is None and body["video_kept"] is False
    assert not path.exists()
    assert person.get(f"/api/videos/{video_id}").json()["status"] == "failed"  # and it stays so


def test_start_up_gives_up_jobs_left_running_or_queued_by_a_dead_server(app: Any, person: Any, settings: Settings,
                                                                         tmp_path: Path) -> None:
    now = dt.datetime.now(dt.timezone.utc)
    stale, stale_file = _record(app, person, "running", now - dt.timedelta(seconds=STALL_S + 30), tmp_path, "stale")
    fresh, fresh_file = _record(app, person, "running", now + dt.timedelta(seconds=30), tmp_path, "fresh")
    forgotten, forgotten_file = _record(app, person, "queued", now - dt.timedelta(seconds=61), tmp_path, "forgotten")
    waiting, waiting_file = _record(app, person, "queued", now, tmp_path, "waiting")
    create_app(settings, WebOptions(fast_password_hash=True))  # a server starting again on this database
    for video_id, path in ((stale, stale_file), (forgotten, forgotten_file)):
        rec = _status(app, video_id)
        assert rec.status == "failed" and rec.error == videos_svc.STALLED_MESSAGE and rec.finished_at is not None
        assert rec.file_path is None and not path.exists()
    for video_id, path in ((fresh, fresh_file), (waiting, waiting_file)):  # another worker's live jobs
        assert _status(app, video_id).status in ("running", "queued") and path.exists()


def test_a_result_that_arrives_after_the_job_was_given_up_is_not_stored(app: Any, person: Any, tmp_path: Path) -> None:
    video_id, path = _record(app, person, "queued", dt.datetime.now(dt.timezone.utc), tmp_path, "late")

    class Result:
        repetitions: list[Any] = []
        video = None

        def to_dict(self) -> dict[str, Any]:
            return {"reps": 3}

    def analyse(*_args: Any, **_kw: Any) -> Result:
        with SqlAlchemyUnitOfWork(session_factory=app.state.sessionmaker) as uow:  # meanwhile the job is given
            later = dt.datetime.now(dt.timezone.utc) + dt.timedelta(hours=1)  # up (an hour without a sign of life)
            assert videos_svc.fail_stalled(uow, later, video_id=video_id) == 1
            uow.commit()
        return Result()

    out = videos_svc.run_analysis(lambda: SqlAlchemyUnitOfWork(session_factory=app.state.sessionmaker), video_id,
                                  analyze=analyse)
    assert out["status"] == "failed"
    rec = _status(app, video_id)
    assert rec.status == "failed" and rec.result is None and rec.error == videos_svc.STALLED_MESSAGE
    assert not path.exists()
