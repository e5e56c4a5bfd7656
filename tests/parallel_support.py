"""What each pytest-xdist worker keeps to itself (scripts/test.sh runs the suite on every core).

Temporary folders (tmp_path_factory) and free ports (server_support.free_port) are per worker
already; PostgreSQL databases are created per worker session with the worker in their name
(postgres_support); Redis tests run their Celery workers on queues of their own, on a database
index of the worker's own (below), so two workers never read each other's jobs or results.
"""

from __future__ import annotations

import os

import pytest

IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")
REDIS_DEFAULT = "redis://127.0.0.1:6379/15"


def worker_name() -> str:
    """'gw0', 'gw1', ... under pytest-xdist; 'main' in a plain run."""
    return os.environ.get("PYTEST_XDIST_WORKER", "main")


def worker_index() -> int:
    name = worker_name()
    return int(name[2:]) if name.startswith("gw") and name[2:].isdigit() else 0


def redis_url() -> str:
    """BACKCOACH_TEST_REDIS_URL (else the local server's db 15), with this worker's database index:
    the given index for the first worker, one lower for each next one (15, 14, ...; Redis has 16).
    Skips without a server; fails in CI, where scripts/test.sh starts one."""
    url = os.environ.get("BACKCOACH_TEST_REDIS_URL")
    if not url:
        if IN_CI:
            pytest.fail("BACKCOACH_TEST_REDIS_URL is not set in CI: scripts/test.sh must start Redis")
        url = REDIS_DEFAULT
    base, _, db = url.rpartition("/")
    index = (int(db) if db.isdigit() else 0) - worker_index()
    url = f"{base}/{index % 16}" if db.isdigit() else url
    try:
        import redis

        redis.Redis.from_url(url, socket_connect_timeout=1).ping()
    except Exception as exc:  # noqa: BLE001 - any failure means "no usable server"
        if IN_CI:
            pytest.fail(f"Redis is required in CI: {url} does not answer ({exc})")
        pytest.skip(f"no Redis server at {url} (scripts/test.sh starts one)")
    return url
