"""What one web request costs the server, in one process (not a test): CPU time and SQL
round trips per request, by kind, for bench_web.py's load (session logs, pain check-ins,
progress reads through the JSON API with bearer tokens).

    .venv/bin/python benchmarks/bench_web_cpu.py                  # SQLite in a temp folder
    .venv/bin/python benchmarks/bench_web_cpu.py --database-url postgresql+psycopg://postgres:postgres@127.0.0.1:5432/bench
    .venv/bin/python benchmarks/bench_web_cpu.py --show           # also list one request's statements

Why next to bench_web.py: on a shared machine wall-clock throughput says little, and the
server's CPU per request that bench_web.py prints moves with the machine's load. Here the
app is called as an ASGI application (no HTTP, no second process), one request at a time,
so the figures are the app's own: statements and pool check-outs are exact, CPU per request
is process time. For figures that do not move with the load at all, count instructions:

    CALLGRIND=1 valgrind --tool=callgrind --instr-atstart=no .venv/bin/python benchmarks/bench_web_cpu.py --people 40 -n 200

(only the measured requests are counted: the script switches callgrind's instrumentation on
and off around them) and divide the "totals" line of the callgrind.out file by -n.
"""

from __future__ import annotations

import argparse
import asyncio
import collections
import contextlib
import json
import os
import random
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).parent))
from bench_web import (ASSESSMENT, PASSWORD, SCREENING, follow_decisions, fresh_database, Person,  # noqa: E402
                       session_body)


class Counter:
    """SQL statements sent and pool check-outs, from the engine's events."""

    def __init__(self, engine: Any) -> None:
        from sqlalchemy import event

        self.statements: list[str] = []
        self.checkouts = 0
        event.listen(engine, "before_cursor_execute",
                     lambda conn, cur, statement, *a: self.statements.append(" ".join(statement.split())[:140]))
        event.listen(engine.pool, "checkout", self._checkout)

    def _checkout(self, *a: Any) -> None:
        self.checkouts += 1

    def reset(self) -> None:
        self.statements.clear()
        self.checkouts = 0


class Client:
    """Calls the ASGI app directly, one request at a time."""

    def __init__(self, app: Any) -> None:
        self.app = app

    async def request(self, method: str, path: str, body: Any = None,
                      headers: dict[str, str] | None = None) -> tuple[int, Any]:
        data = b"" if body is None else json.dumps(body).encode()
        raw = [(b"host", b"127.0.0.1:8000"), (b"content-length", str(len(data)).encode())]
        if body is not None:
            raw.append((b"content-type", b"application/json"))
        raw += [(k.lower().encode(), v.encode()) for k, v in (headers or {}).items()]
        scope = {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": method,
                 "scheme": "http", "path": path, "raw_path": path.encode(), "query_string": b"", "root_path": "",
                 "headers": raw, "client": ("127.0.0.1", 50000), "server": ("127.0.0.1", 8000)}
        sent = False

        async def receive() -> dict[str, Any]:
            nonlocal sent
            if not sent:
                sent = True
                return {"type": "http.request", "body": data, "more_body": False}
            await asyncio.sleep(3600)
            return {"type": "http.disconnect"}

        status, chunks = 0, []

        async def send(message: dict[str, Any]) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            elif message["type"] == "http.response.body":
                chunks.append(message.get("body", b""))

        await self.app(scope, receive, send)
        payload = b"".join(chunks)
        return status, json.loads(payload) if payload else None


async def sign_up(client: Client, n: int) -> list[Person]:
    people = []
    run = uuid.uuid4().hex[:8]  # new people every run (a PostgreSQL database may be reused)
    for i in range(n):
        p = Person(email=f"cpu-{run}-{i}@example.org")
        s, b = await client.request("POST", "/api/auth/signup", {"email": p.email, "password": PASSWORD,
                                                                 "display_name": f"Bench {i}",
                                                                 "accept_privacy_notice": True})
        assert s == 202, (s, b)
        s, b = await client.request("POST", "/api/auth/token", {"email": p.email, "password": PASSWORD})
        assert s == 200, (s, b)
        p.token = b["access_token"]
        for path, answers in (("/api/screenings", SCREENING), ("/api/assessments", ASSESSMENT)):
            s, b = await client.request("POST", path, {"answers": answers}, p.auth)
            assert s == 201, (s, b)
        s, b = await client.request("GET", "/api/today", None, p.auth)
        assert s == 200, (s, b)
        p.cards = b["cards"]
        people.append(p)
    return people


async def one(client: Client, p: Person, kind: str, rng: random.Random, key: str) -> str:
    """One request of `kind` as bench_web.py's load makes it; returns the kind done (a person
    whose exercise changed reads today's cards first, as there)."""
    if kind == "session" and (p.cards_stale or not p.cards):
        kind = "today"
    if kind == "session":
        s, b = await client.request("POST", "/api/sessions", session_body(p), {**p.auth, "Idempotency-Key": key})
        assert s == 201, (s, b)
        follow_decisions(p, b["decisions"])
    elif kind == "today":
        s, b = await client.request("GET", "/api/today", None, p.auth)
        assert s == 200, (s, b)
        p.cards, p.cards_stale = b["cards"], False
    elif kind == "pain":
        s, b = await client.request("POST", "/api/pain", {"nprs": rng.randint(0, 6)}, p.auth)
        assert s == 201, (s, b)
    else:
        s, b = await client.request("GET", "/api/progress", None, p.auth)
        assert s == 200, (s, b)
    return kind


def callgrind(on: bool) -> None:
    if os.environ.get("CALLGRIND"):
        subprocess.run(["callgrind_control", "-i", "on" if on else "off", str(os.getpid())], capture_output=True)


async def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--database-url", default="", help="default: a fresh SQLite file in a temp folder")
    ap.add_argument("--people", type=int, default=400)
    ap.add_argument("-n", type=int, default=1000, help="requests measured")
    ap.add_argument("--mix", default="session=0.7,pain=0.2,progress=0.1")
    ap.add_argument("--show", action="store_true", help="list the statements of one request of each kind")
    args = ap.parse_args()
    os.environ.setdefault("BACKCOACH_FAST_PASSWORD_HASH", "1")  # cheap hashes for the untimed sign-ups only
    random.seed(7)
    rng = random.Random(1)

    tmp = tempfile.mkdtemp(prefix="bench-web-cpu-")
    with contextlib.ExitStack() as stack:
        if args.database_url.startswith("postgres"):  # a fresh database, as bench_web.py
            url = stack.enter_context(fresh_database(args.database_url))
        else:
            url = args.database_url or f"sqlite:///{tmp}/bench.sqlite3"
        await measure(args, url, tmp, rng)


async def measure(args: argparse.Namespace, url: str, tmp: str, rng: random.Random) -> None:
    import anyio.to_thread

    from backcoach.settings import Settings
    from backcoach.storage.database import dispose_engines
    from backcoach.web import WebOptions, create_app

    app = create_app(Settings(database_url=url, secret_key="benchmark-secret", data_dir=tmp),
                     WebOptions(fast_password_hash=True, cookie_secure=False))
    anyio.to_thread.current_default_thread_limiter().total_tokens = app.state.web.threads  # as the app's lifespan
    counter = Counter(app.state.engine)
    client = Client(app)
    mix = {k: float(v) for k, v in (part.split("=") for part in args.mix.split(","))}
    print(f"database: {url.split('@')[-1]}  people: {args.people}  requests: {args.n}  mix: {mix}")
    people = await sign_up(client, args.people)
    for i in range(30):  # warm-up: every statement compiled and cached
        await one(client, rng.choice(people), rng.choices(list(mix), list(mix.values()))[0], rng, f"warm-{i}")

    per_kind: dict[str, list[tuple[float, int, int]]] = collections.defaultdict(list)
    for k in ("session", "pain", "progress", "today"):
        counter.reset()
        done = await one(client, rng.choice(people), k, rng, "shown")
        if args.show:
            print(f"\none {done} request: {len(counter.statements)} statements, {counter.checkouts} pool check-outs")
            for st in counter.statements:
                print("   ", st)
    callgrind(True)
    started = time.process_time()
    for i in range(args.n):
        counter.reset()
        t0 = time.process_time()
        done = await one(client, rng.choice(people), rng.choices(list(mix), list(mix.values()))[0], rng, f"k-{i}")
        per_kind[done].append((time.process_time() - t0, len(counter.statements), counter.checkouts))
    used = time.process_time() - started
    callgrind(False)
    print(f"\n{'request':<10}{'count':>7}{'CPU ms':>9}{'statements':>12}{'check-outs':>12}")
    for kind, rows in sorted(per_kind.items()):
        n = len(rows)
        print(f"{kind:<10}{n:>7}{1000 * sum(r[0] for r in rows) / n:>9.2f}{sum(r[1] for r in rows) / n:>12.1f}"
              f"{sum(r[2] for r in rows) / n:>12.2f}")
    print(f"{'all':<10}{args.n:>7}{1000 * used / args.n:>9.2f}"
          f"{sum(r[1] for rows in per_kind.values() for r in rows) / args.n:>12.1f}"
          f"{sum(r[2] for rows in per_kind.values() for r in rows) / args.n:>12.2f}")
    print(f"\nCPU per request: {1000 * used / args.n:.2f} ms (process time of the app and this caller, "
          f"load average {os.getloadavg()[0]:.1f})")
    dispose_engines()  # before the fresh database is dropped


if __name__ == "__main__":
    try:
        import uvloop  # what uvicorn runs on when it is installed (uvicorn[standard])
    except ImportError:
        asyncio.run(main())
    else:
        uvloop.run(main())
