"""The real installed `backcoach` script, run as a subprocess with its own HOME and data directory."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from cli_helpers import ASSESSMENT, CLEAR, LEVELS, write

SCRIPT = Path(sys.executable).parent / "backcoach"


def run(tmp_path: Path, *args: str, database_url: str | None = "default", now: str | None = None):
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "BACKCOACH_DATABASE_URL", "BACKCOACH_NOW",
                                                             "BACKCOACH_PERSON", "BACKCOACH_DATA_DIR")}
    env.update(HOME=str(tmp_path / "home"), XDG_DATA_HOME=str(tmp_path / "xdg"), COLUMNS="100")
    if database_url == "default":
        env["DATABASE_URL"] = f"sqlite:///{tmp_path / 'sub.sqlite3'}"
    elif database_url is not None:
        env["DATABASE_URL"] = database_url
    if now:
        env["BACKCOACH_NOW"] = now
    return subprocess.run([str(SCRIPT), *args], env=env, cwd=tmp_path, capture_output=True, text=True, timeout=60)


@pytest.fixture(autouse=True)
def _script_installed() -> None:
    if not SCRIPT.exists():
        pytest.fail(f"the backcoach script is not installed next to {sys.executable} (pip install -e .)")


def test_onboarding_through_the_script_in_the_user_data_directory(tmp_path):
    """The installed script end to end, as a person runs it: no DATABASE_URL (the database is
    made in the user data directory), text and JSON through real pipes, exit code 3 when locked.
    Each command is covered in process (CliRunner) in test_cli_commands.py."""
    started = run(tmp_path, "start", "--screening", str(write(tmp_path, "s.json", CLEAR)),
                  "--assessment", str(write(tmp_path, "a.json", ASSESSMENT)), database_url=None,
                  now="2026-03-02T08:00:00+00:00")
    assert started.returncode == 0, started.stderr
    assert "Your program" in started.stdout and "backcoach today" in started.stdout
    assert (tmp_path / "xdg" / "backcoach" / "backcoach.sqlite3").exists()
    screened = run(tmp_path, "screen", "--answers", str(write(tmp_path, "u.json", LEVELS["urgent"])), "--json",
                   database_url=None)
    assert screened.returncode == 0, screened.stderr
    assert json.loads(screened.stdout)["level"] == "urgent"
    locked = run(tmp_path, "today", database_url=None)
    assert locked.returncode == 3 and "paused for your safety" in locked.stdout


def test_errors_are_one_line_with_exit_code_2(tmp_path):
    for args in (("scren",), ("screen", "--answers", "missing.json"), ("screen", "--answers", str(write(tmp_path, "b.json", "{")))):
        result = run(tmp_path, *args)
        assert result.returncode == 2, (args, result.stdout, result.stderr)
        assert len(result.stderr.strip().splitlines()) == 1 and result.stderr.startswith("error: ")
        assert "Traceback" not in result.stderr
