"""Where the suite's CPU goes, on a shared machine where wall time says more about the
neighbours than about the tests. Not a test; a tool for whoever makes the suite quicker.

    PYTHONPATH=tests BACKCOACH_TEST_CPU_LOG=/tmp/cpu.tsv \\
        .venv/bin/python tests/cpu_report.py run bash scripts/test.sh -p cpu_report
    .venv/bin/python tests/cpu_report.py show /tmp/cpu.tsv     # the costliest files and tests

`run` runs a command as a child subreaper and waits for every process below it, so the CPU it
prints includes processes that outlived their parents (Chromium's, when Playwright ends it
without waiting). The plugin (`-p cpu_report`, with BACKCOACH_TEST_CPU_LOG) writes one line a
test: the CPU of the pytest process and every process below it (Chromium, Celery workers,
servers), fixtures' set-up and tear-down included, read from /proc at the test's start and end
and every half second between (a process that ends between two readings loses what it spent
after the last one). Servers outside the tree (PostgreSQL, Redis) are not counted. Linux only.
"""

from __future__ import annotations

import ctypes
import os
import subprocess
import sys
import threading
import time
from collections import defaultdict
from pathlib import Path
from typing import Iterator

import pytest

_TICK = os.sysconf("SC_CLK_TCK")


def _children(pid: int) -> list[int]:
    out: list[int] = []
    try:
        tids = os.listdir(f"/proc/{pid}/task")
    except OSError:
        return out
    for tid in tids:
        try:
            out += [int(c) for c in Path(f"/proc/{pid}/task/{tid}/children").read_text().split()]
        except OSError:
            pass
    return out


class TreeCpu:
    """CPU seconds of this process and of every process ever seen below it (each at its last reading)."""

    def __init__(self) -> None:
        self._seen: dict[tuple[int, str], float] = {}  # (pid, start time) -> utime + stime
        self._lock = threading.Lock()

    def read(self) -> float:
        todo = _children(os.getpid())
        now: dict[tuple[int, str], float] = {}
        while todo:
            pid = todo.pop()
            try:
                fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            now[(pid, fields[19])] = (int(fields[11]) + int(fields[12])) / _TICK
            todo += _children(pid)
        t = os.times()
        with self._lock:
            self._seen.update(now)
            return t.user + t.system + sum(self._seen.values())


_tree = TreeCpu()
_running = threading.Event()


def _sample_while_running() -> None:
    while True:
        _running.wait()
        _tree.read()
        time.sleep(0.5)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_protocol(item: pytest.Item, nextitem: pytest.Item | None) -> Iterator[None]:
    log = os.environ.get("BACKCOACH_TEST_CPU_LOG")
    if not log:
        yield
        return
    if not getattr(_sample_while_running, "started", False):
        threading.Thread(target=_sample_while_running, daemon=True, name="cpu_report").start()
        _sample_while_running.started = True  # type: ignore[attr-defined]
    c0, w0 = _tree.read(), time.monotonic()
    _running.set()
    try:
        yield
    finally:
        _running.clear()
        c1, w1 = _tree.read(), time.monotonic()
        worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
        with open(log, "a", encoding="utf-8") as f:
            f.write(f"{worker}\t{item.nodeid}\t{c1 - c0:.2f}\t{w1 - w0:.2f}\t{time.time():.1f}\n")


def run(cmd: list[str]) -> int:
    """Run `cmd`, reap everything below it (PR_SET_CHILD_SUBREAPER), print the CPU it all used."""
    ctypes.CDLL(None, use_errno=True).prctl(36, 1, 0, 0, 0)  # PR_SET_CHILD_SUBREAPER
    w0 = time.monotonic()
    code = subprocess.call(cmd)
    while True:
        try:
            os.wait()
        except ChildProcessError:
            break
    t = os.times()
    print(f"cpu_report: {t.children_user + t.children_system:.0f} s CPU ({t.children_user:.0f} user, "
          f"{t.children_system:.0f} system), {time.monotonic() - w0:.0f} s wall, exit {code}", file=sys.stderr)
    return code


def show(path: str, top: int = 30) -> None:
    rows = [line.rstrip("\n").split("\t") for line in open(path, encoding="utf-8") if line.strip()]
    tests = [(float(cpu), float(wall), worker, nodeid, float(end)) for worker, nodeid, cpu, wall, end in rows]
    by_file: dict[str, list[float]] = defaultdict(lambda: [0.0, 0.0, 0])
    by_worker: dict[str, list[float]] = defaultdict(lambda: [0.0, 0.0, float("inf"), 0.0])
    for cpu, wall, worker, nodeid, end in tests:
        f = by_file[nodeid.split("::")[0]]
        f[0] += cpu
        f[1] += wall
        f[2] += 1
        w = by_worker[worker]
        w[0] += cpu
        w[1] += wall
        w[2] = min(w[2], end - wall)
        w[3] = max(w[3], end)
    print(f"{len(tests)} tests, {sum(t[0] for t in tests):.0f} s CPU in the pytest process trees")
    for worker, (cpu, wall, start, end) in sorted(by_worker.items()):
        print(f"  {worker}: {cpu:.0f} s CPU, {wall:.0f} s in tests, first start to last end {end - start:.0f} s")
    print("\ncostliest files (CPU s, wall s, tests):")
    for name, (cpu, wall, n) in sorted(by_file.items(), key=lambda kv: -kv[1][0])[:top]:
        print(f"{cpu:8.1f} {wall:8.1f} {n:5d}  {name}")
    print("\ncostliest tests (CPU s, wall s):")
    for cpu, wall, _worker, nodeid, _end in sorted(tests, reverse=True)[:top]:
        print(f"{cpu:8.1f} {wall:8.1f}  {nodeid}")


if __name__ == "__main__":
    if sys.argv[1:2] == ["run"]:
        sys.exit(run(sys.argv[2:]))
    if sys.argv[1:2] == ["show"]:
        show(sys.argv[2], *(int(a) for a in sys.argv[3:4]))
    else:
        sys.exit(__doc__)
