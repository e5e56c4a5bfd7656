"""A short run of benchmarks/reliability.py (issue 10, finding 3): kill -9 of the whole server
under load while clients retry their writes with the same Idempotency-Key. Every acknowledged
write must be in the database, no retry refused, nothing stored twice. The long run is
`python benchmarks/reliability.py` (README: Security and reliability)."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

SCRIPT = Path(__file__).resolve().parents[3] / "benchmarks" / "reliability.py"


def _reliability():
    spec = importlib.util.spec_from_file_location("reliability", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    sys.modules["reliability"] = module  # its dataclasses look their module up
    spec.loader.exec_module(module)  # type: ignore[union-attr]
    return module


def test_kill_9_under_load_loses_and_refuses_no_retried_write():
    summary = _reliability().run(duration=6, kill_every=2.5, clients=4, workers=1, log=lambda *_: None)
    assert summary["kills"] >= 1
    assert summary["acknowledged"] > 0
    assert summary["lost"] == 0, summary
    assert summary["refused"] == 0, summary
    assert summary["duplicated"] == 0, summary
