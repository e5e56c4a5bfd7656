"""Live coaching capacity (not a test): many simulated phones stream landmarks to
`backcoach serve` over the live WebSocket, each at 15 frames a second, and we measure the
time from sending a frame to its answer (the count), and how many connections dropped.

    .venv/bin/python benchmarks/bench_live.py --streams 200 --duration 60

The landmarks are real: the shared bridge clip (/work/shared/data/videos, or --clip) run
through the pose model once at 15 frames/s and cached; each stream replays them in a loop
with its media time running on, starting at a random point, as binary frames like the page
sends (`--format json`: as JSON text, the form scripts may send). Streams authenticate with a
session cookie as a browser does (a few accounts are shared among the streams: the socket
checks the account once, when it opens). Ends with one line:
`live streams: N at 15 fps, p95 X ms, dropped D`.
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import collections
import gc
import http.client
import json
import os
import random
import struct
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_web import ASSESSMENT, PASSWORD, SCREENING, _free_port, pct, run, server_cpu_seconds, start_server, stop_server  # noqa: E402

DEFAULT_CLIP = Path("/work/shared/data/videos/glute_bridge_side_real.mp4")
FPS = 15.0
BINARY_HEADER = struct.Struct("<BBHHxxd")  # web/live.py's binary frame: format, found, width, height, t


def binary_frames(raw: list[dict[str, Any]]) -> list[tuple[int, int, int, bytes]]:
    """Each frame's part of the binary message that does not change: (found, width, height,
    the landmarks as little-endian float32)."""
    out = []
    for f in raw:
        lm = f["landmarks"]
        data = b"" if lm is None else struct.pack("<132f", *(v for row in lm for v in row))
        out.append((0 if lm is None else 1, f["width"], f["height"], data))
    return out


def landmarks(clip: Path) -> list[dict[str, Any]]:
    """The clip's landmarks at 15 frames/s (cached beside the temp folder, keyed by the clip)."""
    cache = Path(tempfile.gettempdir()) / f"backcoach-bench-live-{clip.stem}-{int(clip.stat().st_mtime)}.json"
    if cache.exists():
        return json.loads(cache.read_text())
    from backcoach.motion import extract_landmarks

    frames, _info, _t = extract_landmarks(str(clip), sample_fps=FPS)
    out = [f.to_dict() for f in frames]
    cache.write_text(json.dumps(out))
    return out


def sign_up(port: int, i: int, run_id: int) -> str:
    """A person with a program (through the API; not timed); returns the e-mail."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)

    def call(method: str, path: str, body: Any, headers: dict[str, str]) -> tuple[int, Any, Any]:
        conn.request(method, path, json.dumps(body), {"Content-Type": "application/json", **headers})
        r = conn.getresponse()
        data = r.read()
        return r.status, json.loads(data or b"null"), r.headers

    email = f"live-{run_id}-{i}@example.org"
    s, b, _ = call("POST", "/api/auth/signup", {"email": email, "password": PASSWORD, "display_name": f"Live {i}", "accept_privacy_notice": True}, {})
    assert s == 202, (s, b)
    s, b, _ = call("POST", "/api/auth/token", {"email": email, "password": PASSWORD}, {})
    auth = {"Authorization": f"Bearer {b['access_token']}"}
    assert call("POST", "/api/screenings", {"answers": SCREENING}, auth)[0] == 201
    assert call("POST", "/api/assessments", {"answers": ASSESSMENT}, auth)[0] == 201
    conn.close()
    return email


def login_cookie(port: int, email: str) -> str:
    """The session cookie a browser holds after logging in."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    conn.request("POST", "/api/auth/login", json.dumps({"email": email, "password": PASSWORD}), {"Content-Type": "application/json"})
    r = conn.getresponse()
    r.read()
    return r.getheader("set-cookie", "").split(";")[0]


class LiveStream(asyncio.Protocol):
    """One simulated phone: a minimal WebSocket client written as an asyncio protocol (no
    stream reader, no task per message), so the load client, which shares the machine's
    cores with the server, costs as little CPU as it can.

    It opens the socket with the browser's session cookie, waits for "ready", then sends a
    frame every `period` seconds (its media time running on) and times each answer. Frames
    go out with an all-zero masking key (allowed by RFC 6455: the payload XORed with zeros
    is itself). It answers the server's keep-alive pings, as every browser does by itself."""

    def __init__(self, port: int, cookie: str, frames: list[Any], period: float, duration: float,
                 latencies: list[float], problems: list[str], counts: dict[str, int]) -> None:
        self.port, self.cookie, self.frames, self.period, self.duration = port, cookie, frames, period, duration
        self.latencies, self.problems, self.counts = latencies, problems, counts
        self.loop = asyncio.get_running_loop()
        self.done = self.loop.create_future()
        self.offset = random.randrange(len(frames))
        self.buffer = bytearray()
        self.upgraded = self.ready = self.closed = self.dropped = False
        self.sent: collections.deque[float] = collections.deque()
        self.transport: asyncio.Transport | None = None
        self.k = 0
        self.t0 = 0.0

    # -- the connection
    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = transport  # type: ignore[assignment]
        key = base64.b64encode(os.urandom(16)).decode()
        transport.write((f"GET /ws/live/glute_bridge HTTP/1.1\r\nHost: 127.0.0.1:{self.port}\r\nUpgrade: websocket\r\n"  # type: ignore[attr-defined]
                         f"Connection: Upgrade\r\nSec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n"
                         f"Cookie: {self.cookie}\r\n\r\n").encode())

    def connection_lost(self, exc: Exception | None) -> None:
        if not self.closed and not self.done.done():
            self._problem(f"the connection dropped ({exc or 'closed by the server'})")
        self.closed = True
        self._finish()

    def data_received(self, data: bytes) -> None:
        buf = self.buffer
        buf += data
        if not self.upgraded:
            end = buf.find(b"\r\n\r\n")
            if end < 0:
                return
            status = bytes(buf[:buf.find(b"\r\n")])
            del buf[:end + 4]
            if b" 101 " not in status:
                self._fail(f"refused: {status.decode(errors='replace')}")
                return
            self.upgraded = True
        while len(buf) >= 2:
            n, head = buf[1] & 0x7F, 2
            if n == 126:
                if len(buf) < 4:
                    return
                n, head = int.from_bytes(buf[2:4], "big"), 4
            elif n == 127:
                if len(buf) < 10:
                    return
                n, head = int.from_bytes(buf[2:10], "big"), 10
            if len(buf) < head + n:
                return
            opcode, payload = buf[0] & 0x0F, bytes(buf[head:head + n])
            del buf[:head + n]
            self._message(opcode, payload)

    def _message(self, opcode: int, payload: bytes) -> None:
        if opcode == 9:  # keep-alive ping: answer it; it is not an answer to a frame
            self._send(0xA, payload)
        elif opcode == 8:
            self._problem("the server closed the connection")
            self.closed = True
            self._finish()
        elif opcode == 1 and not self.ready:
            if b'"ready"' not in payload:
                self._fail(f"refused: {payload[:200]!r}")
                return
            self.ready = True
            self.t0 = self.loop.time()
            self._tick()
        elif opcode == 1:
            if self.sent:
                self.latencies.append(self.loop.time() - self.sent.popleft())
            if b'"repetition"' in payload:
                self.counts["reps"] += 1

    # -- sending, on the loop's timer (no task per stream)
    def _send(self, opcode: int, data: bytes) -> None:
        n = len(data)
        head = bytes([0x80 | opcode, 0x80 | n]) if n < 126 else bytes([0x80 | opcode, 0xFE]) + n.to_bytes(2, "big")
        if self.transport is not None and not self.transport.is_closing():
            self.transport.write(head + b"\x00\x00\x00\x00" + data)

    def _tick(self) -> None:
        if self.closed:
            return
        if self.k * self.period >= self.duration:  # done sending: give the last answers 5 s
            self.loop.call_later(5.0, self._finish)
            return
        self.sent.append(self.loop.time())
        frame = self.frames[(self.offset + self.k) % len(self.frames)]
        if isinstance(frame, str):  # JSON text: everything after '{"t":...,'
            self._send(0x1, ('{"t":%.4f,%s' % (self.k * self.period, frame)).encode())
        else:  # binary: (found, width, height, landmark bytes)
            self._send(0x2, BINARY_HEADER.pack(1, frame[0], frame[1], frame[2], self.k * self.period) + frame[3])
        self.counts["frames"] += 1
        self.k += 1
        self.loop.call_at(self.t0 + self.k * self.period, self._tick)

    def _problem(self, why: str) -> None:
        """A stream counts as dropped once, with its first problem."""
        if not self.dropped:
            self.dropped = True
            self.problems.append(why)

    def _fail(self, why: str) -> None:
        self._problem(why)
        self.closed = True
        self._finish()

    def _finish(self) -> None:
        if self.done.done():
            return
        if not self.ready:
            self._problem("no 'ready' from the server")
        self.counts["unanswered"] += len(self.sent)
        self.sent.clear()
        if self.transport is not None and not self.transport.is_closing():
            self._send(0x8, b"\x03\xe8")
            self.transport.close()
        self.closed = True
        self.done.set_result(None)


async def stream(port: int, cookie: str, frames: list[Any], period: float, duration: float, start_at: float,
                 latencies: list[float], problems: list[str], counts: dict[str, int]) -> None:
    loop = asyncio.get_running_loop()
    await asyncio.sleep(max(0.0, start_at - time.monotonic()))
    proto: LiveStream | None = None
    try:
        _t, proto = await asyncio.wait_for(loop.create_connection(
            lambda: LiveStream(port, cookie, frames, period, duration, latencies, problems, counts), "127.0.0.1", port), 30)
        await asyncio.wait_for(asyncio.shield(proto.done), duration + 60)
    except Exception as exc:  # noqa: BLE001 - a refused or timed-out connection is what we count
        if proto is None:
            problems.append(f"{type(exc).__name__}: {exc}")
        else:
            proto._problem(f"{type(exc).__name__}: {exc}")
    finally:
        if proto is not None:
            proto._finish()


async def load(port: int, cookies: list[str], frames: list[Any], streams: int, duration: float, ramp: float
               ) -> tuple[list[float], list[str], dict[str, int]]:
    latencies: list[float] = []
    problems: list[str] = []
    counts = {"frames": 0, "unanswered": 0, "reps": 0}
    t0 = time.monotonic() + 0.5
    await asyncio.gather(*(stream(port, cookies[i % len(cookies)], frames, 1.0 / FPS, duration, t0 + ramp * i / streams,
                                  latencies, problems, counts) for i in range(streams)))
    return latencies, problems, counts


def listening_sockets(port: int) -> int:
    """How many sockets listen on the port (Linux /proc; each server worker has its own)."""
    try:
        with open("/proc/net/tcp") as table:
            rows = table.readlines()[1:]
    except OSError:
        return -1
    return sum(1 for row in rows if row.split()[1].endswith(f":{port:04X}") and row.split()[3] == "0A")


def wait_for_workers(port: int, workers: int, timeout: float = 120.0) -> None:
    """Until every worker listens: the first one answering is not enough, as a worker still
    importing the app would spend its start-up CPU inside the measured window (and take no
    connections meanwhile)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        n = listening_sockets(port)
        if n < 0 or n >= workers:
            return
        time.sleep(0.2)
    raise SystemExit(f"only {listening_sockets(port)} of {workers} server workers listen after {timeout:g} s")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--streams", type=int, default=200)
    ap.add_argument("--duration", type=float, default=60.0, help="seconds each stream sends")
    ap.add_argument("--workers", type=int, default=2, help="server worker processes")
    ap.add_argument("--accounts", type=int, default=20, help="people whose cookies the streams share")
    ap.add_argument("--ramp", type=float, default=5.0, help="seconds over which the streams connect")
    ap.add_argument("--clip", type=Path, default=DEFAULT_CLIP)
    ap.add_argument("--format", choices=("binary", "json"), default="binary",
                    help="frames as the page sends them (binary) or as JSON text")
    args = ap.parse_args()
    raw = landmarks(args.clip)
    frames: list[Any] = (binary_frames(raw) if args.format == "binary" else
                         [json.dumps({k: v for k, v in f.items() if k != "t"})[1:] for f in raw])  # after '{'
    tmp = tempfile.mkdtemp(prefix="bench-live-")
    url = f"sqlite:///{tmp}/bench.sqlite3"
    port = _free_port()
    print(f"streams: {args.streams} at {FPS:g} fps for {args.duration:g} s, server workers: {args.workers}, "
          f"landmarks: {len(raw)} real frames of {args.clip.name} as {args.format}, cpus: {os.cpu_count()}, "
          f"machine load average: {os.getloadavg()[0]:.1f}")
    proc = start_server(url, port, args.workers)
    try:
        wait_for_workers(port, args.workers)
        run_id = random.randrange(10**6)
        emails = [sign_up(port, i, run_id) for i in range(args.accounts)]
        cookies = [login_cookie(port, e) for e in emails]
        # The load client's own start-up heap (the pose pipeline that made the landmarks) out of
        # the collector's sight: its full collections would otherwise stall every stream of the
        # client and show as the server's latency.
        gc.collect()
        gc.freeze()
        cpu_before = server_cpu_seconds(proc)
        client_before = time.process_time()
        t0 = time.monotonic()
        latencies, problems, counts = run(load(port, cookies, frames, args.streams, args.duration, args.ramp))
        elapsed = time.monotonic() - t0
        client_cpu = time.process_time() - client_before
        cpu_after = server_cpu_seconds(proc)
    finally:
        stop_server(proc)
    dropped = len(problems)
    print(f"frames sent: {counts['frames']} ({counts['frames'] / elapsed:.0f}/s), answered: {len(latencies)}, "
          f"unanswered: {counts['unanswered']}, repetitions counted: {counts['reps']}")
    print(f"frame-to-answer latency: p50 {pct(latencies, .5):.1f} ms, p95 {pct(latencies, .95):.1f} ms, "
          f"p99 {pct(latencies, .99):.1f} ms")
    if cpu_before is not None and cpu_after is not None:
        used = cpu_after - cpu_before
        print(f"server CPU: {used:.1f} s in {elapsed:.1f} s ({used / elapsed:.2f} of {os.cpu_count()} cores), "
              f"{1000 * used / max(1, len(latencies)):.2f} ms per frame; load client CPU: {client_cpu:.1f} s; "
              f"machine load average now: {os.getloadavg()[0]:.1f}")
    for p in problems[:5]:
        print("  problem:", p)
    print(f"live streams: {args.streams} at {FPS:g} fps, p95 {pct(latencies, .95):.0f} ms, dropped {dropped}")


if __name__ == "__main__":
    main()
