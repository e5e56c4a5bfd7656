"""Reliability under kill -9 (not a unit test; a short run is tests/integration/web/test_reliability.py).

    .venv/bin/python benchmarks/reliability.py                 # SQLite, 60 s, a kill -9 every 4 s
    .venv/bin/python benchmarks/reliability.py --duration 300 --kill-every 3 --clients 16
    .venv/bin/python benchmarks/reliability.py --database-url postgresql+psycopg://postgres@127.0.0.1:5432/rel

It starts `backcoach serve` in a subprocess, signs people up, then clients send pain
check-ins and session logs, each with its own Idempotency-Key, while the whole server
(parent and workers) is killed with SIGKILL and restarted again and again. A client
that gets no answer (the connection dropped, a 503 while the server restarts) sends the
SAME request with the SAME key again until it gets one, as a phone app does.

It then checks the promise of issue 10: every acknowledged write (a 201) is in the
database, no retried write was refused (409 "already sent" with nothing stored, or any
other 4xx), and no write was stored twice. Exit code 0 when all three hold.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Optional

SRC = os.environ.get("BACKCOACH_SERVER_SRC") or str(Path(__file__).resolve().parents[1] / "src")
PASSWORD = "reliability Kq8 pass 3!"
sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_web import ASSESSMENT, SCREENING  # noqa: E402  (the same simulated person as the load benchmark)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """`backcoach serve` in its own process group, so kill -9 reaches every worker."""

    def __init__(self, database_url: str, port: int, workers: int) -> None:
        self.database_url, self.port, self.workers = database_url, port, workers
        self.proc: Optional[subprocess.Popen] = None

    def start(self, timeout: float = 90) -> None:
        env = dict(os.environ, DATABASE_URL=self.database_url, SECRET_KEY="reliability-secret",
                   BACKCOACH_FAST_PASSWORD_HASH="1", BACKCOACH_COOKIE_SECURE="0",
                   PYTHONPATH=SRC + os.pathsep + os.environ.get("PYTHONPATH", ""))
        cmd = [sys.executable, "-c", "from backcoach.cli import main; main()", "serve", "--host", "127.0.0.1",
               "--port", str(self.port), "--workers", str(self.workers)]
        self.proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                     start_new_session=True)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"the server exited with code {self.proc.returncode}")
            try:
                conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=2)
                conn.request("GET", "/static/favicon.svg")
                if conn.getresponse().status == 200:
                    conn.close()
                    return
            except OSError:
                pass
            time.sleep(0.1)
        raise RuntimeError(f"the server did not start in {timeout:g} s")

    def kill9(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            try:
                os.killpg(self.proc.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            self.proc.wait()

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.kill9()


def call(port: int, method: str, path: str, body: Any = None, headers: Optional[dict[str, str]] = None,
         timeout: float = 10) -> tuple[int, Any, dict[str, str]]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        data = None if body is None else json.dumps(body).encode()
        conn.request(method, path, body=data, headers={"Content-Type": "application/json", **(headers or {})})
        r = conn.getresponse()
        raw = r.read()
        try:
            parsed = json.loads(raw) if raw else None
        except ValueError:
            parsed = raw.decode(errors="replace")
        return r.status, parsed, {k.lower(): v for k, v in r.getheaders()}
    finally:
        conn.close()


def sign_up(port: int, email: str) -> dict[str, str]:
    for attempt in range(50):
        try:
            s, b, _ = call(port, "POST", "/api/auth/signup", {"email": email, "password": PASSWORD,
                                                              "display_name": "Reliability", "role": "person",
                                                              "accept_privacy_notice": True})
            if s != 202:  # the same answer when a retry finds the account already made
                raise RuntimeError(f"sign-up: {s} {b}")
            s, b, _ = call(port, "POST", "/api/auth/token", {"email": email, "password": PASSWORD})
            auth = {"Authorization": f"Bearer {b['access_token']}"}
            for path, answers in (("/api/screenings", SCREENING), ("/api/assessments", ASSESSMENT)):
                s, b, _ = call(port, "POST", path, {"answers": answers}, auth)
                if s != 201:
                    raise RuntimeError(f"{path}: {s} {b}")
            return auth
        except (OSError, http.client.HTTPException):
            time.sleep(0.2)
    raise RuntimeError("could not sign up")


@dataclass
class Results:
    acknowledged: dict[str, tuple[str, int]] = field(default_factory=dict)  # key -> (kind, id)
    refused: list[str] = field(default_factory=list)
    retries: int = 0
    kills: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)


def today_exercises(port: int, auth: dict[str, str]) -> list[dict[str, Any]]:
    s, b, _ = call(port, "GET", "/api/today", None, auth)
    if s != 200:
        return []
    out = []
    for card in b.get("cards", []):
        e = {"exercise_id": card["exercise_id"], "sets": card["sets"], "hold_s": card["hold_s"], "pain_during": 1,
             "rpe": 5, "form": "good"}
        if card["reps"]:
            e["reps"] = card["reps"]
        out.append(e)
    return out


def client(port: int, auth: dict[str, str], results: Results, stop_at: float, seed: int) -> None:
    """One person's app: a pain check-in or a session log at a time, each retried with its key until answered.
    (One client per person, so a session is never logged against a program another client just changed.)"""
    rng = random.Random(seed)
    while time.monotonic() < stop_at:
        key = uuid.uuid4().hex
        if rng.random() < 0.7:
            kind, path, body = "pain", "/api/pain", {"nprs": rng.randint(0, 5), "note": key}
        else:
            exercises = None
            while exercises is None and time.monotonic() < stop_at + 30:
                try:
                    exercises = today_exercises(port, auth)
                except (OSError, http.client.HTTPException):
                    time.sleep(0.1)
            if not exercises:
                continue
            kind, path, body = "session", "/api/sessions", {"exercises": exercises}
        deadline = stop_at + 60  # keep retrying after the load stops, until the server answers
        while time.monotonic() < deadline:
            try:
                s, b, h = call(port, "POST", path, body, {**auth, "Idempotency-Key": key})
            except (OSError, http.client.HTTPException):
                s, b = None, None
            if s == 201:
                ident = b.get("entry_id") if kind == "pain" else b.get("session_id")
                with results.lock:
                    results.acknowledged[key] = (kind, int(ident))
                break
            if s is not None and 400 <= s < 500:
                with results.lock:
                    results.refused.append(f"{kind} {key}: {s} {b}")
                break
            with results.lock:
                results.retries += 1
            time.sleep(0.05 + rng.random() * 0.1)


def verify(database_url: str, results: Results) -> tuple[int, int]:
    """(lost, duplicated): acknowledged writes missing from the database, keys stored twice."""
    sys.path.insert(0, SRC)
    from sqlalchemy import text

    from backcoach.storage.database import make_engine

    engine = make_engine(database_url)
    lost = duplicated = 0
    try:
        with engine.connect() as conn:
            pain_ids = {r[0]: r[1] for r in conn.execute(text("SELECT id, note FROM pain_entries WHERE note IS NOT NULL"))}
            session_ids = {r[0] for r in conn.execute(text("SELECT id FROM session_logs"))}
            notes: dict[str, int] = {}
            for note in pain_ids.values():
                notes[note] = notes.get(note, 0) + 1
            keys = [r[0] for r in conn.execute(text("SELECT idempotency_key FROM session_logs "
                                                    "WHERE idempotency_key IS NOT NULL"))]
        for key, (kind, ident) in results.acknowledged.items():
            if kind == "pain" and pain_ids.get(ident) != key:
                lost += 1
            if kind == "session" and ident not in session_ids:
                lost += 1
        duplicated = sum(n - 1 for n in notes.values() if n > 1) + (len(keys) - len(set(keys)))
    finally:
        engine.dispose()
    return lost, duplicated


def run(database_url: str = "", duration: float = 60, kill_every: float = 4, clients: int = 8,
        workers: int = 2, log: Any = print) -> dict[str, Any]:
    tmp = tempfile.mkdtemp(prefix="reliability-")
    url = database_url or f"sqlite:///{tmp}/reliability.sqlite3"
    server = Server(url, free_port(), workers)
    results = Results()
    server.start()
    try:
        auths = [sign_up(server.port, f"rel-{uuid.uuid4().hex[:10]}@example.org") for _ in range(clients)]
        log(f"{clients} people signed up; load for {duration:g} s, kill -9 every {kill_every:g} s")
        stop_at = time.monotonic() + duration
        threads = [threading.Thread(target=client, args=(server.port, auths[i], results, stop_at, i), daemon=True)
                   for i in range(clients)]
        for t in threads:
            t.start()
        next_kill = time.monotonic() + kill_every
        while time.monotonic() < stop_at:
            time.sleep(0.05)
            if time.monotonic() >= next_kill and time.monotonic() < stop_at - 0.5:
                server.kill9()
                results.kills += 1
                log(f"kill -9 #{results.kills} ({len(results.acknowledged)} writes acknowledged so far)")
                server.start()
                next_kill = time.monotonic() + kill_every
        for t in threads:
            t.join(timeout=90)
    finally:
        server.stop()
    lost, duplicated = verify(url, results)
    summary = {"acknowledged": len(results.acknowledged), "lost": lost, "refused": len(results.refused),
               "duplicated": duplicated, "retries": results.retries, "kills": results.kills,
               "refusals": results.refused[:5]}
    return summary


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--database-url", default="", help="default: a fresh SQLite file in a temp folder")
    ap.add_argument("--duration", type=float, default=60.0)
    ap.add_argument("--kill-every", type=float, default=4.0)
    ap.add_argument("--clients", type=int, default=8, help="simulated people, each with its own app")
    ap.add_argument("--workers", type=int, default=2)
    args = ap.parse_args()
    s = run(args.database_url, args.duration, args.kill_every, args.clients, args.workers)
    print(f"\nkills: {s['kills']}  acknowledged writes: {s['acknowledged']}  retries: {s['retries']}")
    print(f"lost: {s['lost']}  refused: {s['refused']}  stored twice: {s['duplicated']}")
    for r in s["refusals"]:
        print("  ", r)
    ok = s["lost"] == 0 and s["refused"] == 0 and s["duplicated"] == 0 and s["acknowledged"] > 0
    print("promise kept (0 lost, 0 refused, 0 twice):", "yes" if ok else "NO")
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
