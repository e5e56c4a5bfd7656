"""The camera coach on the server: the live WebSocket (real landmarks of the shared bridge
clip replayed as a browser would send them), the on-device analysis endpoint, and video
uploads analysed by the in-process job runner."""

from __future__ import annotations

import json
import math
import os
import struct
import time
import uuid
from pathlib import Path
from typing import Any

import pytest
from starlette.websockets import WebSocketDisconnect

from backcoach.settings import Settings
from backcoach.web import WebOptions, create_app

from .conftest import new_client, person_with_program, sign_up

CLIP = Path("/work/shared/data/videos/glute_bridge_side_real.mp4")


@pytest.fixture(scope="module")
def backend() -> str:  # these tests need only SQLite (uploads and jobs are the same on PostgreSQL)
    return ""


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory) -> Any:
    data = tmp_path_factory.mktemp("coach")
    settings = Settings(database_url=f"sqlite:///{data}/coach.sqlite3", secret_key="coach-" + uuid.uuid4().hex,
                        data_dir=data, video_max_mb=5)
    return create_app(settings, WebOptions(fast_password_hash=True, cookie_secure=False))  # TestClient sockets are ws:


@pytest.fixture(scope="module")
def bridge_frames() -> list[dict[str, Any]]:
    """Real landmarks of the shared bridge clip (5 repetitions) at 8 frames/s of media time."""
    if not CLIP.exists():
        if os.environ.get("CI"):
            pytest.fail(f"test video missing: {CLIP}")
        pytest.skip("shared test videos are not here")
    pytest.importorskip("mediapipe")
    from backcoach.motion import extract_landmarks

    frames, _info, _t = extract_landmarks(str(CLIP), sample_fps=8)
    return [f.to_dict() for f in frames]


@pytest.fixture(scope="module")
def person(app: Any) -> Any:
    return person_with_program(app)


def _ws(user: Any, path: str, origin: str | None = "https://testserver") -> Any:
    headers = {"origin": origin} if origin else {}
    return user.client.websocket_connect(path, headers=headers)


def test_live_socket_counts_the_real_clip_and_answers_every_frame(person: Any, bridge_frames: list) -> None:
    reps, cues = [], []
    with _ws(person, "/ws/live/glute_bridge?hold=2") as ws:
        ready = ws.receive_json()
        assert ready["type"] == "ready" and ready["setup"]["views"] == ["side"]
        for frame in bridge_frames:
            ws.send_text(json.dumps(frame))
            reply = ws.receive_json()
            assert reply["type"] == "frame" and reply["t"] == round(frame["t"], 3)
            reps.append(reply["reps"])
            if reply.get("repetition"):
                cues.append(reply["repetition"]["cue"])
    assert reps[-1] == 5
    assert len(cues) == 5 and all(cues)


def test_live_socket_continues_the_count_after_a_reconnect(person: Any, bridge_frames: list) -> None:
    half = len(bridge_frames) // 2
    with _ws(person, "/ws/live/glute_bridge") as ws:
        ws.receive_json()
        for frame in bridge_frames[:half]:
            ws.send_text(json.dumps(frame))
            first = ws.receive_json()["reps"]
    assert 0 < first < 5
    with _ws(person, f"/ws/live/glute_bridge?start={first}") as ws:
        assert ws.receive_json()["reps"] == first
        for frame in bridge_frames[half:]:
            ws.send_text(json.dumps(frame))
            last = ws.receive_json()["reps"]
    assert first <= last <= 6  # a repetition cut by the drop may be lost, never double counted beyond one


def test_live_socket_refuses_other_sites_and_strangers(app: Any, person: Any) -> None:
    with pytest.raises(WebSocketDisconnect):
        with _ws(person, "/ws/live/glute_bridge", origin="https://evil.example") as ws:
            ws.receive_json()
    stranger = new_client(app)
    with stranger.websocket_connect("/ws/live/glute_bridge") as ws:
        msg = ws.receive_json()
        assert msg["type"] == "error" and "Log in" in msg["message"]
    clinician = sign_up(app, "clinician")
    with _ws(clinician, "/ws/live/glute_bridge") as ws:
        assert ws.receive_json()["type"] == "error"
    with _ws(person, "/ws/live/no_such_exercise") as ws:
        assert "cannot check" in ws.receive_json()["message"]


def test_live_socket_rejects_bad_frames_and_closes_on_oversized_messages(person: Any) -> None:
    with _ws(person, "/ws/live/glute_bridge") as ws:
        ws.receive_json()
        ws.send_text("not json")
        assert ws.receive_json() == {"type": "rejected", "reason": "not JSON"}
        ws.send_text(json.dumps({"t": 1.0, "width": 640, "height": 480, "landmarks": [[0.5, 0.5, 0, 1]] * 12}))
        assert ws.receive_json()["type"] == "rejected"
        ws.send_text(json.dumps({"t": 1.0, "width": 640, "height": 480, "landmarks": None}))
        assert ws.receive_json()["person_found"] is False
        ws.send_text(json.dumps({"t": 0.5, "width": 640, "height": 480, "landmarks": None}))
        assert "media-time order" in ws.receive_json()["reason"]
        ws.send_text("x" * 10_000)
        with pytest.raises(WebSocketDisconnect) as exc:
            ws.receive_json()
        assert exc.value.code == 1009


def _binary(t: float, landmarks: Any = None, width: int = 640, height: int = 360, fmt: int = 1,
            found: int | None = None) -> bytes:
    """A frame in the page's binary layout (web/live.py): little-endian format, found, width,
    height, 2 unused bytes, t as float64, then 33 x 4 float32 landmarks when found."""
    found = (landmarks is not None) if found is None else found
    head = struct.pack("<BBHHxxd", fmt, found, width, height, t)
    return head + (b"" if landmarks is None else struct.pack("<132f", *(v for row in landmarks for v in row)))


def test_live_socket_takes_the_pages_binary_frames_and_counts_as_with_json(person: Any, bridge_frames: list) -> None:
    answers = {}
    for form in ("json", "binary"):
        replies = []
        with _ws(person, "/ws/live/glute_bridge?hold=2") as ws:
            ws.receive_json()
            for frame in bridge_frames:
                if form == "json":
                    ws.send_text(json.dumps(frame))
                else:
                    ws.send_bytes(_binary(frame["t"], frame["landmarks"], frame["width"], frame["height"]))
                replies.append(ws.receive_json())
        answers[form] = replies
    assert all(r["type"] == "frame" for r in answers["binary"])
    assert [r["t"] for r in answers["binary"]] == [round(f["t"], 3) for f in bridge_frames]
    # float32 landmarks (what the pose model computes in) count and judge as the JSON's decimals do
    assert [r["reps"] for r in answers["binary"]] == [r["reps"] for r in answers["json"]]
    assert answers["binary"][-1]["reps"] == 5
    cues = [(r["reps"], r["repetition"]["cue"]) for r in answers["binary"] if r.get("repetition")]
    assert cues == [(r["reps"], r["repetition"]["cue"]) for r in answers["json"] if r.get("repetition")]
    for a, b in zip(answers["binary"], answers["json"]):
        assert (a["value"] is None) == (b["value"] is None)
        assert a["value"] is None or abs(a["value"] - b["value"]) <= 0.2


def test_live_socket_rejects_bad_binary_frames_and_closes_on_oversized_ones(person: Any) -> None:
    body = [[0.5, 0.5, 0.0, 1.0]] * 33
    with _ws(person, "/ws/live/glute_bridge") as ws:
        ws.receive_json()

        def rejected(data: bytes) -> str:
            ws.send_bytes(data)
            reply = ws.receive_json()
            assert reply["type"] == "rejected", reply
            return reply["reason"]

        assert "16 bytes, or 544" in rejected(_binary(1.0, body)[:-4])
        assert "16 bytes, or 544" in rejected(_binary(1.0, body) + b"\0")
        assert "16 bytes, or 544" in rejected(b"")
        assert "format" in rejected(_binary(1.0, body, fmt=2))
        assert "landmarks follow" in rejected(_binary(1.0, found=1))
        assert "landmarks follow" in rejected(_binary(1.0, body, found=0))
        assert "landmarks follow" in rejected(_binary(1.0, body, found=2))
        for bad in (math.nan, math.inf, -math.inf, 1e6):
            points = [row[:] for row in body]
            points[17][1] = bad
            assert "33 rows" in rejected(_binary(1.0, points))
        assert "media time" in rejected(_binary(math.nan, body))
        assert "media time" in rejected(_binary(-1.0, body))
        assert "image size" in rejected(_binary(1.0, body, width=0))
        assert "image size" in rejected(_binary(1.0, body, height=20000))
        ws.send_bytes(_binary(1.0))  # nobody in the picture: answered, not refused
        assert ws.receive_json()["person_found"] is False
        assert "media-time order" in rejected(_binary(1.0, body))
        ws.send_bytes(_binary(1.1, body))
        assert ws.receive_json()["person_found"] is True
        ws.send_bytes(b"\1" * 10_000)
        with pytest.raises(WebSocketDisconnect) as exc:
            ws.receive_json()
        assert exc.value.code == 1009


def test_the_answer_to_a_frame_is_the_json_of_its_fields() -> None:
    """frame_reply formats the common answer by hand: it must be exactly json.dumps's JSON."""
    import numpy as np

    from backcoach.motion import StreamUpdate
    from backcoach.web.live import frame_reply

    cases = [StreamUpdate(t=0.0, reps=0, value=None, in_repetition=False, person_found=False),
             StreamUpdate(t=12.3456789, reps=3, value=171.26, in_repetition=True),
             StreamUpdate(t=1 / 3, reps=7, value=float(np.float64(-0.04)), in_repetition=False),
             StreamUpdate(t=86400.0, reps=1000, value=np.float64(179.95), in_repetition=True)]
    for update in cases:
        text = frame_reply(update, update.reps + 2)
        expected = {"type": "frame", "t": round(update.t, 3), "reps": update.reps + 2,
                    "in_repetition": update.in_repetition, "person_found": update.person_found,
                    "value": None if update.value is None else round(float(update.value), 1)}
        assert json.loads(text) == expected
        assert text == json.dumps(expected, separators=(",", ":"))
    rep = {"index": 4, "cue": "Good.", "faults": []}
    done = json.loads(frame_reply(cases[1], 4, rep))
    assert done["repetition"] == rep and done["reps"] == 4


def test_landmarks_from_the_device_give_the_recorded_analysis(person: Any, bridge_frames: list) -> None:
    from backcoach.motion import LandmarkFrame, analyze_landmarks

    r = person.post("/api/coach/landmarks/glute_bridge", json={"frames": bridge_frames, "seconds": 9.7, "hold_s": 2})
    assert r.status_code == 200, r.text
    body = r.json()
    expected = analyze_landmarks([LandmarkFrame.from_dict(f) for f in bridge_frames], "glute_bridge").to_dict()
    assert body["result"]["reps"] == expected["reps"] == 5
    assert body["log"]["reps"] == 5 and body["log"]["form"] in ("good", "some_faults")
    assert len(body["cues"]) == 5
    nobody = [{"t": i / 8, "width": 640, "height": 480, "landmarks": None} for i in range(40)]
    r = person.post("/api/coach/landmarks/glute_bridge", json={"frames": nobody})
    assert r.status_code == 422 and r.json()["detail"]


# -- uploads -----------------------------------------------------------------------------------

def _upload(user: Any, content: bytes, name: str = "set.mp4", keep: bool = False) -> Any:
    return user.client.post("/api/videos", headers=user.bearer,
                            files={"file": (name, content, "video/mp4")},
                            data={"exercise_id": "glute_bridge", "keep": "true" if keep else "false", "hold_s": "2"})


def _wait(user: Any, video_id: int, timeout: float = 240) -> dict[str, Any]:
    deadline = time.monotonic() + timeout
    while True:
        body = user.get(f"/api/videos/{video_id}").json()
        if body["status"] in ("done", "failed") or time.monotonic() > deadline:
            return body
        time.sleep(0.5)


def _uploads(app: Any) -> list[Path]:
    folder = app.state.settings.upload_dir
    return sorted(folder.iterdir()) if folder.exists() else []


def test_upload_refuses_a_non_video_and_an_oversized_file_and_keeps_nothing(app: Any, person: Any) -> None:
    before = _uploads(app)
    r = _upload(person, b"%PDF-1.4 this is a document, not a video" * 10, name="set.mp4")
    assert r.status_code == 415 and "not a video" in r.json()["detail"]
    r = _upload(person, b"\x00\x00\x00\x20ftypisom" + b"\x00" * (6 * 1024 * 1024))
    assert r.status_code == 413 and "too large" in r.json()["detail"]
    assert _uploads(app) == before
    r = person.client.post("/api/videos", files={"file": ("a.mp4", b"x", "video/mp4")}, data={"exercise_id": "glute_bridge"})
    assert r.status_code in (401, 403)  # a cookie caller without the CSRF header, or nobody


def test_uploaded_clip_is_analysed_in_the_background_and_deleted_after(app: Any, person: Any) -> None:
    if not CLIP.exists():
        pytest.skip("shared test videos are not here")
    pytest.importorskip("mediapipe")
    r = _upload(person, CLIP.read_bytes())
    assert r.status_code == 202, r.text
    body = _wait(person, r.json()["id"])
    assert body["status"] == "done", body
    result = body["result"]
    assert result["reps"] == 5 and result["exercise"] == "glute_bridge"
    assert set(result) >= {"exercise", "reps", "repetitions", "faults", "view", "warnings", "frames_analyzed", "seconds"}
    assert body["progress"] == 1.0 and body["log"]["reps"] == 5 and body["video_kept"] is False
    assert _uploads(app) == []  # deleted after analysis
    # each repetition keeps its annotated picture, served to its owner only
    assert [k["index"] for k in body["keyframes"]] == [1, 2, 3, 4, 5]  # the place of each in result["repetitions"]
    for k, rep in zip(body["keyframes"], result["repetitions"]):
        assert rep["start_s"] <= k["t"] <= rep["end_s"] and k["width"] <= 640 and k["height"] <= 640
        picture = person.client.get(k["url"])  # as the page's <img> asks: with the session cookie
        assert picture.status_code == 200 and picture.headers["content-type"] == "image/jpeg"
        assert picture.content[:3] == b"\xff\xd8\xff" and len(picture.content) > 5_000
        assert picture.headers["cache-control"] == "no-store"  # a picture of the person: never kept by a cache
    cv2 = pytest.importorskip("cv2")
    np = pytest.importorskip("numpy")
    image = cv2.imdecode(np.frombuffer(person.client.get(body["keyframes"][0]["url"]).content, np.uint8), cv2.IMREAD_COLOR)
    assert image.shape[:2] == (body["keyframes"][0]["height"], body["keyframes"][0]["width"])
    other = person_with_program(app)
    assert other.get(f"/api/videos/{body['id']}").status_code == 404
    assert other.get(body["keyframes"][0]["url"]).status_code == 404
    assert new_client(app).get(body["keyframes"][0]["url"]).status_code == 401
    clinician = sign_up(app, "clinician")
    assert clinician.get(body["keyframes"][0]["url"]).status_code in (403, 404)
    assert person.get(f"/api/videos/{body['id']}/keyframes/6").status_code == 404


def test_a_video_with_nobody_in_it_fails_with_a_clear_message_and_is_not_kept(app: Any, person: Any, tmp_path: Path) -> None:
    cv2 = pytest.importorskip("cv2")
    np = pytest.importorskip("numpy")
    path = tmp_path / "empty.mp4"
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter_fourcc(*"mp4v"), 10, (320, 240))
    for i in range(30):
        writer.write(np.full((240, 320, 3), 40 + i, np.uint8))
    writer.release()
    r = _upload(person, path.read_bytes(), keep=True)
    assert r.status_code == 202, r.text
    body = _wait(person, r.json()["id"], timeout=120)
    assert body["status"] == "failed" and body["result"] is None
    assert body["error"] and "Traceback" not in body["error"]
    assert _uploads(app) == []


def test_the_log_form_saves_the_camera_faults_and_their_serious_share(app: Any, person: Any) -> None:
    from .test_pages import _log_form

    user = person_with_program(app)
    data, html = _log_form(user)
    assert 'name="ex0_faults"' in html and 'href="/coach/glute_bridge"' in html and 'href="/guided"' in html
    assert data["ex0_id"] == "glute_bridge"
    r = user.client.post("/today/log", data={**data, "ex0_faults": "lumbar_hyperextension", "ex0_serious": "0.4",
                                             "ex0_form": "some_faults"}, follow_redirects=False)
    assert r.status_code == 303, r.text
    entry = user.get("/api/sessions").json()[0]["entries"][0]
    assert entry["faults"] == ["lumbar_hyperextension"] and entry["serious_fault_fraction"] == 0.4
    bad = person_with_program(app)
    data, _ = _log_form(bad)
    r = bad.client.post("/today/log", data={**data, "ex0_faults": "not_a_fault"})
    assert r.status_code == 400 and "not_a_fault" in r.text  # the catalog decides which ids are kept
    r = bad.client.post("/today/log", data={**data, "ex0_serious": "nan"})
    assert r.status_code == 400 and "serious mistake: Enter a number from 0 to 1." in r.text


def test_coach_and_guided_pages(app: Any, person: Any) -> None:
    page = person.client.get("/coach/glute_bridge")
    assert page.status_code == 200 and "Coach me with the camera" in page.text
    assert "'wasm-unsafe-eval'" in page.headers["content-security-policy"]
    assert "Your video stays on this device" in page.text
    assert person.client.get("/coach/no_such_exercise").status_code == 404
    guided = person.client.get("/guided")
    assert guided.status_code == 200 and "Set done, rest" in guided.text


def test_the_camera_hint_names_the_view_that_counts_and_the_feet_end_where_it_judges_more() -> None:
    """A bridge filmed from the side or the feet end ([side, feet]) is told both: the side to
    count, the feet end for the hip drop, which only that view shows; a plain bridge only the
    side; and the live set-up check gets both views' width ratios."""
    pytest.importorskip("scipy")
    from backcoach.motion import get_check
    from backcoach.motion.config import motion_config
    from backcoach.services.common import catalog
    from backcoach.web.live import setup_rules
    from backcoach.web.routes.coach import camera_setup

    single = camera_setup(get_check("single_leg_glute_bridge"), catalog().get("single_leg_glute_bridge"))
    assert "to your side" in single["count"]
    assert '"Hip dropping on the free side" can only be seen from your feet' in single["feet"]
    plain = camera_setup(get_check("glute_bridge"), catalog().get("glute_bridge"))
    assert "to your side" in plain["count"] and "feet" not in plain
    raise_ = camera_setup(get_check("side_lying_leg_raise"), catalog().get("side_lying_leg_raise"))
    assert "in front of you" in raise_["count"] and '"Leg drifting forward"' in raise_["feet"]
    assert "feet" not in camera_setup(get_check("clamshell"), catalog().get("clamshell"))
    rules = setup_rules("marching_bridge")
    assert rules["views"] == ["side", "feet"]
    assert rules["feet_view_min_ratio"] == motion_config().view.feet_view_min_ratio
