"""Where a request's blocking work runs (database calls, the rules, page rendering).

A worker process runs as many requests at once as it has request threads
(BACKCOACH_WEB_THREADS, default 1; see app._lifespan). With one thread, handing each
request's work to that thread and back only costs CPU — thread wake-ups and the GIL
changing hands, about a tenth of the CPU per request in benchmarks/bench_web.py — and
gains nothing, since the next request would wait for the thread anyway. So with one
thread the work runs on the event loop's own thread; with more, in the thread pool as
FastAPI does by default.

Routes stay plain functions: `BlockingRoute` (the route class of every router) wraps
them, and the request dependencies call `run_blocking` themselves.
"""

from __future__ import annotations

import functools
import inspect
from typing import Any, Callable, TypeVar

import anyio.to_thread
from fastapi.concurrency import run_in_threadpool
from fastapi.routing import APIRoute

T = TypeVar("T")


def single_threaded() -> bool:
    """Does this event loop's thread pool have a single thread (the default per worker)?"""
    return anyio.to_thread.current_default_thread_limiter().total_tokens == 1


async def run_blocking(func: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """Run blocking `func` on this thread if the pool has one thread, else in the pool."""
    if single_threaded():
        return func(*args, **kwargs)
    return await run_in_threadpool(func, *args, **kwargs)


def _as_async(endpoint: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(endpoint)  # FastAPI reads the parameters through __wrapped__
    async def run(*args: Any, **kwargs: Any) -> Any:
        return await run_blocking(endpoint, *args, **kwargs)

    return run


class BlockingRoute(APIRoute):
    """A route whose plain (def) endpoint runs through `run_blocking`."""

    def __init__(self, path: str, endpoint: Callable[..., Any], **kwargs: Any) -> None:
        if not inspect.iscoroutinefunction(endpoint):
            endpoint = _as_async(endpoint)
        super().__init__(path, endpoint, **kwargs)
