"""Slow work runs on threads of its own, so that it never holds up a worker's other requests.

Routes are plain functions that FastAPI runs in its thread pool, and a worker's pool has
BACKCOACH_WEB_THREADS threads (default 1, see app._lifespan). A PDF report, a FHIR bundle,
a copy of everything held about an account or storing an uploaded video can take from a
fraction of a second to several seconds; on the request thread, every other request of
that worker would wait that long. So those routes hand their work to this separate pool
(`run_slow`, SLOW_THREADS threads per worker): the request thread stays free for the quick
requests, and slow jobs wait only for each other.
"""

from __future__ import annotations

import functools
from typing import Any, Callable, TypeVar

import anyio
import anyio.to_thread
from fastapi import Request

T = TypeVar("T")

SLOW_THREADS = 2


async def run_slow(request: Request, func: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """Run blocking `func` on the slow-work threads of this worker (made on first use, in its event loop)."""
    state = request.app.state
    limiter = getattr(state, "slow_work", None)
    if limiter is None:
        limiter = state.slow_work = anyio.CapacityLimiter(SLOW_THREADS)
    return await anyio.to_thread.run_sync(functools.partial(func, *args, **kwargs), limiter=limiter)
