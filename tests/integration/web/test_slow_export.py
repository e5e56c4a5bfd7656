"""A slow export does not hold up the other requests of its worker (issue 13).

The PDF report here is a fake that waits until the test lets it go, so the check does not
depend on timing: while the export is stuck, a database read (the person's pain entries),
a page and a static file must still be answered. A worker that ran the export on its event
loop, or on the only thread its other requests wait for, answers none of them until the
export ends, so the generous bound (20 s) is never the thing measured."""

from __future__ import annotations

import threading
import uuid
from typing import Any

import httpx
import pytest
from server_support import app_in_thread

from backcoach.settings import Settings
from backcoach.web import WebOptions, create_app

from .conftest import person_with_program

BOUND_S = 20.0


@pytest.fixture()
def stuck_export(monkeypatch: pytest.MonkeyPatch) -> dict[str, threading.Event]:
    from backcoach.services import exports

    events = {"started": threading.Event(), "release": threading.Event()}

    def report_pdf(*args: Any, **kwargs: Any) -> bytes:
        events["started"].set()
        events["release"].wait(60)
        return b"%PDF-1.4 fake"

    monkeypatch.setattr(exports, "report_pdf", report_pdf)
    return events


def test_other_requests_are_answered_while_a_pdf_export_runs(tmp_path, stuck_export) -> None:
    settings = Settings(database_url=f"sqlite:///{tmp_path}/slow.sqlite3", secret_key="slow-" + uuid.uuid4().hex,
                        data_dir=tmp_path)
    app = create_app(settings, WebOptions(fast_password_hash=True, cookie_secure=False))
    user = person_with_program(app)
    auth = {"Authorization": f"Bearer {user.token}"}
    with app_in_thread(app, log_level="critical") as port:
        base = f"http://127.0.0.1:{port}"
        export: dict[str, Any] = {}

        def download() -> None:
            with httpx.Client(base_url=base, timeout=90) as client:
                export["response"] = client.get("/api/me/export/report.pdf", headers=auth)

        downloader = threading.Thread(target=download)
        downloader.start()
        try:
            assert stuck_export["started"].wait(BOUND_S), "the export did not start"
            with httpx.Client(base_url=base, timeout=BOUND_S) as client:
                pain = client.get("/api/pain", headers=auth)
                page = client.get("/login")
                static = client.get("/static/css/app.css")
            assert (pain.status_code, page.status_code, static.status_code) == (200, 200, 200)
            assert "response" not in export  # all of that while the export was still running
        finally:
            stuck_export["release"].set()
            downloader.join(BOUND_S)
    assert export["response"].status_code == 200
    assert export["response"].content == b"%PDF-1.4 fake"
