"""`backcoach serve` (migrations on start, the app answering on the printed address) and
`backcoach create-admin`."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request

from backcoach.storage.database import head_revision


# How long a server may take to start before the test gives up: generous, as a busy 2-core machine
# (the suite's other worker, other jobs) has taken over 60 s to start two workers; the waits end as
# soon as the server answers, so the bound costs nothing when all is well.
STARTUP_S = 300


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_serve_migrates_and_answers_on_the_printed_address(tmp_path):
    port = _free_port()
    env = dict(os.environ, DATABASE_URL=f"sqlite:///{tmp_path}/serve.sqlite3", BACKCOACH_DATA_DIR=str(tmp_path))
    proc = subprocess.Popen(
        [sys.executable, "-c", "from backcoach.cli import main; main()", "serve", "--port", str(port)],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, start_new_session=True, text=True)
    try:
        deadline = time.monotonic() + STARTUP_S
        body = ""
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=2) as r:
                    body = r.read().decode()
                    break
            except OSError:
                time.sleep(0.2)
        assert "does not replace a clinician" in body
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/openapi.json", timeout=2) as r:
            assert b'"/api/sessions"' in r.read()
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        out, _ = proc.communicate(timeout=15)
    assert f"is at revision {head_revision()}" in out
    assert f"backcoach is running at http://127.0.0.1:{port}" in out


def test_create_admin_makes_an_administrator(tmp_path, monkeypatch):
    from typer.testing import CliRunner

    from backcoach.settings import get_settings

    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path}/admin.sqlite3")
    monkeypatch.setenv("BACKCOACH_DATA_DIR", str(tmp_path))
    get_settings.cache_clear()
    try:
        from backcoach.cli import app

        result = CliRunner().invoke(app, ["create-admin", "--email", "Boss@Example.org", "--name", "Boss"],
                                    input="a long admin password\na long admin password\n")
        assert result.exit_code == 0, result.output
        assert "Administrator boss@example.org created." in result.output
        from sqlalchemy import select

        from backcoach.storage.database import get_engine
        from backcoach.storage.models import User

        with get_engine(get_settings().database_url).connect() as conn:
            role = conn.execute(select(User.role).where(User.email == "boss@example.org")).scalar_one()
        assert role == "admin"
    finally:
        get_settings.cache_clear()


def _socket_fds(pid: int) -> int:
    fds = f"/proc/{pid}/fd"
    count = 0
    for fd in os.listdir(fds):
        try:
            count += os.readlink(os.path.join(fds, fd)).startswith("socket:")
        except FileNotFoundError:  # closed meanwhile
            pass
    return count


def _listening_sockets(port: int) -> int:
    """How many sockets listen on 127.0.0.1:port (each worker's own, once its app has started)."""
    count = 0
    with open("/proc/net/tcp") as table:
        for line in table.readlines()[1:]:
            fields = line.split()
            if fields[1].endswith(f":{port:04X}") and fields[3] == "0A":  # 0A: LISTEN
                count += 1
    return count


def _children(pid: int) -> list[int]:
    """The worker processes (not multiprocessing's resource tracker)."""
    with open(f"/proc/{pid}/task/{pid}/children") as f:
        children = [int(c) for c in f.read().split()]
    out = []
    for child in children:
        with open(f"/proc/{child}/cmdline", "rb") as f:
            if b"resource_tracker" not in f.read():
                out.append(child)
    return out


def test_serve_with_two_workers_spreads_connections_over_both_and_stops_cleanly(tmp_path):
    import http.client

    port = _free_port()
    env = dict(os.environ, DATABASE_URL=f"sqlite:///{tmp_path}/workers.sqlite3", BACKCOACH_DATA_DIR=str(tmp_path))
    proc = subprocess.Popen(
        [sys.executable, "-c", "from backcoach.cli import main; main()", "serve", "--port", str(port),
         "--workers", "2"], env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, start_new_session=True, text=True)
    connections: list[http.client.HTTPConnection] = []
    try:
        deadline = time.monotonic() + STARTUP_S
        while time.monotonic() < deadline:
            workers = _children(proc.pid)
            # Each worker listens only after its app has started (slow on a busy machine): wait for both,
            # or the kernel has one socket to give every connection to.
            if len(workers) == 2 and _listening_sockets(port) == 2:
                try:
                    with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/screening/questions", timeout=2):
                        pass
                except urllib.error.HTTPError:  # 401: answering
                    break
                except OSError:
                    pass
            time.sleep(0.2)
        workers = _children(proc.pid)
        assert len(workers) == 2 and _listening_sockets(port) == 2
        before = {w: _socket_fds(w) for w in workers}
        # 24 keep-alive connections opened at once (as a proxy or the load benchmark does), then each
        # answered once and kept open
        for _ in range(24):
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
            conn.connect()
            connections.append(conn)
        for conn in connections:
            conn.request("GET", "/api/screening/questions")
            assert conn.getresponse().read()
        gained = {w: _socket_fds(w) - before[w] for w in workers}
        assert sum(gained.values()) == 24
        assert all(n > 0 for n in gained.values()), gained  # the kernel spread them (all on one: 2 in 2**24)
    finally:
        for conn in connections:
            conn.close()
        os.killpg(proc.pid, signal.SIGTERM)
        out, _ = proc.communicate(timeout=30)
    assert proc.returncode == 0, out


def test_serve_on_a_port_in_use_says_so(tmp_path):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        env = dict(os.environ, DATABASE_URL=f"sqlite:///{tmp_path}/busy.sqlite3", BACKCOACH_DATA_DIR=str(tmp_path))
        done = subprocess.run(
            [sys.executable, "-c", "from backcoach.cli import main; main()", "serve", "--port", str(port),
             "--workers", "2"], env=env, capture_output=True, text=True, timeout=STARTUP_S)
    assert done.returncode == 1
    assert f"Cannot listen on 127.0.0.1:{port}" in done.stderr and "another --port" in done.stderr


def test_the_port_is_refused_when_another_server_shares_it_with_so_reuseport():
    import pytest

    from backcoach.web.workers import PortUnavailable, reserve_port, reuse_port_socket

    other = reuse_port_socket("127.0.0.1", 0)  # another server that also uses SO_REUSEPORT
    other.listen()
    try:
        with pytest.raises(PortUnavailable):
            reserve_port("127.0.0.1", other.getsockname()[1])
    finally:
        other.close()
    free = reserve_port("127.0.0.1", _free_port())
    free.close()


def test_serve_gives_up_when_the_workers_keep_dying(tmp_path):
    # A setting only the workers read (an invalid thread count) makes every worker exit at start.
    env = dict(os.environ, DATABASE_URL=f"sqlite:///{tmp_path}/dying.sqlite3", BACKCOACH_DATA_DIR=str(tmp_path),
               BACKCOACH_WEB_THREADS="many")
    done = subprocess.run(
        [sys.executable, "-c", "from backcoach.cli import main; main()", "serve", "--port", str(_free_port()),
         "--workers", "2"], env=env, capture_output=True, text=True, timeout=STARTUP_S)
    assert done.returncode == 1
    assert "the web workers keep stopping right after they start" in done.stderr
