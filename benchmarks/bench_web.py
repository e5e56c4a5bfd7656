"""Load benchmark of the web app (not a test): many simulated people on loopback logging
sessions, checking in pain and reading their progress through the JSON API (and reading
today's cards again when the rules changed an exercise).

    .venv/bin/python benchmarks/bench_web.py                      # SQLite in a temp folder
    .venv/bin/python benchmarks/bench_web.py --database-url postgresql+psycopg://postgres@127.0.0.1:5432/bench

With a PostgreSQL URL the run uses a fresh database made beside the one named (its name plus
a random suffix, dropped afterwards), as the SQLite run uses a fresh file: earlier runs' rows
would otherwise make each run slower than the one before.

It starts `backcoach serve` in a subprocess (migrations run on start), signs up the
people (not timed), then runs the load for --duration seconds and prints requests/s,
p50/p99 latency per kind of request, errors, and a check that every acknowledged write
(every 201 with its id) is in the database afterwards.

The load client is a small keep-alive HTTP/1.1 client on asyncio streams, so that the
client takes as little of the machine's CPU as possible.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import random
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from typing import Any

PASSWORD = "benchmark password 1"
# issue 13's targets: session logs per second on an idle 2-core machine (p99 < 100 ms, none lost)
TARGET_RATE = {"sqlite": 270, "postgresql": 250}
NO_KEYS = ("bladder_change", "bowel_control_loss", "saddle_numbness", "new_sexual_dysfunction", "worse_at_night",
           "fever_or_chills", "cancer_history", "unexplained_weight_loss", "osteoporosis_or_steroids",
           "immunosuppressed_or_injects_drugs", "first_episode", "leg_numbness_or_tingling")
SCREENING = {"age": 40, "pain_now": 3, "pain_worst_24h": 4, "onset_weeks": 3, "radiation": "none",
             "legs_affected": "none", "leg_weakness": "none", "relieved_by_rest": True, "recent_trauma": "none",
             **{k: False for k in NO_KEYS}}
ASSESSMENT = {"pain_now": 3, "pain_worst_24h": 4, "onset_weeks": 3, "side": "left", "radiation": "none",
              "one_sided_ache": True, "worse_standing_walking": True, "swayback": False, "bridge_felt": "hamstrings",
              "bridge_hold_s": 25, "single_leg_bridge_reps_left": 5, "single_leg_bridge_reps_right": 9,
              "stance_hip_drop_left": True, "stance_hip_drop_right": False,
              "side_lying_hold_s_left": 15, "side_lying_hold_s_right": 30}


class Http:
    """One keep-alive HTTP/1.1 connection."""

    def __init__(self, host: str, port: int) -> None:
        self.host, self.port = host, port
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def request(self, method: str, path: str, body: Any = None, headers: dict[str, str] | None = None) -> tuple[int, Any]:
        if self.writer is None:
            self.reader, self.writer = await asyncio.open_connection(self.host, self.port)
        data = b"" if body is None else json.dumps(body).encode()
        head = [f"{method} {path} HTTP/1.1", f"Host: {self.host}:{self.port}", f"Content-Length: {len(data)}"]
        if body is not None:
            head.append("Content-Type: application/json")
        for k, v in (headers or {}).items():
            head.append(f"{k}: {v}")
        self.writer.write(("\r\n".join(head) + "\r\n\r\n").encode() + data)
        await self.writer.drain()
        raw = await self.reader.readuntil(b"\r\n\r\n")
        lines = raw.decode("latin-1").split("\r\n")
        status = int(lines[0].split()[1])
        length, close = 0, False
        for line in lines[1:]:
            k, _, v = line.partition(":")
            k = k.strip().lower()
            if k == "content-length":
                length = int(v)
            elif k == "connection" and "close" in v.lower():
                close = True
        payload = await self.reader.readexactly(length) if length else b""
        if close:
            await self.close()
        try:
            return status, json.loads(payload) if payload else None
        except ValueError:
            return status, payload.decode(errors="replace")

    async def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
            try:
                await self.writer.wait_closed()
            except Exception:  # noqa: BLE001
                pass
        self.reader = self.writer = None


@dataclass
class Person:
    email: str
    token: str = ""
    cards: list[dict[str, Any]] = field(default_factory=list)
    cards_stale: bool = False  # an exercise changed: read today's cards again before the next session
    # (with no cards, every exercise resting, the person reads today's page instead of logging)

    @property
    def auth(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}


@dataclass
class Stats:
    latencies: dict[str, list[float]] = field(default_factory=lambda: {"session": [], "pain": [], "progress": [],
                                                                       "today": []})
    errors: list[str] = field(default_factory=list)
    sessions_acked: set[int] = field(default_factory=set)
    pain_acked: set[int] = field(default_factory=set)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(database_url: str, port: int, workers: int) -> subprocess.Popen:
    env = dict(os.environ, DATABASE_URL=database_url, SECRET_KEY="benchmark-secret",
               BACKCOACH_FAST_PASSWORD_HASH="1")  # cheap hashes for the untimed sign-ups only
    cmd = [sys.executable, "-c", "from backcoach.cli import main; main()", "serve",
           "--host", "127.0.0.1", "--port", str(port), "--workers", str(workers)]
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, start_new_session=True)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"server exited: {proc.stdout.read().decode(errors='replace')}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return proc
        except OSError:
            time.sleep(0.2)
    stop_server(proc)
    raise SystemExit("server did not start in 60 s")


def server_cpu_seconds(proc: subprocess.Popen) -> float | None:
    """CPU time used so far by the server and its workers (every process of its session; Linux /proc)."""
    if not os.path.isdir("/proc"):
        return None
    total = 0
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as f:
                fields = f.read().rpartition(")")[2].split()
        except OSError:
            continue
        if int(fields[3]) == proc.pid:  # the session id (the server was started in a new session)
            total += int(fields[11]) + int(fields[12])  # utime + stime, in clock ticks
    return total / os.sysconf("SC_CLK_TCK")


def stop_server(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)


async def set_up(port: int, people: int, concurrency: int) -> list[Person]:
    out: list[Person] = []
    queue: asyncio.Queue[int] = asyncio.Queue()
    for i in range(people):
        queue.put_nowait(i)
    run = random.randrange(10**6)

    async def worker() -> None:
        http = Http("127.0.0.1", port)
        while not queue.empty():
            i = queue.get_nowait()
            p = Person(email=f"bench-{run}-{i}@example.org")
            s, b = await http.request("POST", "/api/auth/signup", {"email": p.email, "password": PASSWORD,
                                                                 "display_name": f"Bench {i}",
                                                                 "accept_privacy_notice": True})
            assert s == 202, (s, b)
            await http.close()  # the sign-up answer sets a cookie; the load uses tokens only
            s, b = await http.request("POST", "/api/auth/token", {"email": p.email, "password": PASSWORD})
            assert s == 200, (s, b)
            p.token = b["access_token"]
            s, b = await http.request("POST", "/api/screenings", {"answers": SCREENING}, p.auth)
            assert s == 201, (s, b)
            s, b = await http.request("POST", "/api/assessments", {"answers": ASSESSMENT}, p.auth)
            assert s == 201, (s, b)
            s, b = await http.request("GET", "/api/today", None, p.auth)
            assert s == 200, (s, b)
            p.cards = b["cards"]
            out.append(p)
        await http.close()

    await asyncio.gather(*(worker() for _ in range(concurrency)))
    return out


def follow_decisions(p: Person, decisions: list[dict[str, Any]]) -> None:
    """Next time, do what the decisions say (a new dose), as a person would. When an exercise
    changes, the program may also merge two tracks that meet on one ladder, and an exercise
    that stepped back at its gentlest step rests for some days (it is not logged then), so
    the person reads today's cards again instead (see `load`)."""
    by_id = {d["exercise_id"]: d["after"] for d in decisions}
    for i, c in enumerate(p.cards):
        after = by_id.get(c["exercise_id"])
        if after:
            if after["exercise_id"] != c["exercise_id"] or after.get("rest_until"):
                p.cards_stale = True  # another exercise, or one resting for some days: not on today's cards
            p.cards[i] = {"exercise_id": after["exercise_id"], "sets": after["sets"], "reps": after.get("reps"),
                          "hold_s": after["hold_s"]}


def session_body(p: Person) -> dict[str, Any]:
    exercises = []
    for c in p.cards:
        e = {"exercise_id": c["exercise_id"], "sets": c["sets"], "hold_s": c["hold_s"],
             "pain_during": random.randint(0, 3), "rpe": random.randint(4, 7), "form": "good"}
        if c["reps"]:
            e["reps"] = c["reps"]
        exercises.append(e)
    return {"exercises": exercises}


async def load(port: int, people: list[Person], concurrency: int, duration: float, mix: dict[str, float]) -> tuple[Stats, float]:
    stats = Stats()
    kinds = list(mix)
    weights = [mix[k] for k in kinds]
    stop_at = time.monotonic() + duration
    counter = 0

    async def worker(w: int) -> None:
        nonlocal counter
        http = Http("127.0.0.1", port)
        mine = people[w::concurrency] or people
        rng = random.Random(w)
        while time.monotonic() < stop_at:
            p = rng.choice(mine)
            kind = rng.choices(kinds, weights)[0]
            if kind == "session" and (p.cards_stale or not p.cards):
                kind = "today"  # the person opens today's page first (counted, not mixed in by weight)
            counter += 1
            t0 = time.perf_counter()
            try:
                if kind == "session":
                    key = f"bench-{w}-{counter}"
                    s, b = await http.request("POST", "/api/sessions", session_body(p), {**p.auth, "Idempotency-Key": key})
                    ok = s == 201
                    if ok:
                        stats.sessions_acked.add(b["session_id"])
                        follow_decisions(p, b["decisions"])
                elif kind == "today":
                    s, b = await http.request("GET", "/api/today", None, p.auth)
                    ok = s == 200
                    if ok:
                        p.cards, p.cards_stale = b["cards"], False
                elif kind == "pain":
                    s, b = await http.request("POST", "/api/pain", {"nprs": rng.randint(0, 6)}, p.auth)
                    ok = s == 201
                    if ok:
                        stats.pain_acked.add(b["entry_id"])
                else:
                    s, b = await http.request("GET", "/api/progress", None, p.auth)
                    ok = s == 200
            except Exception as exc:  # noqa: BLE001
                s, b, ok = 0, repr(exc), False
                await http.close()
            stats.latencies[kind].append(time.perf_counter() - t0)
            if not ok:
                stats.errors.append(f"{kind}: {s} {str(b)[:200]}")
        await http.close()

    started = time.monotonic()
    await asyncio.gather(*(worker(w) for w in range(concurrency)))
    return stats, time.monotonic() - started


@contextlib.contextmanager
def fresh_database(database_url: str) -> Any:
    """A new, empty database beside `database_url` on the same PostgreSQL server, dropped after."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    url = make_url(database_url)
    name = f"{url.database}_run_{random.randrange(16**8):08x}"
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        yield url.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def verify(database_url: str, stats: Stats) -> tuple[int, int]:
    """How many acknowledged session logs and pain entries are missing from the database."""
    from sqlalchemy import select

    from backcoach.storage.database import make_engine
    from backcoach.storage.models import PainEntryRecord, SessionLog

    engine = make_engine(database_url)
    try:
        with engine.connect() as conn:
            sessions = set(conn.scalars(select(SessionLog.id)))
            pain = set(conn.scalars(select(PainEntryRecord.id)))
    finally:
        engine.dispose()
    return len(stats.sessions_acked - sessions), len(stats.pain_acked - pain)


def run(coro: Any) -> Any:
    """Run the load client on uvloop when it is installed (it comes with uvicorn[standard]): the
    client shares the machine's cores with the server, so the less CPU it takes the better."""
    try:
        import uvloop
    except ImportError:
        return asyncio.run(coro)
    return uvloop.run(coro)


def pct(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    values = sorted(values)
    return values[min(len(values) - 1, int(round(q * (len(values) - 1))))] * 1000


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--database-url", default="", help="default: a fresh SQLite file in a temp folder")
    ap.add_argument("--people", type=int, default=400)
    ap.add_argument("--concurrency", type=int, default=16)
    ap.add_argument("--duration", type=float, default=20.0)
    ap.add_argument("--workers", type=int, default=2, help="server worker processes")
    ap.add_argument("--mix", default="session=0.7,pain=0.2,progress=0.1")
    args = ap.parse_args()
    with contextlib.ExitStack() as stack:
        if args.database_url.startswith("postgres"):
            url = stack.enter_context(fresh_database(args.database_url))
        else:
            url = args.database_url or f"sqlite:///{tempfile.mkdtemp(prefix='bench-web-')}/bench.sqlite3"
        measure(url, args)


def measure(url: str, args: argparse.Namespace) -> None:
    mix = {k: float(v) for k, v in (part.split("=") for part in args.mix.split(","))}
    port = _free_port()
    print(f"database: {url.split('@')[-1]}  server workers: {args.workers}  people: {args.people}  "
          f"concurrency: {args.concurrency}  duration: {args.duration:g} s  mix: {mix}  cpus: {os.cpu_count()}")
    proc = start_server(url, port, args.workers)
    try:
        t0 = time.monotonic()
        people = run(set_up(port, args.people, min(args.concurrency, 16)))
        print(f"set-up: {len(people)} people signed up, screened, assessed in {time.monotonic() - t0:.1f} s (not timed)")
        cpu_before = server_cpu_seconds(proc)
        stats, elapsed = run(load(port, people, args.concurrency, args.duration, mix))
        cpu_after = server_cpu_seconds(proc)
    finally:
        stop_server(proc)
    total = sum(len(v) for v in stats.latencies.values())
    print(f"\n{'request':<10}{'count':>8}{'req/s':>10}{'p50 ms':>10}{'p99 ms':>10}")
    for kind, lat in stats.latencies.items():
        print(f"{kind:<10}{len(lat):>8}{len(lat) / elapsed:>10.1f}{pct(lat, .5):>10.1f}{pct(lat, .99):>10.1f}")
    all_lat = [x for v in stats.latencies.values() for x in v]
    print(f"{'all':<10}{total:>8}{total / elapsed:>10.1f}{pct(all_lat, .5):>10.1f}{pct(all_lat, .99):>10.1f}")
    if cpu_before is not None and cpu_after is not None and total:
        used = cpu_after - cpu_before
        print(f"server CPU: {used:.1f} s in {elapsed:.1f} s ({used / elapsed:.2f} of {os.cpu_count()} cores busy), "
              f"{1000 * used / total:.2f} ms per request")
    print(f"\nerrors: {len(stats.errors)}")
    for e in stats.errors[:5]:
        print("  ", e)
    missing_sessions, missing_pain = verify(url, stats)
    print(f"acknowledged writes: {len(stats.sessions_acked)} session logs, {len(stats.pain_acked)} pain entries; "
          f"missing from the database: {missing_sessions + missing_pain}")
    session_rate = len(stats.latencies["session"]) / elapsed
    ok = not stats.errors and missing_sessions == 0 and missing_pain == 0
    p99 = pct(stats.latencies["session"], .99)
    wanted = TARGET_RATE["postgresql" if url.startswith("postgres") else "sqlite"]
    target = ok and session_rate >= wanted and p99 < 100
    print(f"\nsession-log writes/s: {session_rate:.0f}  p99: {p99:.1f} ms  errors and lost writes: "
          f"{'none' if ok else 'SOME'}  target (>= {wanted}/s, p99 < 100 ms, none lost) met: {'yes' if target else 'no'}")


if __name__ == "__main__":
    main()
