"""Each CLI test gets its own SQLite file, data directory and HOME.

The file starts as a copy of one migrated database made once per session: running the
migrations takes longer than most CLI tests, and every test would run the same ones.
(`backcoach db upgrade` and the migrations themselves are tested on empty files.)
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any, Callable

import pytest
from typer.testing import CliRunner

from backcoach.cli import app


@pytest.fixture(scope="session")
def migrated_database(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from backcoach.storage.database import get_engine, upgrade

    path = tmp_path_factory.mktemp("cli-template") / "migrated.sqlite3"
    upgrade(f"sqlite:///{path}")
    get_engine(f"sqlite:///{path}").dispose()  # closing the last connection moves the WAL into the file
    assert not path.with_name(path.name + "-wal").exists()
    return path


@pytest.fixture
def env(tmp_path: Path, migrated_database: Path) -> dict[str, str | None]:
    database = tmp_path / "cli.sqlite3"
    shutil.copyfile(migrated_database, database)
    return {
        "DATABASE_URL": f"sqlite:///{database}",
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
