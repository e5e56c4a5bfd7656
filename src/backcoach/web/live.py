"""Live coaching over a WebSocket: the browser sends landmarks, we answer with the count.

The person's camera picture stays on their device; the page runs the pose model and sends
only 33 landmarks per frame (x, y, z, visibility), the frame's media time and the image
size. Each connection runs its own `StreamingAnalyzer` (the one the recorded path uses)
and answers every frame with the count, and a finished repetition with its one cue.

A frame comes as a binary message (what the page sends; `parse_binary_frame` gives the
layout), or as JSON text ``{"t", "width", "height", "landmarks": [[x, y, z, v] x 33] | null}``
(scripts, tests). Both are checked as hostile input. The binary form is a quarter of the
size and needs no JSON decoder: at 15 frames/s per person the server's work per frame
decides how many people one machine can coach (benchmarks/bench_live.py).

A dropped connection loses no count: the page reconnects with ``?start=N`` (the count so
far) and the new analyser continues from there, so any server worker can take it.
"""

from __future__ import annotations

import json
import math
import struct
import time
from typing import Any
from urllib.parse import urlsplit

import numpy as np
from fastapi import APIRouter, WebSocket, WebSocketDisconnect

from backcoach.motion import (EXERCISES, CheckOptions, LandmarkFrame, MotionError, StreamingAnalyzer, StreamUpdate,
                              get_check)
from backcoach.services import coaching
from backcoach.web.security import SESSION_COOKIE

router = APIRouter()

# Engineering limits of the live socket (not clinical numbers).
MAX_MESSAGE_CHARS = 8192  # 33 x 4 numbers with 5 decimals is about 2,000 characters
MAX_COORDINATE = 100.0  # landmarks are image fractions (a little outside 0..1 when off the picture)
MAX_FRAMES_PER_S = 60.0  # a page sends at most its camera's rate (15-30 fps); bursts after a stall allowed
BURST_FRAMES = 90
MAX_START_COUNT = 1000
MAX_HOLD_S = 120.0
POLICY_VIOLATION = 1008
TOO_BIG = 1009


class FrameRejected(ValueError):
    """A message that is not a landmark frame we can use; the reply says why."""


def same_origin(websocket: WebSocket) -> bool:
    """Browsers always send Origin on a WebSocket: it must be this site (no cross-site hijack).
    Non-browser clients (the benchmark, scripts) send none and carry no victim's cookie."""
    origin = websocket.headers.get("origin")
    if origin is None:
        return True
    host = websocket.headers.get("host", "")
    return urlsplit(origin).netloc.lower() == host.lower()


BAD_LANDMARKS = "landmarks must be 33 rows of [x, y, z, visibility]"

# The binary frame, little-endian: a 16-byte header, then (when a person was found) the 33
# landmarks' x, y, z, visibility as float32, landmark by landmark (528 bytes).
#   byte 0: format, 1          bytes 2-3: image width (uint16)    bytes 6-7: unused
#   byte 1: 1 = landmarks follow, 0 = nobody found    bytes 4-5: image height (uint16)
#   bytes 8-15: the frame's media time in seconds (float64)
# float32 loses nothing: the pose model computes in float32.
BINARY_HEADER = struct.Struct("<BBHHxxd")
BINARY_FORMAT = 1
BINARY_LANDMARK_BYTES = 33 * 4 * 4


def _checked(t: float, width: int, height: int, last_t: float | None) -> None:
    if not math.isfinite(t) or t < 0 or t > 86400:
        raise FrameRejected("t must be the frame's media time in seconds")
    if last_t is not None and t <= last_t:
        raise FrameRejected("frames must arrive in media-time order")
    if not (1 <= width <= 10000 and 1 <= height <= 10000):
        raise FrameRejected("width and height must be the image size in pixels")


def _in_range(points: np.ndarray) -> bool:
    """Every coordinate finite and within MAX_COORDINATE (NaN fails the comparison too)."""
    return bool((np.abs(points) <= MAX_COORDINATE).all())


def parse_frame(text: str, last_t: float | None) -> LandmarkFrame:
    """One JSON message -> a LandmarkFrame, refusing anything malformed or out of range."""
    if len(text) > MAX_MESSAGE_CHARS:
        raise FrameRejected("message too large")
    try:
        data = json.loads(text)
    except ValueError:
        raise FrameRejected("not JSON") from None
    if not isinstance(data, dict):
        raise FrameRejected("expected an object")
    try:
        t = float(data["t"])
        width = int(data.get("width", 1))
        height = int(data.get("height", 1))
    except (KeyError, TypeError, ValueError):
        raise FrameRejected("t, width and height must be numbers") from None
    _checked(t, width, height, last_t)
    raw = data.get("landmarks")
    points = None
    if raw is not None:
        try:
            points = np.asarray(raw, dtype=float)
        except (TypeError, ValueError):
            raise FrameRejected(BAD_LANDMARKS) from None
        if points.shape != (33, 4) or not _in_range(points):
            raise FrameRejected(BAD_LANDMARKS)
    return LandmarkFrame(t=t, points=points, width=width, height=height)


def parse_binary_frame(data: bytes, last_t: float | None) -> LandmarkFrame:
    """One binary message (the layout above) -> a LandmarkFrame, with the JSON form's checks."""
    size = len(data)
    if size != BINARY_HEADER.size and size != BINARY_HEADER.size + BINARY_LANDMARK_BYTES:
        raise FrameRejected(f"a binary frame is {BINARY_HEADER.size} bytes, or "
                            f"{BINARY_HEADER.size + BINARY_LANDMARK_BYTES} with the landmarks")
    version, found, width, height, t = BINARY_HEADER.unpack_from(data)
    if version != BINARY_FORMAT:
        raise FrameRejected("unknown binary frame format")
    if found != (size > BINARY_HEADER.size):
        raise FrameRejected("byte 1 must say whether landmarks follow")
    _checked(t, width, height, last_t)
    points = None
    if found:
        points = np.frombuffer(data, "<f4", 132, BINARY_HEADER.size).reshape(33, 4).astype(float)
        if not _in_range(points):
            raise FrameRejected(BAD_LANDMARKS)
    return LandmarkFrame(t=t, points=points, width=width, height=height)


def frame_reply(update: StreamUpdate, reps: int, repetition: dict[str, Any] | None = None) -> str:
    """The answer to one frame (JSON): the count so far, and a finished repetition with its cue.
    Without a repetition (almost every frame, of every stream) it is formatted directly rather
    than through json.dumps: the same JSON, in about half the time."""
    value = None if update.value is None else round(float(update.value), 1)
    t = round(float(update.t), 3)
    if repetition is None:
        return ('{"type":"frame","t":%r,"reps":%d,"in_repetition":%s,"person_found":%s,"value":%s}'
                % (t, reps, "true" if update.in_repetition else "false",
                   "true" if update.person_found else "false", "null" if value is None else repr(value)))
    return json.dumps({"type": "frame", "t": t, "reps": reps, "in_repetition": update.in_repetition,
                       "person_found": update.person_found, "value": value, "repetition": repetition})


def setup_rules(exercise_id: str) -> dict[str, Any]:
    """What the page's camera-setup check needs: the view, the body parts in the picture."""
    check = get_check(exercise_id)
    rules: dict[str, Any] = {"views": list(check.views), "required": list(check.required), "mode": check.mode}
    try:  # the views' width ratios live in catalog/motion.yaml
        from backcoach.motion.config import motion_config

        rules["side_view_max_ratio"] = float(motion_config().view.side_view_max_ratio)
        rules["feet_view_min_ratio"] = float(motion_config().view.feet_view_min_ratio)
    except (ImportError, AttributeError):
        rules["side_view_max_ratio"], rules["feet_view_min_ratio"] = 0.4, 1.0
    return rules


class TokenBucket:
    def __init__(self, rate: float, burst: float) -> None:
        self.rate, self.burst = rate, burst
        self.tokens = burst
        self.at = time.monotonic()

    def take(self) -> bool:
        now = time.monotonic()
        self.tokens = min(self.burst, self.tokens + (now - self.at) * self.rate)
        self.at = now
        if self.tokens >= 1.0:
            self.tokens -= 1.0
            return True
        return False


def _person_of(websocket: WebSocket) -> int | None:
    """The logged-in person's user id from the signed session cookie, or None."""
    signer = websocket.app.state.signer
    session, _problem = signer.load_session(websocket.cookies.get(SESSION_COOKIE))
    if session is None or session.user_id is None or session.role != "person":
        return None
    return session.user_id


def _account_active(websocket: WebSocket, user_id: int) -> bool:
    from backcoach.services import web_accounts as accounts

    from backcoach.storage.unit_of_work import SqlAlchemyUnitOfWork

    with SqlAlchemyUnitOfWork(session_factory=websocket.app.state.sessionmaker) as uow:
        account = accounts.get_account(uow, user_id)
        return account is not None and account.person_id is not None


def _int_param(websocket: WebSocket, name: str, default: float, hi: float) -> float:
    try:
        v = float(websocket.query_params.get(name, default))
    except ValueError:
        return default
    return min(max(v, 0.0), hi) if math.isfinite(v) else default


@router.websocket("/ws/live/{exercise_id}")
async def live(websocket: WebSocket, exercise_id: str) -> None:
    from fastapi.concurrency import run_in_threadpool

    if not same_origin(websocket):
        await websocket.close(code=POLICY_VIOLATION, reason="This page is not from backcoach.")
        return
    user_id = _person_of(websocket)
    problem = None
    if user_id is None or not await run_in_threadpool(_account_active, websocket, user_id):
        problem = "Log in to your backcoach account first, then open the camera coach again."
    elif exercise_id not in EXERCISES:
        problem = "The camera cannot check this exercise yet."
    start = int(_int_param(websocket, "start", 0, MAX_START_COUNT))
    hold = _int_param(websocket, "hold", 0, MAX_HOLD_S)
    analyzer = None
    if problem is None:
        check = get_check(exercise_id)
        options = (CheckOptions(hold_target_s=hold) if check.mode == "reps" and hold > 0
                   else CheckOptions(prescribed_hold_s=hold or None) if check.mode == "hold" else CheckOptions())
        try:
            analyzer = StreamingAnalyzer(exercise_id, options)
        except MotionError as exc:
            problem = str(exc)
    await websocket.accept()
    if analyzer is None:  # accepted first, so the page can show the reason
        await websocket.send_text(json.dumps({"type": "error", "message": problem}))
        await websocket.close(code=POLICY_VIOLATION)
        return
    await websocket.send_text(json.dumps({"type": "ready", "exercise": exercise_id, "name": coaching.exercise_name(exercise_id),
                                          "reps": start, "setup": setup_rules(exercise_id)}))
    bucket = TokenBucket(MAX_FRAMES_PER_S, BURST_FRAMES)
    last_t: float | None = None
    hold_target = options.hold_s or 2.0
    try:
        while True:
            message = await websocket.receive()
            if message["type"] == "websocket.disconnect":
                return
            data = message.get("bytes")
            if data is None:
                data = message.get("text")
            if data is None:
                await websocket.close(code=POLICY_VIOLATION, reason="Send landmark frames.")
                return
            if len(data) > MAX_MESSAGE_CHARS:
                await websocket.close(code=TOO_BIG, reason="Message too large.")
                return
            if not bucket.take():
                await websocket.send_text('{"type":"slow_down"}')
                continue
            try:
                frame = parse_frame(data, last_t) if isinstance(data, str) else parse_binary_frame(data, last_t)
            except FrameRejected as exc:
                await websocket.send_text(json.dumps({"type": "rejected", "reason": str(exc)}))
                continue
            last_t = frame.t
            update = analyzer.push(frame)
            rep = None
            if update.repetition is not None:
                rep = update.repetition.to_dict()
                rep["index"] = start + update.reps
                rep.update(coaching.cue_for_repetition(rep, exercise_id, hold_target))
            await websocket.send_text(frame_reply(update, start + update.reps, rep))
    except WebSocketDisconnect:
        return
