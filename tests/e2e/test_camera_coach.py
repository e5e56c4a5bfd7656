"""The camera coach in Debian's headless Chromium, with a fake camera playing the shared real
bridge clip (a .y4m made at test time):
(a) live: permission, landmarks found in the page, replies from the server, a count shown,
    a dropped WebSocket that reconnects and keeps the count, a denied camera;
(b) a recorded set analysed in the browser by media time: exactly 5 repetitions, and the
    session log filled with them;
(c) the same clip uploaded and analysed by a real Celery worker over Redis: 5 repetitions.

The pose model runs on software WebGL here and may manage under one frame a second, so
nothing waits on speed: the page times frames by media time, and the waits are bounded by
frame counts, not by wall-clock rates."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import uuid
from pathlib import Path
from typing import Any, Iterator

import pytest
from parallel_support import redis_url
from server_support import app_in_thread

from .camera_support import BRIDGE_CLIP, make_y4m
from .conftest import CHROMIUM, shot
from .test_screening_form_browser import axe_violations
from .test_web_flow import answer_screening, do_assessment, sign_up

pytestmark = pytest.mark.browser

POSE_ASSETS = Path(__file__).resolve().parents[2] / "src" / "backcoach" / "web" / "static" / "vendor" / "mediapipe-pose"
IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")


def _need(condition: bool, why: str) -> None:
    if not condition:
        if IN_CI:
            pytest.fail(why)
        pytest.skip(why)


@pytest.fixture(scope="module")
def coach_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Any]]:
    from backcoach.settings import Settings
    from backcoach.web import WebOptions, create_app

    data = tmp_path_factory.mktemp("coach-e2e")
    settings = Settings(database_url=f"sqlite:///{data}/coach.sqlite3", secret_key="coach-e2e", data_dir=data)
    app = create_app(settings, WebOptions(fast_password_hash=True))
    with app_in_thread(app) as port:
        yield f"http://127.0.0.1:{port}", app


@pytest.fixture(scope="module")
def camera_browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    _need(Path(CHROMIUM).exists(), f"{CHROMIUM} is missing (apt-get install chromium)")
    _need(BRIDGE_CLIP.exists(), f"the shared clip {BRIDGE_CLIP} is missing")
    _need((POSE_ASSETS / "pose.js").exists(), "the in-browser pose model is missing: run scripts/fetch_pose_assets.py")
    pytest.importorskip("cv2")
    y4m = make_y4m(BRIDGE_CLIP, tmp_path_factory.mktemp("camera") / "bridge.y4m")
    from playwright.sync_api import sync_playwright

    args = ["--headless", "--no-sandbox", "--disable-quic", "--no-first-run", "--disable-background-networking",
            "--disable-component-update", "--disable-sync",
            # the pose model needs WebGL: software (SwiftShader) in a headless CI box
            "--use-angle=swiftshader", "--enable-unsafe-swiftshader",
            "--use-fake-ui-for-media-stream", "--use-fake-device-for-media-stream",
            f"--use-file-for-fake-video-capture={y4m}", "--autoplay-policy=no-user-gesture-required"]
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=args)
        try:
            yield b
        finally:
            b.close()


@pytest.fixture(scope="module")
def coach_person(coach_server: tuple[str, Any], camera_browser: Any) -> dict[str, Any]:
    """A person signed up, screened clear and assessed, once for the module: the cookies the
    camera tests start from (the sign-up itself is tested in test_web_flow.py; here it cost
    each test about 10 s of CPU in Chromium)."""
    base, _app = coach_server
    ctx = camera_browser.new_context(viewport={"width": 1280, "height": 900})
    page = ctx.new_page()
    sign_up(page, base)
    answer_screening(page, base, "clear")
    do_assessment(page, base)
    state = ctx.storage_state()
    ctx.close()
    return state


def _camera_page(browser: Any, storage_state: dict[str, Any] | None) -> Iterator[Any]:
    errors: list[str] = []
    ctx = browser.new_context(viewport={"width": 1280, "height": 900}, storage_state=storage_state)
    ctx.set_default_timeout(120_000)  # a pose step on software WebGL can hold the page for a while
    # Count the page's WebSockets, so a test can drop one as a network would.
    ctx.add_init_script("""(() => { const W = window.WebSocket; window.__sockets = [];
      window.WebSocket = function (u, p) { const s = p ? new W(u, p) : new W(u); window.__sockets.push(s); return s; };
      window.WebSocket.prototype = W.prototype; Object.assign(window.WebSocket, {OPEN: 1, CLOSED: 3}); })();""")
    page = ctx.new_page()
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("crash", lambda _p: errors.append("the page crashed"))
    yield page
    ctx.close()
    assert [e for e in errors if "status of 4" not in e] == []


@pytest.fixture()
def camera_page(camera_browser: Any, coach_person: dict[str, Any]) -> Iterator[Any]:
    """A page logged in as the module's person (who saves no session, so Today stays as it was;
    the sets a page counts stay in its own context's storage)."""
    yield from _camera_page(camera_browser, coach_person)


@pytest.fixture()
def new_person_camera_page(camera_browser: Any) -> Iterator[Any]:
    """A page with nobody logged in yet, for a test that changes its person's day."""
    yield from _camera_page(camera_browser, None)


def _person_on_coach_page(page: Any, base: str) -> None:
    page.goto(f"{base}/today")
    page.get_by_role("link", name="Coach me with the camera").first.click()
    page.wait_for_url("**/coach/glute_bridge")


def _attr(page: Any, name: str) -> str | None:
    if page.is_closed() or not page.locator("#coach").count():
        raise AssertionError(f"the coach page is gone (now at {page.url if not page.is_closed() else 'a closed page'})")
    return page.locator("#coach").get_attribute(name)


def _wait_attr(page: Any, name: str, ok, timeout_s: float) -> str:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        value = _attr(page, name)
        if value is not None and ok(value):
            return value
        page.wait_for_timeout(500)
    raise AssertionError(f"#coach[{name}] = {_attr(page, name)!r} after {timeout_s} s "
                         f"({_attr(page, 'data-frames')} frames analysed; {_attr(page, 'data-timing')})")


def test_live_coaching_with_a_fake_camera(coach_server: tuple[str, Any], camera_page: Any) -> None:
    base, _app = coach_server
    page = camera_page
    _person_on_coach_page(page, base)
    page.get_by_role("button", name="Start the camera").click()
    assert _wait_attr(page, "data-camera", lambda v: v == "on", 30) == "on"  # permission given, camera running
    _wait_attr(page, "data-landmarks", lambda v: v == "found", 180)  # the pose model found the person in the page
    replies = int(_wait_attr(page, "data-replies", lambda v: int(v) >= 3, 180))  # the server answered frames
    assert replies >= 3
    count = page.locator("span[data-count]").inner_text()
    assert count.endswith("/ 8") and int(count.split("/")[0]) >= 0  # the count is shown
    assert page.get_by_role("button", name="Set done").is_visible()
    shot(page, "coach-live")

    # A dropped connection: the page says so, reconnects by itself and keeps its count.
    before = int(_attr(page, "data-count"))
    page.evaluate("window.__sockets[window.__sockets.length - 1].close()")
    deadline = time.monotonic() + 60  # (wait_for_function would need 'unsafe-eval', which the page's CSP refuses)
    while not page.evaluate("window.__sockets.length >= 2 && window.__sockets[window.__sockets.length - 1].readyState === 1"):
        assert time.monotonic() < deadline, "the page did not reconnect"
        page.wait_for_timeout(300)
    now = int(_attr(page, "data-replies"))
    _wait_attr(page, "data-replies", lambda v: int(v) > now, 180)
    assert int(_attr(page, "data-count")) >= before
    assert "?start=" in page.evaluate("window.__sockets[window.__sockets.length - 1].url")
    page.get_by_role("button", name="Stop").click()


def test_a_denied_camera_gets_a_clear_message(coach_server: tuple[str, Any], camera_page: Any) -> None:
    base, _app = coach_server
    page = camera_page
    page.add_init_script("""navigator.mediaDevices.getUserMedia = () =>
      Promise.reject(new DOMException("Permission denied", "NotAllowedError"));""")
    _person_on_coach_page(page, base)
    page.get_by_role("button", name="Start the camera").click()
    alert = page.locator("[data-live-problem]")
    alert.wait_for(state="visible")
    assert "camera is blocked" in alert.inner_text() and "allow the camera" in alert.inner_text()


def test_recorded_set_analysed_in_the_browser_fills_the_log(coach_server: tuple[str, Any],
                                                            new_person_camera_page: Any) -> None:
    base, _app = coach_server
    page = new_person_camera_page
    sign_up(page, base)  # a person of its own: this test saves today's session
    answer_screening(page, base, "clear")
    do_assessment(page, base)
    _person_on_coach_page(page, base)
    # At the page's own rate, the CLI's (motion.yaml sampling.sample_fps: 78 frames of the 9.7 s clip).
    page.get_by_label("Video of your set").set_input_files(str(BRIDGE_CLIP))
    page.get_by_role("button", name="Analyse on this device").click()
    reps = _wait_attr(page, "data-result-reps", lambda v: v != "", 420)
    assert reps == "5", page.locator("[data-recorded-problem]").inner_text()
    # WebGL is software here (SwiftShader): the page runs the model on its CPU path, not on emulated GL
    assert _attr(page, "data-pose-inference") == "cpu (software WebGL)"
    assert page.locator("ol.reps li").count() == 5
    assert page.locator("[data-progress] span").inner_text() == "Done."  # not left at "Counting…"
    page.locator("ol.reps li canvas.rep-keyframe").nth(4).wait_for()  # each repetition with a keyframe
    shot(page, "coach-recorded")
    # the page with its result passes axe-core at desktop width and at phone width
    assert axe_violations(page) == []
    desktop = page.viewport_size
    page.set_viewport_size({"width": 390, "height": 844})
    shot(page, "coach-recorded-phone")
    assert axe_violations(page) == []
    page.set_viewport_size(desktop)
    page.get_by_role("button", name="Add this set to today's log").click()
    page.get_by_role("link", name="Go to today's log").click()
    page.wait_for_url("**/today*")
    assert page.locator('input[name="ex0_reps"]').input_value() == "5"
    assert page.locator('input[name="ex0_sets"]').input_value() == "1"
    assert page.locator('input[name="ex0_form"]:checked').count() == 1
    assert page.locator("[data-camera-note]").first.is_visible()
    # the person finishes the entry and saves it: the counted repetitions are in the saved session
    page.fill('input[name="ex0_pain"]', "1")
    page.fill('input[name="ex0_rpe"]', "5")
    page.get_by_role("button", name="Save session").click()
    page.wait_for_url("**/sessions/*")
    assert "Glute bridge" in page.content()


@pytest.fixture()
def celery_queue(coach_server: tuple[str, Any]) -> Iterator[str]:
    """A real Celery worker on Redis, on a queue of its own, reading the server's database."""
    url = redis_url()
    from backcoach.jobs.celery_backend import CeleryRunner, make_celery

    _base, app = coach_server
    settings = app.state.settings
    queue = f"backcoach-e2e-{uuid.uuid4().hex[:8]}"
    env = {**os.environ, "REDIS_URL": url, "DATABASE_URL": settings.database_url,
           "BACKCOACH_DATA_DIR": str(settings.data_dir), "BACKCOACH_JOBS": "celery",
           "PYTHONPATH": os.pathsep.join(sys.path)}
    worker = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "backcoach.jobs.celery_backend", "worker", "--pool", "solo",
         "--concurrency", "1", "--queues", queue, "--loglevel", "WARNING", "--without-gossip", "--without-mingle",
         "--without-heartbeat"], env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    celery_app = make_celery(url)
    celery_app.conf.task_default_queue = queue
    previous = getattr(app.state, "jobs", None)
    app.state.jobs = CeleryRunner(celery_app)
    settings_backend = settings.jobs_backend
    settings.jobs_backend = "celery"  # the worker reads DATABASE_URL itself; no URL in the message
    try:
        yield queue
    finally:
        settings.jobs_backend = settings_backend
        app.state.jobs = previous
        worker.terminate()
        try:
            worker.wait(timeout=20)
        except subprocess.TimeoutExpired:
            worker.kill()


@pytest.mark.redis
def test_uploaded_set_analysed_by_a_celery_worker(coach_server: tuple[str, Any], camera_page: Any, celery_queue: str) -> None:
    base, app = coach_server
    page = camera_page
    _person_on_coach_page(page, base)
    page.get_by_label("Video of your set").set_input_files(str(BRIDGE_CLIP))
    page.get_by_role("button", name="Upload and analyse").click()
    reps = _wait_attr(page, "data-result-reps", lambda v: v != "", 230)
    assert reps == "5", page.locator("[data-recorded-problem]").inner_text()
    video_id = _attr(page, "data-video-id")
    body = page.evaluate(f"fetch('/api/videos/{video_id}').then(r => r.json())")
    assert body["status"] == "done" and body["result"]["reps"] == 5 and body["video_kept"] is False
    upload_dir = app.state.settings.upload_dir
    assert not any(upload_dir.iterdir())  # the worker deleted the video after analysing it


def test_phone_today_starts_the_guided_session_above_the_fold_and_it_fills_the_log(
        coach_server: tuple[str, Any], camera_browser: Any, coach_person: dict[str, Any]) -> None:
    server, _app = coach_server
    # one Playwright per module; the module's person, on a phone
    ctx = camera_browser.new_context(viewport={"width": 390, "height": 844}, storage_state=coach_person)
    page = ctx.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(f"{server}/today")
    start = page.get_by_role("link", name="Start guided session")
    box = start.bounding_box()
    assert box is not None and box["y"] + box["height"] <= 844  # visible without scrolling on a 390x844 phone
    start.click()
    page.wait_for_url("**/guided")
    step = page.locator("[data-step='0']")
    for _ in range(3):
        step.get_by_role("button", name="+1 repetition").click()
    assert step.locator("[data-rep-count]").inner_text() == "3"
    step.get_by_role("button", name="Set done, rest").click()
    assert step.locator("[data-rest-box]").is_visible()  # the rest timer runs
    assert "3 repetitions" in step.locator("[data-step-logged]").inner_text()
    shot(page, "guided-phone")
    page.goto(f"{server}/today")
    assert page.locator('input[name="ex0_reps"]').input_value() == "3"
    assert page.locator('input[name="ex0_sets"]').input_value() == "1"
    assert errors == []
    ctx.close()


def _synthetic_clamshell_frames(reps: int) -> list[dict[str, Any]]:
    """Landmarks of a clamshell done `reps` times (the motion tests' posture model), as the
    page's estimator hands them over: the count by side is what is tested here, not the model."""
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "unit" / "motion"))
    from motion_synth import Tempo, clamshell_pose, make_frames, rep_timeline

    t, u, _ = rep_timeline(reps, Tempo(up_s=0.8, hold_s=0.5, down_s=0.8, rest_s=0.5, lead_s=1.0, tail_s=2.0), 10.0)
    return [f.to_dict() for f in make_frames(clamshell_pose, u, t)]


def test_live_coaching_counts_each_side_of_a_per_side_exercise(coach_server: tuple[str, Any], camera_page: Any) -> None:
    import json

    base, _app = coach_server
    page = camera_page
    # The camera runs (fake device) but the pose model is replaced by known landmarks, one frame per camera frame.
    page.context.add_init_script("""(() => { const frames = %s; let i = 0, real;
      const fake = { create: () => Promise.resolve({
        estimate: (_source, _t) => Promise.resolve(frames[Math.min(i++, frames.length - 1)]),
        reset() {}, close() {} }) };
      Object.defineProperty(window, "BackcoachPose", { configurable: true, get: () => real ? Object.assign({}, real, fake) : fake,
                                                       set: (v) => { real = v; } }); })();""" % json.dumps(
        [dict(f, t=round(k * 0.1, 3)) for k, f in enumerate(_synthetic_clamshell_frames(12))]))
    page.goto(f"{base}/coach/clamshell")
    target = int(page.locator("#coach").get_attribute("data-reps"))
    assert page.locator("#coach").get_attribute("data-per-side") == "yes" and 0 < target < 12
    assert page.get_by_role("button", name="Left side").get_attribute("aria-pressed") == "true"
    page.get_by_role("button", name="Start the camera").click()
    _wait_attr(page, "data-count-left", lambda v: v == str(target), 180)  # the left side reaches its target ...
    assert _attr(page, "data-side") == "right"  # ... and the count moves to the right side by itself
    assert page.get_by_role("button", name="Right side").get_attribute("aria-pressed") == "true"
    assert page.locator("[data-live-side-label]").inner_text() == "(right)"
    right = int(_wait_attr(page, "data-count-right", lambda v: int(v) >= 2, 180))
    assert int(_attr(page, "data-count-left")) == target  # nothing counted on the right went to the left
    assert page.locator("span[data-count]").inner_text().split(" /")[0] == _attr(page, "data-count-right")
    # the other side faces the camera now: a fresh analysis on a new socket, the total count carried on
    urls = page.evaluate("window.__sockets.map(s => s.url)")
    assert len(urls) >= 2 and f"start={target}" in urls[-1]
    page.get_by_role("button", name="Set done").click()
    logged = page.locator("[data-logged]").inner_text()
    import re

    done = int(re.search(r"Sets counted for today's log: ([\d, ]+)\.", logged).group(1).split(",")[-1])
    assert right <= done <= 12 - target  # the set is what both sides reached: here the right side's count
    assert _attr(page, "data-side") == "left" and _attr(page, "data-count-left") == "0"
    page.get_by_role("button", name="Stop").click()
