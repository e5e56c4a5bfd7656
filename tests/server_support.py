"""A real `backcoach serve` in a subprocess, for the tests that need real processes and
sockets (a stalled database, kill -9 under load); the in-process TestClient hides both."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any, Iterator, Optional

SRC = os.environ.get("BACKCOACH_SERVER_SRC") or str(Path(__file__).resolve().parents[1] / "src")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def app_in_thread(app: Any, log_level: str = "warning") -> Iterator[int]:
    """Serve an in-process app with uvicorn on a free loopback port (a daemon thread); yields the port.
    For tests that need a real socket (a browser, keep-alive) but not a separate process."""
    import pytest
    import uvicorn

    port = free_port()
    srv = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level=log_level, access_log=False))
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not srv.started:
        if time.monotonic() > deadline or not thread.is_alive():
            pytest.fail("the web app did not start")
        time.sleep(0.05)
    try:
        yield port
    finally:
        srv.should_exit = True
        thread.join(timeout=10)


def start_server(database_url: str, port: int, workers: int = 1, env: Optional[dict[str, str]] = None,
                 timeout: float = 60) -> subprocess.Popen:
    full_env = dict(os.environ, DATABASE_URL=database_url, SECRET_KEY="server-test-secret",
                    BACKCOACH_FAST_PASSWORD_HASH="1", BACKCOACH_COOKIE_SECURE="0",
                    PYTHONPATH=SRC + os.pathsep + os.environ.get("PYTHONPATH", ""), **(env or {}))
    cmd = [sys.executable, "-c", "from backcoach.cli import main; main()", "serve",
           "--host", "127.0.0.1", "--port", str(port), "--workers", str(workers)]
    proc = subprocess.Popen(cmd, env=full_env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            start_new_session=True)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"server exited: {proc.stdout.read().decode(errors='replace')}")  # type: ignore[union-attr]
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return proc
        except OSError:
            time.sleep(0.1)
    stop_server(proc)
    raise RuntimeError(f"server did not start in {timeout:g} s")


def stop_server(proc: subprocess.Popen, sig: int = signal.SIGTERM) -> None:
    if proc.poll() is None:
        try:
            os.killpg(proc.pid, sig)
        except ProcessLookupError:
            pass
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=15)
    if proc.stdout is not None:
        proc.stdout.close()


def kill_server(proc: subprocess.Popen) -> None:
    """kill -9 the server and all its workers at once (a power cut, the OOM killer)."""
    stop_server(proc, signal.SIGKILL)


PASSWORD = "Kq8 server test pass 2!"
ASSESSMENT = {"pain_now": 3, "pain_worst_24h": 4, "onset_weeks": 3, "side": "left", "radiation": "none",
              "one_sided_ache": True, "worse_standing_walking": True, "swayback": False, "bridge_felt": "hamstrings",
              "bridge_hold_s": 25, "single_leg_bridge_reps_left": 5, "single_leg_bridge_reps_right": 9,
              "stance_hip_drop_left": True, "stance_hip_drop_right": False,
              "side_lying_hold_s_left": 15, "side_lying_hold_s_right": 30}


def signup_body(email: str) -> dict[str, Any]:
    return {"email": email, "password": PASSWORD, "display_name": "Server test", "role": "person",
            "accept_privacy_notice": True}


def person_with_program(base: str, email: str) -> dict[str, str]:
    """Sign up over the API, answer the safety check and the assessment; returns the bearer header."""
    import httpx

    from answers import CLEAR

    with httpx.Client(base_url=base, timeout=30) as http:
        r = http.post("/api/auth/signup", json=signup_body(email))
        assert r.status_code == 202, r.text
    with httpx.Client(base_url=base, timeout=30) as http:
        r = http.post("/api/auth/token", json={"email": email, "password": PASSWORD})
        assert r.status_code == 200, r.text
        auth = {"Authorization": f"Bearer {r.json()['access_token']}"}
        r = http.post("/api/screenings", json={"answers": {**CLEAR, "radiation": "none"}}, headers=auth)
        assert r.status_code == 201, r.text
        r = http.post("/api/assessments", json={"answers": ASSESSMENT}, headers=auth)
        assert r.status_code == 201, r.text
    return auth
