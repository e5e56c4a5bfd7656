"""The real app served by uvicorn on a free loopback port with a fresh SQLite file, and
Debian's headless Chromium driven by Playwright (never `playwright install`)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any, Iterator

import pytest
from server_support import app_in_thread

CHROMIUM = os.environ.get("BACKCOACH_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
SCREENSHOTS = os.environ.get("BACKCOACH_SCREENSHOTS")  # a folder to keep page screenshots in (optional)



@pytest.fixture(scope="session")
def server_database(tmp_path_factory: pytest.TempPathFactory) -> str:
    """The SQLite file the e2e server uses (tests reach it to do what the command line does)."""
    return f"sqlite:///{tmp_path_factory.mktemp('e2e')}/e2e.sqlite3"


@pytest.fixture(scope="session")
def server(server_database: str) -> Iterator[str]:
    from backcoach.settings import Settings
    from backcoach.web import WebOptions, create_app

    data = Path(server_database.removeprefix("sqlite:///")).parent
    settings = Settings(database_url=server_database, secret_key="e2e-secret", data_dir=data)
    app = create_app(settings, WebOptions(fast_password_hash=True))
    with app_in_thread(app) as port:
        yield f"http://127.0.0.1:{port}"


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    if not Path(CHROMIUM).exists():
        if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
            pytest.fail(f"Chromium is required in CI ({CHROMIUM} is missing; scripts/test.sh installs it)")
        pytest.skip(f"{CHROMIUM} is missing (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield b
        finally:
            b.close()


@pytest.fixture()
def new_page(browser: Any) -> Iterator[Any]:
    """Pages at phone or desktop size; any console error (e.g. a CSP refusal) fails the test."""
    contexts = []
    console_errors: list[str] = []

    def make(phone: bool = False) -> Any:
        ctx = browser.new_context(viewport={"width": 390, "height": 844} if phone else {"width": 1280, "height": 900},
                                  device_scale_factor=1)
        ctx.set_default_timeout(15_000)
        contexts.append(ctx)
        page = ctx.new_page()
        page.on("console", lambda msg: console_errors.append(msg.text) if msg.type == "error" else None)
        page.on("pageerror", lambda exc: console_errors.append(str(exc)))
        return page

    yield make
    for c in contexts:
        c.close()
    # 4xx pages are expected in some tests; script errors and CSP refusals are not
    problems = [e for e in console_errors if "status of 4" not in e]
    assert problems == [], problems


def run_cli(database_url: str, *args: str, input: str | None = None) -> Any:
    """`backcoach ARGS` on the server's database, in process (e.g. `clinicians approve EMAIL`)."""
    from typer.testing import CliRunner

    from backcoach.cli import app

    result = CliRunner().invoke(app, list(args), env={"DATABASE_URL": database_url}, input=input)
    assert result.exit_code == 0, (result.stdout, result.stderr)
    return result


@pytest.fixture(scope="session")
def approve_clinician(server_database: str) -> Any:
    """What an administrator does: `backcoach clinicians approve EMAIL` on the server's database."""
    return lambda email: run_cli(server_database, "clinicians", "approve", email)


def shot(page: Any, name: str) -> None:
    if SCREENSHOTS:
        Path(SCREENSHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(SCREENSHOTS) / f"{name}.png"), full_page=True)
