"""Live coaching capacity (not a test): many simulated phones stream landmarks to
`backcoach serve` over the live WebSocket, each at 15 frames a second, and we measure the
time from sending a frame to its answer (the count), and how many connections dropped.

    .venv/bin/python benchmarks/bench_live.py --streams 200 --duration 60

The landmarks are real: the shared bridge clip (/work/shared/data/videos, or --clip) run
through the pose model once at 15 frames/s and cached; each stream replays them in a loop
with its media time running on, starting at a random point. Streams authenticate with a
session cookie as a browser does (a few accounts are shared among the streams: the socket
checks the account once, when it opens). Ends with one line:
`live streams: N at 15 fps, p95 X ms, dropped D`.
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import http.client
import json
import os
import random
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_web import ASSESSMENT, PASSWORD, SCREENING, _free_port, pct, run, server_cpu_seconds, start_server, stop_server  # noqa: E402

DEFAULT_CLIP = Path("/work/shared/data/videos/glute_bridge_side_real.mp4")
FPS = 15.0


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


class RawSocket:
    """A minimal WebSocket client on asyncio streams, so the load client costs little CPU.

    Frames are sent with an all-zero masking key (allowed by RFC 6455: the payload is
    XORed with zeros), so a message is its header plus the text as is."""

    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.reader, self.writer = reader, writer

    @classmethod
    async def connect(cls, port: int, path: str, cookie: str, timeout: float = 30.0) -> "RawSocket":
        reader, writer = await asyncio.wait_for(asyncio.open_connection("127.0.0.1", port), timeout)
        key = base64.b64encode(os.urandom(16)).decode()
        writer.write((f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                      f"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\nCookie: {cookie}\r\n\r\n").encode())
        head = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), timeout)
        if b" 101 " not in head.split(b"\r\n", 1)[0]:
            raise ConnectionError(head.split(b"\r\n", 1)[0].decode(errors="replace"))
        return cls(reader, writer)

    def send(self, text: str) -> None:
        self._send(0x1, text.encode())

    def _send(self, opcode: int, data: bytes) -> None:
        n = len(data)
        head = bytes([0x80 | opcode, 0x80 | n]) if n < 126 else bytes([0x80 | opcode, 0xFE]) + n.to_bytes(2, "big")
        self.writer.write(head + b"\x00\x00\x00\x00" + data)

    def pong(self, payload: bytes) -> None:
        """Answer the server's keep-alive ping, as every browser does by itself (RFC 6455 5.5.2)."""
        self._send(0xA, payload)

    async def recv(self) -> tuple[int, bytes]:
        b0, b1 = await self.reader.readexactly(2)
        n = b1 & 0x7F
        if n == 126:
            n = int.from_bytes(await self.reader.readexactly(2), "big")
        elif n == 127:
            n = int.from_bytes(await self.reader.readexactly(8), "big")
        return b0 & 0x0F, await self.reader.readexactly(n)

    async def close(self) -> None:
        try:
            self.writer.write(b"\x88\x82\x00\x00\x00\x00\x03\xe8")
            await self.writer.drain()
            self.writer.close()
        except Exception:  # noqa: BLE001
            pass


async def stream(port: int, cookie: str, frames: list[str], period: float, duration: float, start_at: float,
                 latencies: list[float], problems: list[str], counts: dict[str, int]) -> None:
    await asyncio.sleep(max(0.0, start_at - time.monotonic()))
    sent: list[float] = []
    offset = random.randrange(len(frames))
    ws = None
    try:
        ws = await RawSocket.connect(port, "/ws/live/glute_bridge", cookie)
        opcode, ready = await ws.recv()
        if b'"ready"' not in ready:
            problems.append(f"refused: {ready[:200]!r}")
            return
        closed = asyncio.Event()

        async def receiver() -> None:
            try:
                while True:
                    opcode, msg = await ws.recv()
                    if opcode == 8:
                        closed.set()
                        return
                    if opcode == 9:  # a keep-alive ping: answer it; it is not an answer to a frame
                        ws.pong(msg)
                        continue
                    now = time.monotonic()
                    if sent:
                        latencies.append(now - sent.pop(0))
                    if b'"repetition": {' in msg:
                        counts["reps"] += 1
            except (asyncio.IncompleteReadError, ConnectionError):
                closed.set()

        rx = asyncio.create_task(receiver())
        t0 = time.monotonic()
        k = 0
        while not closed.is_set():
            due = t0 + k * period
            if due - t0 >= duration:
                break
            await asyncio.sleep(max(0.0, due - time.monotonic()))
            sent.append(time.monotonic())
            ws.send('{"t":%.4f,%s' % (k * period, frames[(offset + k) % len(frames)]))
            counts["frames"] += 1
            k += 1
        if closed.is_set():
            problems.append("the server closed the connection")
        deadline = time.monotonic() + 5
        while sent and time.monotonic() < deadline and not closed.is_set():
            await asyncio.sleep(0.05)
        counts["unanswered"] += len(sent)
        rx.cancel()
    except Exception as exc:  # noqa: BLE001 - a dropped or refused connection is what we count
        problems.append(f"{type(exc).__name__}: {exc}")
    finally:
        if ws is not None:
            await ws.close()


async def load(port: int, cookies: list[str], frames: list[str], streams: int, duration: float, ramp: float
               ) -> tuple[list[float], list[str], dict[str, int]]:
    latencies: list[float] = []
    problems: list[str] = []
    counts = {"frames": 0, "unanswered": 0, "reps": 0}
    t0 = time.monotonic() + 0.5
    await asyncio.gather(*(stream(port, cookies[i % len(cookies)], frames, 1.0 / FPS, duration, t0 + ramp * i / streams,
                                  latencies, problems, counts) for i in range(streams)))
    return latencies, problems, counts


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--streams", type=int, default=200)
    ap.add_argument("--duration", type=float, default=60.0, help="seconds each stream sends")
    ap.add_argument("--workers", type=int, default=2, help="server worker processes")
    ap.add_argument("--accounts", type=int, default=20, help="people whose cookies the streams share")
    ap.add_argument("--ramp", type=float, default=5.0, help="seconds over which the streams connect")
    ap.add_argument("--clip", type=Path, default=DEFAULT_CLIP)
    args = ap.parse_args()
    raw = landmarks(args.clip)
    frames = [json.dumps({k: v for k, v in f.items() if k != "t"})[1:] for f in raw]  # everything after '{'
    tmp = tempfile.mkdtemp(prefix="bench-live-")
    url = f"sqlite:///{tmp}/bench.sqlite3"
    port = _free_port()
    print(f"streams: {args.streams} at {FPS:g} fps for {args.duration:g} s, server workers: {args.workers}, "
          f"landmarks: {len(raw)} real frames of {args.clip.name}, cpus: {os.cpu_count()}")
    proc = start_server(url, port, args.workers)
    try:
        run_id = random.randrange(10**6)
        emails = [sign_up(port, i, run_id) for i in range(args.accounts)]
        cookies = [login_cookie(port, e) for e in emails]
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
