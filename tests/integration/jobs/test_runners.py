"""Both job runners execute the same named tasks; Celery with a real worker on a real Redis."""
from __future__ import annotations

import os
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

from parallel_support import redis_url

from backcoach.jobs import InProcessRunner, UnknownJob
from backcoach.jobs.tasks import INTERNAL_ERROR

EMERGENCY = {"bladder_change": True}
SHARED_VIDEOS = Path(__file__).resolve().parents[3].parent / "shared" / "data" / "videos"
SINGLE_REP = SHARED_VIDEOS / "glute_bridge_single_rep.mp4"


def _check_video_task(runner) -> None:
    """The heavy task: a real clip analysed where the runner executes, and a plain error for a bad path."""
    missing = runner.wait(runner.submit("analyze_video", path="/no/such/video.mp4", exercise="glute_bridge"), 60)
    assert missing.state == "failed" and "/no/such/video.mp4" in missing.error
    if not SINGLE_REP.exists():
        if os.environ.get("CI"):
            pytest.fail(f"test video missing: {SINGLE_REP}")
        return
    done = runner.wait(runner.submit("analyze_video", path=str(SINGLE_REP), exercise="glute_bridge"), 180)
    assert done.state == "done", done
    assert done.result["exercise"] == "glute_bridge" and done.result["reps"] == 1


def _check_runner(runner) -> None:
    job = runner.submit("screen_answers", answers=EMERGENCY)
    status = runner.wait(job, timeout=60)
    assert status.state == "done", status
    assert status.result["level"] == "emergency"
    assert status.result["program_allowed"] is False

    bad = runner.wait(runner.submit("screen_answers", answers={"pain_now": 11}), timeout=60)
    assert bad.state == "failed"
    assert "pain_now" in bad.error and bad.error != INTERNAL_ERROR

    unknown = runner.wait(runner.submit("no_such_task"), timeout=60)
    assert unknown.state == "failed" and "no_such_task" in unknown.error


def test_in_process_runner_runs_tasks_and_reports_plain_errors():
    runner = InProcessRunner()
    try:
        _check_runner(runner)
        _check_video_task(runner)
        with pytest.raises(UnknownJob):
            runner.status("not-a-job")
    finally:
        runner.shutdown()


@pytest.mark.redis
def test_celery_worker_over_redis_runs_the_same_tasks(tmp_path):
    from backcoach.jobs.celery_backend import CeleryRunner, make_celery

    url = redis_url()
    queue = f"backcoach-test-{uuid.uuid4().hex[:8]}"
    env = {**os.environ, "REDIS_URL": url, "BACKCOACH_DATA_DIR": str(tmp_path)}
    worker = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "backcoach.jobs.celery_backend", "worker",
         "--pool", "solo", "--concurrency", "1", "--queues", queue, "--loglevel", "WARNING",
         "--without-gossip", "--without-mingle", "--without-heartbeat"],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )
    try:
        app = make_celery(url)
        app.conf.task_default_queue = queue
        runner = CeleryRunner(app)
        deadline = time.monotonic() + 60
        first = runner.submit("screen_answers", answers={})
        while not runner.status(first).finished and time.monotonic() < deadline:
            assert worker.poll() is None, worker.stdout.read()
            time.sleep(0.2)
        assert runner.status(first).state == "done"
        _check_runner(runner)
        _check_video_task(runner)
    finally:
        worker.terminate()
        try:
            worker.wait(timeout=20)
        except subprocess.TimeoutExpired:
            worker.kill()
