"""Plain route functions run on the event loop's thread when a worker has one request
thread (no hand-off cost), and in the thread pool when it has more."""

from __future__ import annotations

import contextlib
import threading

import anyio.to_thread
import pytest
from fastapi import APIRouter, Depends, FastAPI
from fastapi.testclient import TestClient

from backcoach.web.blocking import BlockingRoute, run_blocking


def _app(threads: int) -> FastAPI:
    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI):
        anyio.to_thread.current_default_thread_limiter().total_tokens = threads
        yield

    async def dependency() -> int:
        return await run_blocking(threading.get_ident)

    router = APIRouter(route_class=BlockingRoute)

    @router.get("/plain/{n}")
    def plain(n: int, dep_thread: int = Depends(dependency)) -> dict[str, int]:
        return {"n": n, "thread": threading.get_ident(), "dep_thread": dep_thread}

    @router.get("/loop")
    async def loop() -> dict[str, int]:
        return {"thread": threading.get_ident()}

    app = FastAPI(lifespan=lifespan)
    app.include_router(router)
    return app


@pytest.mark.parametrize("threads", [1, 4])
def test_plain_routes_run_on_the_loop_thread_only_with_a_single_request_thread(threads: int) -> None:
    with TestClient(_app(threads)) as client:
        loop_thread = client.get("/loop").json()["thread"]
        got = client.get("/plain/7").json()
    assert got["n"] == 7  # parameters still reach the wrapped function
    if threads == 1:
        assert got["thread"] == got["dep_thread"] == loop_thread
    else:
        assert got["thread"] != loop_thread and got["dep_thread"] != loop_thread


def test_the_openapi_schema_sees_the_wrapped_parameters() -> None:
    schema = _app(1).openapi()
    params = schema["paths"]["/plain/{n}"]["get"]["parameters"]
    assert [(p["name"], p["schema"]["type"]) for p in params] == [("n", "integer")]
