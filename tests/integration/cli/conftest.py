"""Each CLI test gets its own SQLite file, data directory and HOME."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Callable

import pytest
from typer.testing import CliRunner

from backcoach.cli import app


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str | None]:
    return {
        "DATABASE_URL": f"sqlite:///{tmp_path / 'cli.sqlite3'}",
        "HOME": str(tmp_path / "home"),
        "XDG_DATA_HOME": str(tmp_path / "data"),
        "BACKCOACH_PERSON": None,
        "BACKCOACH_NOW": None,
    }


@pytest.fixture
def cli(env: dict[str, str | None]) -> Callable[..., Any]:
    """Run `backcoach ARGS` in process; `now=` sets the clock (BACKCOACH_NOW)."""
    runner = CliRunner()

    def run(*args: str, now: str | None = None, input: str | None = None) -> Any:
        e = dict(env)
        if now:
            e["BACKCOACH_NOW"] = now
        return runner.invoke(app, list(args), env=e, input=input)

    return run
