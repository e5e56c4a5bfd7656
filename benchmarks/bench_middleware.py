"""What the web app's hand-written session-cookie middleware costs per request, against
Starlette's own `SessionMiddleware` and against the same code as a `BaseHTTPMiddleware`
(not a test; prints figures).

    python benchmarks/bench_middleware.py [--requests 20000]

Each variant wraps an ASGI app that only answers 200, and is called directly (no socket,
no HTTP parsing), so the figure is the middleware's own CPU per request: microseconds
for a request carrying a valid signed cookie, and for one without a cookie (an API call
with a bearer token). bench_web.py's server spends about 4-5 ms of CPU per request.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from starlette.middleware.base import BaseHTTPMiddleware  # noqa: E402
from starlette.middleware.sessions import SessionMiddleware  # noqa: E402
from starlette.requests import Request  # noqa: E402
from starlette.responses import PlainTextResponse  # noqa: E402

from backcoach.web.app import SessionCookieMiddleware  # noqa: E402
from backcoach.web.security import SESSION_COOKIE, Session, Signer  # noqa: E402

SECRET = "benchmark-secret"


async def ok(scope, receive, send) -> None:
    await send({"type": "http.response.start", "status": 200, "headers": [(b"content-type", b"text/plain")]})
    await send({"type": "http.response.body", "body": b"ok"})


def ours() -> tuple[object, bytes]:
    signer = Signer(SECRET, 3600, 3600)
    cookie = signer.dump_session(Session(sid="s" * 32, user_id=7, role="person"))
    return SessionCookieMiddleware(ok, signer=signer, secure=True), f"{SESSION_COOKIE}={cookie}".encode()


def as_base_http_middleware() -> tuple[object, bytes]:
    """The same reading of the cookie, written as a BaseHTTPMiddleware (the usual way)."""
    signer = Signer(SECRET, 3600, 3600)
    cookie = signer.dump_session(Session(sid="s" * 32, user_id=7, role="person"))

    async def dispatch(request: Request, call_next):
        session, problem = signer.load_session(request.cookies.get(SESSION_COOKIE))
        request.state.session = session or Session.anonymous()
        return await call_next(request)

    async def endpoint(scope, receive, send):
        await PlainTextResponse("ok")(scope, receive, send)

    return BaseHTTPMiddleware(endpoint, dispatch=dispatch), f"{SESSION_COOKIE}={cookie}".encode()


def starlette_sessions() -> tuple[object, bytes]:
    """Starlette's SessionMiddleware with a cookie it signed itself (made by one request)."""
    app = SessionMiddleware(ok, secret_key=SECRET, https_only=True)

    async def login(scope, receive, send):
        scope["session"].update({"sid": "s" * 32, "uid": 7, "role": "person"})
        await ok(scope, receive, send)

    cookie = asyncio.run(_call(SessionMiddleware(login, secret_key=SECRET), None, want_cookie=True))
    return app, cookie


async def _call(app, cookie: bytes | None, want_cookie: bool = False):
    headers = [(b"host", b"bench")] + ([(b"cookie", cookie)] if cookie else [])
    scope = {"type": "http", "method": "GET", "path": "/api/today", "raw_path": b"/api/today", "query_string": b"",
             "headers": headers, "scheme": "https", "server": ("bench", 443), "client": ("127.0.0.1", 1),
             "root_path": "", "http_version": "1.1", "asgi": {"version": "3.0"}}
    sent = []

    async def receive():
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message):
        sent.append(message)

    await app(scope, receive, send)
    if want_cookie:
        value = dict(sent[0]["headers"])[b"set-cookie"]
        return value.split(b";")[0]
    return sent


async def _per_request_us(app, cookie: bytes | None, n: int) -> float:
    start = time.perf_counter()
    for _ in range(n):
        await _call(app, cookie)
    return (time.perf_counter() - start) / n * 1e6


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=20000)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    baseline = [asyncio.run(_per_request_us(ok, None, args.requests)) for _ in range(args.rounds)]
    print(f"{statistics.median(baseline):8.1f} µs  no middleware (the bare call, subtracted below)")
    for name, make in (("hand-written SessionCookieMiddleware (pure ASGI)", ours),
                       ("the same as a BaseHTTPMiddleware", as_base_http_middleware),
                       ("Starlette SessionMiddleware", starlette_sessions)):
        app, cookie = make()
        for label, c in (("with a signed cookie", cookie), ("without a cookie", None)):
            runs = [asyncio.run(_per_request_us(app, c, args.requests)) for _ in range(args.rounds)]
            print(f"{statistics.median(runs) - statistics.median(baseline):8.1f} µs  {name}, {label}")


if __name__ == "__main__":
    main()
