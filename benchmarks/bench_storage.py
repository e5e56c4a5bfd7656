"""What the two hand-written speed-ups of the storage layer buy (not a test), on SQLite in
process, in CPU time per session log:

- the statement cache of `storage/repositories.py` (`_cached`: the hottest selects built once
  with bound parameters) against building each select on every call, over the ten reads a
  session log makes (a person with 60 days of history);
- `UnitOfWork.add_all` (plain INSERTs, one executemany per kind) against the ORM's
  `session.add_all` + `flush`, for what a session log writes (2 pain entries, the log, 5 decisions).

    .venv/bin/python benchmarks/bench_storage.py [ROUNDS_PER_SET]

It prints three alternating rounds of each, so the machine's load hits both sides alike.
"""

from __future__ import annotations

import datetime as dt
import os
import sys
import tempfile
import time

from backcoach.storage import SqlAlchemyUnitOfWork, upgrade
from backcoach.storage import models as m
from backcoach.storage import repositories as r

url = f"sqlite:///{tempfile.mkdtemp(prefix='bench-storage-')}/bench.sqlite3"
upgrade(url)
T0 = dt.datetime(2026, 3, 2, 9, tzinfo=dt.timezone.utc)
NOW = T0 + dt.timedelta(days=60)


def person_with_history() -> int:
    with SqlAlchemyUnitOfWork(url) as u:
        pid = u.people.add(m.Person(display_name="A", created_at=T0)).id
        u.screenings.add(m.Screening(person_id=pid, at=T0, answers={}, level="clear", result={"reasons": []}))
        u.programs.add(m.ProgramRecord(person_id=pid, created_at=T0, updated_at=T0, program={}, phase="p1"))
        for day in range(60):
            at = T0 + dt.timedelta(days=day)
            u.pain.add(m.PainEntryRecord(person_id=pid, at=at, nprs=2, kind="daily"))
            u.sessions.add(m.SessionLog(person_id=pid, performed_on=at.date(), at=at,
                                        entries=[{"exercise_id": "x"}] * 5, decisions=[]))
            u.decisions.add_all([m.DecisionRecord(person_id=pid, at=at, exercise_id="x", action="hold", before={},
                                                  after={}, reasons=[]) for _ in range(5)])
        u.commit()
        return pid


def reads(u: SqlAlchemyUnitOfWork, pid: int) -> None:
    """The reads of one session log (services/sessions.py and the gate)."""
    u.sessions.get_by_idempotency_key("none")
    u.screenings.list_for(pid)
    u.clearances.latest(pid)
    u.pain.latest_new_symptoms(pid)
    u.programs.active_for(pid)
    u.sessions.recent_entries(pid, NOW.date() - dt.timedelta(days=42), 12)
    u.pain.last_id(pid)
    u.pain.first_of_each_kind(pid, 3, since=NOW - dt.timedelta(days=42))
    u.sessions.dates_for(pid)
    u.decisions.recent_actions(pid, 12)


def time_reads(pid: int, n: int) -> float:
    start = time.process_time()
    with SqlAlchemyUnitOfWork(url) as u:
        for _ in range(n):
            reads(u, pid)
    return (time.process_time() - start) / n * 1e6


def time_writes(pid: int, n: int, orm: bool) -> float:
    start = time.process_time()
    for _ in range(n):
        with SqlAlchemyUnitOfWork(url) as u:
            first = [m.PainEntryRecord(person_id=pid, at=NOW, nprs=2, kind="daily"),
                     m.PainEntryRecord(person_id=pid, at=NOW, nprs=2, kind="during"),
                     m.SessionLog(person_id=pid, performed_on=NOW.date(), at=NOW, entries=[], decisions=[])]
            then = [m.DecisionRecord(person_id=pid, at=NOW, exercise_id="x", action="hold", before={}, after={},
                                     reasons=[]) for _ in range(5)]
            if orm:
                u.session.add_all(first)
                u.session.flush()
                u.session.add_all(then)
                u.session.flush()
            else:
                u.add_all(first)
                u.add_all(then, ids=False)
            u.rollback()
    return (time.process_time() - start) / n * 1e6


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 300
    pid = person_with_history()
    cached = r._cached
    out: dict[str, list[float]] = {"reads, statements built once (_cached)": [], "reads, built on every call": [],
                                   "writes, UnitOfWork.add_all": [], "writes, ORM add_all + flush": []}
    for _ in range(3):
        out["reads, statements built once (_cached)"].append(time_reads(pid, n))
        r._cached = lambda key, build: build()
        try:
            out["reads, built on every call"].append(time_reads(pid, n))
        finally:
            r._cached = cached
        out["writes, UnitOfWork.add_all"].append(time_writes(pid, n // 2, orm=False))
        out["writes, ORM add_all + flush"].append(time_writes(pid, n // 2, orm=True))
    print(f"CPU per session log (µs), 3 rounds, load average {os.getloadavg()[0]:.1f}:")
    for name, values in out.items():
        print(f"  {name:<42}" + ", ".join(f"{v:.0f}" for v in values))


if __name__ == "__main__":
    main()
