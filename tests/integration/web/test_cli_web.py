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
        deadline = time.monotonic() + 30
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
