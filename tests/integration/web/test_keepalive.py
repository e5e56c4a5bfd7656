"""Issue 10, finding 7: after a 500 the next request on the same keep-alive connection works.

Needs a real server: Starlette used to raise the exception again after sending the 500, and
uvicorn then closed the connection under the client's next request. Also checks the body
limit against a real server: a declared or streamed body over the limit gets its 413 before
the client has sent it all."""

from __future__ import annotations

import socket
from typing import Any, Iterator

import httpx
import pytest
from server_support import app_in_thread

from backcoach.settings import Settings
from backcoach.web import WebOptions, create_app
from fastapi.routing import APIRoute


def _boom() -> None:
    raise RuntimeError("a bug in a route")


async def _async_boom() -> None:
    raise KeyError("a bug in an async route")


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, int]]:
    data = tmp_path_factory.mktemp("keepalive")
    settings = Settings(database_url=f"sqlite:///{data}/k.sqlite3", secret_key="k", data_dir=data)
    app = create_app(settings, WebOptions(fast_password_hash=True))
    app.router.routes.insert(0, APIRoute("/api/test-boom", _boom, methods=["GET"]))
    app.router.routes.insert(0, APIRoute("/test-boom", _async_boom, methods=["GET"]))
    with app_in_thread(app, log_level="critical") as port:
        yield "127.0.0.1", port


def test_the_connection_survives_a_500(served: tuple[str, int]) -> None:
    host, port = served
    opened: list[Any] = []
    with httpx.Client(base_url=f"http://{host}:{port}") as client:
        for url in ("/api/test-boom", "/test-boom"):
            r = client.get(url)
            assert r.status_code == 500
            assert "bug" not in r.text and "Traceback" not in r.text
            nxt = client.get("/login")
            assert nxt.status_code == 200
            assert r.headers["cache-control"] == "no-store"
        r = client.get("/api/test-boom", extensions={"trace": lambda name, info: opened.append(name)})
        assert r.status_code == 500
        r = client.get("/login", extensions={"trace": lambda name, info: opened.append(name)})
        assert r.status_code == 200
    assert not any(name.startswith("connection.connect_tcp") for name in opened), opened  # one connection throughout


def _raw_response(host: str, port: int, head: bytes, body_parts: list[bytes]) -> tuple[bytes, int]:
    """Send the head, then body parts until the server answers; returns (answer, parts sent)."""
    with socket.create_connection((host, port), timeout=10) as sock:
        sock.sendall(head)
        sent = 0
        sock.settimeout(0.05)
        answer = b""
        for part in body_parts:
            try:
                answer = sock.recv(65536)
                if answer:
                    break
            except socket.timeout:
                pass
            try:
                sock.sendall(part)
            except OSError:
                break
            sent += 1
        sock.settimeout(10)
        while b"\r\n\r\n" not in answer:
            chunk = sock.recv(65536)
            if not chunk:
                break
            answer += chunk
        return answer, sent


def test_a_declared_large_body_gets_413_before_it_is_sent(served: tuple[str, int]) -> None:
    host, port = served
    head = (b"POST /api/pain HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
            b"Content-Length: 209715200\r\n\r\n")
    answer, sent = _raw_response(host, port, head, [b" " * 65536] * 100)
    assert answer.startswith(b"HTTP/1.1 413"), answer[:200]
    assert sent < 10


def test_a_streamed_large_body_gets_413_once_it_passes_the_limit(served: tuple[str, int]) -> None:
    host, port = served
    head = b"POST /api/pain HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"
    part = b"%x\r\n%s\r\n" % (16384, b" " * 16384)
    answer, sent = _raw_response(host, port, head, [part] * 3000)  # 48 MB if it were all read
    assert answer.startswith(b"HTTP/1.1 413"), answer[:200]
    assert sent < 100
