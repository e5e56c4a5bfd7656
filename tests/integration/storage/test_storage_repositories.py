"""The repositories and units of work behave the same on the fake, SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
import json
import threading
from typing import Any, Callable

import pytest
from sqlalchemy import inspect, text

from backcoach.storage import Conflict, DatabaseUnavailable, SqlAlchemyUnitOfWork, get_engine, upgrade, upgrade_if_behind
from backcoach.storage import models as m
from backcoach.storage.database import current_revision, head_revision

T0 = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.timezone.utc)

ALL_TABLES = {
    "people", "screenings", "assessments", "programs", "session_logs", "pain_entries", "decisions",
    "clearances", "users", "clinician_assignments", "invitations", "audit_log", "outcome_responses",
}


def at(days: float = 0, hours: float = 0) -> dt.datetime:
    return T0 + dt.timedelta(days=days, hours=hours)


def add_person(make_uow: Callable[[], Any], name: str = "Ana") -> int:
    with make_uow() as uow:
        p = uow.people.add(m.Person(display_name=name, created_at=at(), onset_date=dt.date(2026, 2, 1)))
        uow.commit()
        return p.id


def test_migrations_create_every_table_and_reach_head(sql_url: str) -> None:
    assert upgrade(sql_url) == head_revision()
    engine = get_engine(sql_url)
    assert ALL_TABLES <= set(inspect(engine).get_table_names())
    assert current_revision(engine) == head_revision()
    assert upgrade(sql_url) == head_revision()  # running it again changes nothing


def test_migrations_go_down_and_up_again(tmp_path: Any) -> None:
    from alembic import command

    from backcoach.storage.database import alembic_config

    url = f"sqlite:///{tmp_path / 'updown.sqlite3'}"
    upgrade(url)
    command.downgrade(alembic_config(url, get_engine(url)), "base")
    assert not ALL_TABLES & set(inspect(get_engine(url)).get_table_names())
    assert upgrade(url) == head_revision()


def test_screens_stored_before_version_2_keep_rule_version_1_and_are_shown_as_decided(tmp_path: Any) -> None:
    """An old screen (v1 rules: both legs alone was urgent) is never re-screened with the v2 rules."""
    from alembic import command

    from backcoach.services.screening import stored_result
    from backcoach.storage.database import alembic_config

    url = f"sqlite:///{tmp_path / 'old.sqlite3'}"
    engine = get_engine(url)
    command.upgrade(alembic_config(url, engine), "0003")
    old_result = {"level": "urgent", "program_allowed": False, "next_step": "See a doctor within 24 hours.",
                  "reasons": [{"item": "legs_affected", "level": "urgent", "message": "Both legs."}]}
    with engine.begin() as conn:
        conn.execute(text("INSERT INTO people (id, display_name, created_at, onset_date) "
                          "VALUES (1, 'Old', '2026-01-01 09:00:00', '2026-01-01')"))
        conn.execute(text("INSERT INTO screenings (person_id, at, answers, level, result) VALUES "
                          "(1, '2026-01-02 09:00:00', :answers, 'urgent', :result)"),
                     {"answers": '{"legs_affected": "both", "radiation": "buttock"}',
                      "result": json.dumps(old_result)})
    assert upgrade(url) == head_revision()
    with SqlAlchemyUnitOfWork(url) as uow:
        rec = uow.screenings.latest(1)
        assert rec.rule_version == 1
        shown = stored_result(rec)
        assert shown["rule_version"] == 1 and shown["level"] == "urgent" and shown["reasons"] == old_result["reasons"]
        rows = uow.screenings.list_for(1)
        assert rows[0].rule_version == 1


def test_autogenerate_on_a_fresh_database_proposes_nothing(tmp_path: Any, request: pytest.FixtureRequest,
                                                            backend_name: str) -> None:
    """Every table (the web app's too) is in the models the migrations env sees, and the
    migrations build exactly those models: autogenerate after `upgrade head` finds no difference."""
    from alembic import command
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext

    from backcoach.storage.database import alembic_config
    from backcoach.storage.models import Base

    if backend_name == "sqlite":
        url = f"sqlite:///{tmp_path / 'fresh.sqlite3'}"
    else:
        url = request.getfixturevalue("postgres_url")  # a fresh database, made by `upgrade head`
    upgrade(url)
    assert {"web_sessions", "web_login_attempts", "web_idempotency"} <= set(Base.metadata.tables)
    with get_engine(url).connect() as conn:
        assert compare_metadata(MigrationContext.configure(conn, opts={"compare_type": True}), Base.metadata) == []
    command.check(alembic_config(url))  # the same through the packaged alembic.ini and env.py (raises on a difference)


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def backend_name(request: pytest.FixtureRequest) -> str:
    return request.param


def test_the_packaged_alembic_ini_is_where_the_package_data_ships_it() -> None:
    import tomllib
    from pathlib import Path

    from backcoach.storage.database import MIGRATIONS_DIR

    assert (MIGRATIONS_DIR / "alembic.ini").is_file()
    pyproject = tomllib.loads((Path(__file__).parents[3] / "pyproject.toml").read_text())
    assert "storage/migrations/*.ini" in pyproject["tool"]["setuptools"]["package-data"]["backcoach"]


def test_records_round_trip_with_utc_times_and_json(make_uow: Callable[[], Any]) -> None:
    pid = add_person(make_uow)
    local = dt.timezone(dt.timedelta(hours=2))
    with make_uow() as uow:
        uow.screenings.add(m.Screening(person_id=pid, at=at(0).astimezone(local), answers={"age": 40, "fever_or_chills": False},
                                       level="clear", result={"level": "clear", "reasons": []}))
        uow.screenings.add(m.Screening(person_id=pid, at=at(1), answers={"age": 40}, level="urgent",
                                       result={"level": "urgent", "reasons": [{"item": "x", "level": "urgent", "message": "m"}]}))
        uow.commit()
    with make_uow() as uow:
        latest = uow.screenings.latest(pid)
        assert latest.level == "urgent" and latest.at == at(1)
        assert latest.at.tzinfo is not None and latest.at.utcoffset() == dt.timedelta(0)
        oldest = uow.screenings.list_for(pid)[-1]
        assert oldest.answers == {"age": 40, "fever_or_chills": False}
        assert oldest.at == at(0)
        assert [s.level for s in uow.screenings.list_for(pid, limit=1)] == ["urgent"]
        assert uow.people.get(pid).onset_date == dt.date(2026, 2, 1)


def test_leaving_without_commit_saves_nothing(make_uow: Callable[[], Any]) -> None:
    pid = add_person(make_uow)
    with make_uow() as uow:
        uow.pain.add(m.PainEntryRecord(person_id=pid, at=at(), nprs=4, kind="daily"))
    with make_uow() as uow:
        assert uow.pain.list_for(pid) == []


def test_an_error_inside_rolls_back(make_uow: Callable[[], Any]) -> None:
    pid = add_person(make_uow)
    with pytest.raises(RuntimeError):
        with make_uow() as uow:
            uow.pain.add(m.PainEntryRecord(person_id=pid, at=at(), nprs=4, kind="daily"))
            raise RuntimeError("boom")
    with make_uow() as uow:
        assert uow.pain.list_for(pid) == []


def test_time_series_order_and_since(make_uow: Callable[[], Any]) -> None:
    pid = add_person(make_uow)
    with make_uow() as uow:
        for day, n in [(2, 3), (0, 5), (1, 4)]:
            uow.pain.add(m.PainEntryRecord(person_id=pid, at=at(day), nprs=n, kind="daily"))
            uow.sessions.add(m.SessionLog(person_id=pid, performed_on=at(day).date(), at=at(day), entries=[{"d": day}]))
        uow.commit()
    with make_uow() as uow:
        assert [p.nprs for p in uow.pain.list_for(pid)] == [5, 4, 3]
        assert [p.nprs for p in uow.pain.list_for(pid, since=at(1))] == [4, 3]
        assert [s.entries[0]["d"] for s in uow.sessions.list_for(pid)] == [0, 1, 2]
        assert [s.entries[0]["d"] for s in uow.sessions.list_for(pid, since=at(1).date())] == [1, 2]


def test_recent_session_entries_newest_first_with_since_and_limit(make_uow: Callable[[], Any]) -> None:
    pid, other = add_person(make_uow), add_person(make_uow, "Bo")
    with make_uow() as uow:
        for day, hour in [(2, 0), (0, 0), (2, 5), (1, 0)]:
            uow.sessions.add(m.SessionLog(person_id=pid, performed_on=at(day).date(), at=at(day, hour),
                                          entries=[{"d": day, "h": hour}]))
        uow.sessions.add(m.SessionLog(person_id=other, performed_on=at(3).date(), at=at(3), entries=[{"d": 3}]))
        uow.commit()
    with make_uow() as uow:
        everything = uow.sessions.recent_entries(pid, at(0).date(), None)
        assert [(on, e[0]["d"], e[0]["h"]) for on, e in everything] == [
            (at(2).date(), 2, 5), (at(2).date(), 2, 0), (at(1).date(), 1, 0), (at(0).date(), 0, 0)]
        assert [e[0]["h"] for _, e in uow.sessions.recent_entries(pid, at(0).date(), 2)] == [5, 0]
        assert [e[0]["d"] for _, e in uow.sessions.recent_entries(pid, at(1).date(), 10)] == [2, 2, 1]
        assert uow.sessions.recent_entries(pid, at(3).date(), None) == []


def test_same_idempotency_key_twice_is_a_conflict_and_keeps_the_first(make_uow: Callable[[], Any]) -> None:
    pid = add_person(make_uow)
    with make_uow() as uow:
        uow.sessions.add(m.SessionLog(person_id=pid, performed_on=at().date(), at=at(), entries=[1], idempotency_key="form-1"))
        uow.commit()
    with pytest.raises(Conflict):
        with make_uow() as uow:
            uow.sessions.add(m.SessionLog(person_id=pid, performed_on=at().date(), at=at(), entries=[2], idempotency_key="form-1"))
            uow.commit()
    with make_uow() as uow:
        assert [s.entries for s in uow.sessions.list_for(pid)] == [[1]]
        assert uow.sessions.get_by_idempotency_key("form-1").entries == [1]
        # sessions without a key never clash
        uow.sessions.add(m.SessionLog(person_id=pid, performed_on=at().date(), at=at(), entries=[3]))
        uow.sessions.add(m.SessionLog(person_id=pid, performed_on=at().date(), at=at(), entries=[4]))
        uow.commit()
    with make_uow() as uow:
        assert len(uow.sessions.list_for(pid)) == 3


def test_programs_active_and_decisions_newest_first(make_uow: Callable[[], Any]) -> None:
    pid = add_person(make_uow)
    with make_uow() as uow:
        first = uow.programs.add(m.ProgramRecord(person_id=pid, created_at=at(0), updated_at=at(0), active=True,
                                                 program={"phase": "activation"}, phase="activation"))
        uow.commit()
    with make_uow() as uow:
        for p in uow.programs.list_for(pid):
            p.active = False
        uow.programs.add(m.ProgramRecord(person_id=pid, created_at=at(1), updated_at=at(1), active=True,
                                         program={"phase": "strengthening"}, phase="strengthening"))
        for i in range(3):
            uow.decisions.add(m.DecisionRecord(person_id=pid, at=at(i), exercise_id="glute_bridge", action="hold",
                                               before={"sets": i}, after={"sets": i}, reasons=[f"r{i}"]))
        uow.commit()
    with make_uow() as uow:
        active = uow.programs.active_for(pid)
        assert active.phase == "strengthening" and active.id != first.id
        assert [p.phase for p in uow.programs.list_for(pid)] == ["strengthening", "activation"]
        assert [d.reasons for d in uow.decisions.list_for(pid, limit=2)] == [["r2"], ["r1"]]
        assert uow.decisions.list_for(pid)[0].source == "rule"


def _person_with_a_program(make_uow: Callable[[], Any]) -> tuple[int, Any]:
    """A person and their active program record (version 1), for the compare-and-set writes."""
    pid = add_person(make_uow)
    with make_uow() as uow:
        rec = uow.programs.add(m.ProgramRecord(person_id=pid, created_at=at(0), updated_at=at(0), active=True,
                                               program={"phase": "activation"}, phase="activation"))
        uow.commit()
    return pid, rec


def test_program_written_back_only_if_it_and_the_pain_series_are_unchanged(make_uow: Callable[[], Any]) -> None:
    pid, rec = _person_with_a_program(make_uow)
    values = {"program": {"phase": "activation"}, "phase": "activation", "updated_at": at(1)}
    with make_uow() as uow:  # no pain entry yet: None is what was read
        assert uow.programs.update_if_unchanged(rec.id, 1, newest_pain=(pid, None), **values)
        uow.commit()
    with make_uow() as uow:
        entry = uow.pain.add(m.PainEntryRecord(person_id=pid, at=at(1), nprs=3, kind="daily"))
        uow.commit()
    with make_uow() as uow:
        assert not uow.programs.update_if_unchanged(rec.id, 2, newest_pain=(pid, None), **values)  # an entry came
        assert not uow.programs.update_if_unchanged(rec.id, 1, newest_pain=(pid, entry.id), **values)  # old version
        assert uow.programs.update_if_unchanged(rec.id, 2, newest_pain=(pid, entry.id), **values)
        assert uow.programs.update_if_unchanged(rec.id, 3, **values)  # the version alone
        uow.commit()
    with make_uow() as uow:
        assert uow.programs.active_row(pid).version == 4


def test_program_written_back_only_if_no_screen_came_since(make_uow: Callable[[], Any]) -> None:
    pid, rec = _person_with_a_program(make_uow)
    values = {"program": {"phase": "activation"}, "phase": "activation", "updated_at": at(1)}
    with make_uow() as uow:  # no screen yet: None is what was read
        assert uow.programs.update_if_unchanged(rec.id, 1, newest_screening=(pid, None), **values)
        uow.commit()
    with make_uow() as uow:
        screen = uow.screenings.add(m.Screening(person_id=pid, at=at(1), answers={}, level="urgent", result={}))
        uow.commit()
    with make_uow() as uow:
        assert not uow.programs.update_if_unchanged(rec.id, 2, newest_screening=(pid, None), **values)  # a screen came
        assert uow.programs.update_if_unchanged(rec.id, 2, newest_screening=(pid, screen.id),
                                                newest_pain=(pid, None), **values)
        uow.commit()
    with make_uow() as uow:
        assert uow.programs.active_row(pid).version == 3


def test_clearance_latest(make_uow: Callable[[], Any]) -> None:
    pid = add_person(make_uow)
    with make_uow() as uow:
        s = uow.screenings.add(m.Screening(person_id=pid, at=at(), answers={}, level="urgent", result={}))
        uow.clearances.add(m.Clearance(person_id=pid, at=at(1), by_name="Dr A", note="ok", screening_id=s.id))
        uow.clearances.add(m.Clearance(person_id=pid, at=at(2), by_name="Dr B", note="ok", screening_id=s.id))
        uow.commit()
    with make_uow() as uow:
        assert uow.clearances.latest(pid).by_name == "Dr B"
        assert [c.by_name for c in uow.clearances.list_for(pid)] == ["Dr B", "Dr A"]


def test_person_with_active_program_gate_records_and_idempotency_key_in_one_read(make_uow: Callable[[], Any]) -> None:
    pid, other = add_person(make_uow), add_person(make_uow, "Bo")
    with make_uow() as uow:
        found = uow.people.with_program_and_gate(pid)
        assert (found.person.display_name, found.person.onset_date, found.program, found.key_used) == (
            "Ana", dt.date(2026, 2, 1), None, False)
        assert found.person.created_at == at() and found.gate == ([], None, None)
        for day, active, phase in [(0, False, "activation"), (1, True, "activation"), (2, True, "strengthening"),
                                   (3, False, "maintenance")]:
            uow.programs.add(m.ProgramRecord(person_id=pid, created_at=at(day), updated_at=at(day), active=active,
                                             program={"phase": phase, "day": day}, phase=phase))
        uow.programs.add(m.ProgramRecord(person_id=other, created_at=at(5), updated_at=at(5), active=True,
                                         program={"phase": "other"}, phase="activation"))
        uow.sessions.add(m.SessionLog(person_id=other, performed_on=at().date(), at=at(), entries=[1],
                                      idempotency_key="form-1"))
        uow.commit()
    columns = m.ProgramRecord.__table__.c.keys()
    with make_uow() as uow:  # no screening yet
        found = uow.people.with_program_and_gate(pid)
        active = uow.programs.active_row(pid)
        # the newest active program, with every column as active_row reads it
        assert found.program.program == {"phase": "strengthening", "day": 2}
        assert {k: getattr(found.program, k) for k in columns} == {k: getattr(active, k) for k in columns}
        assert (found.person.id, found.person.display_name, found.gate) == (pid, "Ana", ([], None, None))
        # the key asked about: used by someone (whoever it was), or not
        assert uow.people.with_program_and_gate(pid, session_key="form-1").key_used is True
        assert uow.people.with_program_and_gate(pid, session_key="form-2").key_used is False
        assert uow.people.with_program_and_gate(pid, session_key="form-2").program.id == found.program.id
        # no such person: nothing, whatever the key
        assert uow.people.with_program_and_gate(pid + 1000, session_key="form-1") == (None, None, ([], None, None), False)
        for day, level in [(1, "clear"), (3, "urgent"), (2, "clear")]:  # screened, cleared, new symptoms
            s = uow.screenings.add(m.Screening(person_id=pid, at=at(day), answers={"d": day}, level=level, result={}))
        uow.clearances.add(m.Clearance(person_id=pid, at=at(4), by_name="Dr A", note="ok", screening_id=s.id))
        uow.pain.add(m.PainEntryRecord(person_id=pid, at=at(5), nprs=5, kind="daily", new_symptoms=True))
        uow.commit()
    with make_uow() as uow:  # the gate's records as for_gate reads them, the program as before
        found = uow.people.with_program_and_gate(pid, session_key="form-1")
        assert found.gate == uow.screenings.for_gate(pid)
        assert [s.answers["d"] for s in found.gate.screenings] == [3, 2, 1]
        assert (found.gate.clearance.by_name, found.gate.new_symptoms_at) == ("Dr A", at(5))
        assert {k: getattr(found.program, k) for k in columns} == {k: getattr(active, k) for k in columns}
        assert found.key_used is True and found.person.display_name == "Ana"
        assert uow.people.with_program_and_gate(other).program.program == {"phase": "other"}


def test_gate_records_in_one_read(make_uow: Callable[[], Any]) -> None:
    pid, other = add_person(make_uow), add_person(make_uow, "Bo")
    with make_uow() as uow:  # nothing stored yet
        assert uow.screenings.for_gate(pid) == ([], None, None)
        assert uow.screenings.for_gate(pid + 1000) == ([], None, None)
        uow.clearances.add(m.Clearance(person_id=pid, at=at(0), by_name="Dr Early", note="seen"))
        uow.pain.add(m.PainEntryRecord(person_id=pid, at=at(0, 1), nprs=4, kind="daily", new_symptoms=True))
        uow.commit()
    with make_uow() as uow:  # a clearance and new symptoms before any screen
        records = uow.screenings.for_gate(pid)
        assert (records.screenings, records.clearance.by_name, records.new_symptoms_at) == ([], "Dr Early", at(0, 1))
        ids = []
        for day, level in [(1, "urgent"), (3, "clear"), (2, "emergency")]:
            ids.append(uow.screenings.add(m.Screening(person_id=pid, at=at(day), answers={"d": day}, level=level,
                                                      result={"reasons": [{"item": "x", "level": level}]})).id)
        uow.screenings.add(m.Screening(person_id=other, at=at(4), answers={}, level="clear", result={}))
        uow.clearances.add(m.Clearance(person_id=pid, at=at(2, 1), by_name="Dr A", note="ok", screening_id=ids[2],
                                       ruled_out="cauda equina", seen_where="clinic"))
        uow.clearances.add(m.Clearance(person_id=pid, at=at(2, 2), by_name="Dr B", note="ok", screening_id=ids[2]))
        uow.clearances.add(m.Clearance(person_id=other, at=at(5), by_name="Dr Other", note="ok"))
        for hours, new in [(2, True), (3, True), (4, False)]:
            uow.pain.add(m.PainEntryRecord(person_id=pid, at=at(3, hours), nprs=5, kind="daily", new_symptoms=new))
        uow.pain.add(m.PainEntryRecord(person_id=other, at=at(6), nprs=5, kind="daily", new_symptoms=True))
        uow.commit()
    with make_uow() as uow:
        records = uow.screenings.for_gate(pid)
        listed = uow.screenings.list_for(pid)
        columns = m.Screening.__table__.c.keys()
        assert [{k: getattr(s, k) for k in columns} for s in records.screenings] == [
            {k: getattr(s, k) for k in columns} for s in listed]
        assert [s.level for s in records.screenings] == ["clear", "emergency", "urgent"]
        latest = uow.clearances.latest(pid)
        assert records.clearance.by_name == "Dr B"
        assert {k: getattr(records.clearance, k) for k in m.Clearance.__table__.c.keys()} == {
            k: getattr(latest, k) for k in m.Clearance.__table__.c.keys()}
        assert records.new_symptoms_at == uow.pain.latest_new_symptoms(pid).at == at(3, 3)
        assert records.new_symptoms_at.tzinfo is not None
        assert uow.screenings.for_gate(other).clearance.by_name == "Dr Other"


def test_recent_session_entries_with_every_session_day_in_one_read(make_uow: Callable[[], Any]) -> None:
    pid, other = add_person(make_uow), add_person(make_uow, "Bo")
    with make_uow() as uow:
        assert uow.sessions.recent_entries_and_dates(pid, at(0).date(), 2) == ([], [])
        for day, hour in [(2, 0), (0, 0), (2, 5), (1, 0), (-3, 0)]:
            uow.sessions.add(m.SessionLog(person_id=pid, performed_on=at(day).date(), at=at(day, hour),
                                          entries=[{"d": day, "h": hour}]))
        uow.sessions.add(m.SessionLog(person_id=other, performed_on=at(3).date(), at=at(3), entries=[{"d": 3}]))
        uow.commit()
    with make_uow() as uow:
        for since, limit in [(at(0).date(), None), (at(0).date(), 2), (at(1).date(), 10), (at(3).date(), None),
                             (at(-5).date(), 4), (at(0).date(), 0)]:
            recent, days = uow.sessions.recent_entries_and_dates(pid, since, limit)
            assert recent == uow.sessions.recent_entries(pid, since, limit)
            assert days == uow.sessions.dates_for(pid) == [at(d).date() for d in (-3, 0, 1, 2, 2)]


def test_accounts_invitations_assignments_and_audit(make_uow: Callable[[], Any]) -> None:
    pid = add_person(make_uow)
    other = add_person(make_uow, "Ben")
    with make_uow() as uow:
        clin = uow.users.add(m.User(email="doc@example.org", password_hash="x", role="clinician", display_name="Doc", created_at=at()))
        pers = uow.users.add(m.User(email="ana@example.org", password_hash="x", role="person", person_id=pid, created_at=at()))
        uow.assignments.add(m.ClinicianAssignment(clinician_user_id=clin.id, person_id=pid, created_at=at()))
        uow.assignments.add(m.ClinicianAssignment(clinician_user_id=clin.id, person_id=other, created_at=at()))
        uow.invitations.add(m.Invitation(code="ABC123", clinician_user_id=clin.id, created_at=at()))
        uow.audit.add(m.AuditEntry(at=at(0), actor_user_id=clin.id, person_id=pid, action="viewed", detail={"page": "overview"}))
        uow.audit.add(m.AuditEntry(at=at(1), actor_user_id=clin.id, person_id=other, action="viewed", detail={}))
        uow.commit()
        clin_id, pers_id = clin.id, pers.id
    with make_uow() as uow:
        assert uow.users.get_by_email("DOC@example.org ").id == clin_id
        assert uow.users.get_by_person(pid).id == pers_id
        assert [u.id for u in uow.users.list(role="clinician")] == [clin_id]
        assert uow.assignments.exists(clin_id, pid)
        assert uow.assignments.person_ids_for(clin_id) == sorted([pid, other])
        assert uow.assignments.clinician_ids_for(pid) == [clin_id]
        assert uow.invitations.get_by_code("ABC123").used_at is None
        assert [a.person_id for a in uow.audit.list()] == [other, pid]
        assert [a.detail for a in uow.audit.list(person_id=pid)] == [{"page": "overview"}]
        assert uow.assignments.remove(clin_id, other) is True
        uow.commit()
    with make_uow() as uow:
        assert uow.assignments.person_ids_for(clin_id) == [pid]
        assert uow.assignments.remove(clin_id, other) is False
    for record in (
        lambda: m.User(email="doc@example.org", password_hash="y", role="person", created_at=at()),
        lambda: m.Invitation(code="ABC123", clinician_user_id=clin_id, created_at=at()),
        lambda: m.ClinicianAssignment(clinician_user_id=clin_id, person_id=pid, created_at=at()),
    ):
        with pytest.raises(Conflict):
            with make_uow() as uow:
                repo = {m.User: uow.users, m.Invitation: uow.invitations, m.ClinicianAssignment: uow.assignments}
                rec = record()
                repo[type(rec)].add(rec)
                uow.commit()


def test_unreachable_database_gives_a_clear_message() -> None:
    with pytest.raises(DatabaseUnavailable) as info:
        with SqlAlchemyUnitOfWork("postgresql+psycopg://nobody:secret@127.0.0.1:1/none") as uow:
            uow.people.list()
    message = str(info.value)
    assert message.startswith("cannot reach the database at postgresql+psycopg://nobody:***@127.0.0.1:1/none")
    assert "check DATABASE_URL or start the server" in message
    assert "secret" not in message


def test_sqlite_runs_in_wal_mode_with_foreign_keys(tmp_path: Any) -> None:
    url = f"sqlite:///{tmp_path / 'wal.sqlite3'}"
    upgrade(url)
    with get_engine(url).connect() as conn:
        assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1
        assert conn.execute(text("PRAGMA busy_timeout")).scalar() >= 1000


def test_sqlite_concurrent_writers_all_land(tmp_path: Any) -> None:
    url = f"sqlite:///{tmp_path / 'busy.sqlite3'}"
    upgrade(url)
    make = lambda: SqlAlchemyUnitOfWork(url)  # noqa: E731
    pid = add_person(make)
    errors: list[BaseException] = []

    def writer(n: int) -> None:
        try:
            for i in range(25):
                with make() as uow:
                    uow.pain.add(m.PainEntryRecord(person_id=pid, at=at(hours=n * 100 + i), nprs=i % 11, kind="daily"))
                    uow.commit()
        except BaseException as exc:  # noqa: BLE001
            errors.append(exc)

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    with make() as uow:
        assert len(uow.pain.list_for(pid)) == 150


def test_records_stay_readable_after_the_block(make_uow: Callable[[], Any]) -> None:
    pid = add_person(make_uow)
    with make_uow() as uow:
        people = uow.people.list()
    with make_uow() as uow:
        uow.pain.add(m.PainEntryRecord(person_id=pid, at=at(), nprs=2, kind="daily"))
        uow.commit()
        entries = uow.pain.list_for(pid)
    assert people[0].id == pid and people[0].display_name == "Ana"
    with make_uow() as uow:
        found, missing = uow.people.get(pid), uow.people.get(pid + 1000)
    assert isinstance(found, m.Person)  # what the repository's type says
    assert (found.id, found.display_name, found.onset_date) == (pid, "Ana", dt.date(2026, 2, 1)) and missing is None
    assert entries[0].nprs == 2


def test_session_dates(make_uow: Callable[[], Any]) -> None:
    pid = add_person(make_uow)
    with make_uow() as uow:
        for day in (3, 1, 2):
            uow.sessions.add(m.SessionLog(person_id=pid, performed_on=at(day).date(), at=at(day), entries=[]))
        uow.commit()
    with make_uow() as uow:
        assert uow.sessions.dates_for(pid) == [at(1).date(), at(2).date(), at(3).date()]
        assert uow.sessions.dates_for(pid, since=at(2).date()) == [at(2).date(), at(3).date()]


def test_decision_marks_newest_first_without_the_json(make_uow: Callable[[], Any]) -> None:
    pid = add_person(make_uow)
    with make_uow() as uow:
        for day, ex, action in [(1, "clamshell", "hold"), (3, "glute_bridge", "progress"), (2, "clamshell", "regress")]:
            uow.decisions.add(m.DecisionRecord(person_id=pid, at=at(day), exercise_id=ex, action=action,
                                               before={}, after={}, reasons=["why"]))
        uow.commit()
    with make_uow() as uow:
        marks = uow.decisions.recent_marks(pid, 2)
    assert [(a.replace(tzinfo=None), ex, action) for a, ex, action in marks] == [
        (at(3).replace(tzinfo=None), "glute_bridge", "progress"), (at(2).replace(tzinfo=None), "clamshell", "regress")]


def test_decision_marks_with_the_newest_whole_decisions_in_one_read(make_uow: Callable[[], Any]) -> None:
    pid, other = add_person(make_uow), add_person(make_uow, "Bo")
    with make_uow() as uow:
        assert uow.decisions.marks_and_newest(pid, 3, 2) == ([], [])
        for day, hour in [(1, 0), (3, 0), (2, 0), (3, 0), (0, 5)]:  # a tie on time: the later id is newer
            uow.decisions.add(m.DecisionRecord(person_id=pid, at=at(day, hour), exercise_id=f"ex{day}", action="hold",
                                               before={"d": day}, after={}, reasons=[f"r{day}"]))
        uow.decisions.add(m.DecisionRecord(person_id=other, at=at(9), exercise_id="x", action="hold",
                                           before={}, after={}, reasons=[]))
        uow.commit()
    columns = m.DecisionRecord.__table__.c.keys()
    with make_uow() as uow:
        for n_marks, n_newest in [(3, 2), (10, 10), (5, 0), (2, 4)]:
            marks, newest = uow.decisions.marks_and_newest(pid, n_marks, n_newest)
            assert [tuple(mark) for mark in marks] == [tuple(mark) for mark in uow.decisions.recent_marks(pid, n_marks)]
            assert [{k: getattr(d, k) for k in columns} for d in newest] == [
                {k: getattr(d, k) for k in columns} for d in uow.decisions.list_for(pid, limit=n_newest)]
        assert len(uow.decisions.marks_and_newest(pid, 3, 2)[0]) == 3


def test_pain_queries_for_baseline_window_and_new_symptoms(make_uow: Callable[[], Any]) -> None:
    pid = add_person(make_uow)
    with make_uow() as uow:
        for i in range(5):
            uow.pain.add(m.PainEntryRecord(person_id=pid, at=at(i), nprs=i, kind="daily"))
            uow.pain.add(m.PainEntryRecord(person_id=pid, at=at(i, 1), nprs=i, kind="next_morning"))
        uow.pain.add(m.PainEntryRecord(person_id=pid, at=at(2, 2), nprs=5, kind="daily", new_symptoms=True))
        uow.pain.add(m.PainEntryRecord(person_id=pid, at=at(3, 2), nprs=5, kind="daily", new_symptoms=True, note="foot"))
        uow.commit()
    with make_uow() as uow:
        first = uow.pain.first_of_each_kind(pid, 2)
        assert [(r.kind, r.nprs) for r in first] == [("daily", 0), ("next_morning", 0), ("daily", 1), ("next_morning", 1)]
        window = uow.pain.first_of_each_kind(pid, 1, since=at(3, 2))  # the first of each kind, and everything since
        assert [(r.kind, r.nprs) for r in window] == [("daily", 0), ("next_morning", 0), ("daily", 5), ("daily", 4),
                                                      ("next_morning", 4)]
        assert [r.nprs for r in uow.pain.list_for(pid, since=at(3), kinds=("next_morning",))] == [3, 4]
        assert uow.pain.latest_new_symptoms(pid).note == "foot"
        assert uow.pain.latest_new_symptoms(pid + 1000) is None
        # the same window with the newest entry's id, read in one statement
        rows, newest = uow.pain.first_of_each_kind_and_last_id(pid, 1, since=at(3, 2))
        assert [(r.kind, r.nprs) for r in rows] == [(r.kind, r.nprs) for r in window]
        assert newest == uow.pain.last_id(pid) is not None
        assert uow.pain.first_of_each_kind_and_last_id(pid + 1000, 1, since=at(3, 2)) == ([], None)
        # the newest entry counts even when it is older than the window (ids only grow)
        uow.pain.add(m.PainEntryRecord(person_id=pid, at=at(0), nprs=9, kind="daily"))
        rows, newest = uow.pain.first_of_each_kind_and_last_id(pid, 1, since=at(3, 2))
        assert 9 not in [r.nprs for r in rows] and newest == uow.pain.last_id(pid)


def test_a_pain_entry_is_added_only_if_the_newest_entry_is_still_the_one_read(make_uow: Callable[[], Any]) -> None:
    pid, other = add_person(make_uow), add_person(make_uow, "Bo")
    with make_uow() as uow:  # none yet: None is what was read
        first = m.PainEntryRecord(person_id=pid, at=at(1), nprs=3, kind="daily")
        assert uow.pain.add_if_last_id(first, None) and first.id is not None
        assert not uow.pain.add_if_last_id(m.PainEntryRecord(person_id=pid, at=at(2), nprs=9), None)
        uow.commit()
    with make_uow() as uow:
        uow.pain.add(m.PainEntryRecord(person_id=other, at=at(3), nprs=1, kind="daily"))  # someone else's
        second = m.PainEntryRecord(person_id=pid, at=at(2), nprs=4, kind="next_morning", new_symptoms=True,
                                   note="foot", walked_minutes=20)
        assert uow.pain.add_if_last_id(second, first.id) and second.id > first.id
        assert not uow.pain.add_if_last_id(m.PainEntryRecord(person_id=pid, at=at(3), nprs=9), first.id)
        uow.commit()
    with make_uow() as uow:
        stored = uow.pain.list_for(pid)
        assert [(p.id, p.at, p.nprs, p.kind, p.new_symptoms, p.note, p.walked_minutes) for p in stored] == [
            (first.id, at(1), 3, "daily", False, None, None), (second.id, at(2), 4, "next_morning", True, "foot", 20)]
        # the defaults are applied as for any insert
        third = m.PainEntryRecord(person_id=pid, at=at(4), nprs=2)
        assert uow.pain.add_if_last_id(third, second.id)
        assert (third.kind, third.new_symptoms) == ("daily", False)


def test_a_database_from_a_newer_version_is_explained(tmp_path: Any) -> None:
    from backcoach.storage import StorageError, dispose_engines

    url = f"sqlite:///{tmp_path / 'newer.sqlite3'}"
    upgrade(url)
    with get_engine(url).begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '9999'"))
    dispose_engines()
    with pytest.raises(StorageError, match="newer version of backcoach"):
        upgrade_if_behind(url)  # what the web app and the command line run when they start


def test_a_database_never_set_up_says_to_run_db_upgrade(tmp_path: Any) -> None:
    """A unit of work never migrates: on an empty database it says what to do, and writes nothing."""
    from backcoach.storage import SchemaMissing

    url = f"sqlite:///{tmp_path / 'empty.sqlite3'}"
    with pytest.raises(SchemaMissing, match="run `backcoach db upgrade`"):
        with SqlAlchemyUnitOfWork(url) as uow:
            uow.people.add(m.Person(display_name="Ana", created_at=at()))
            uow.commit()
    assert inspect(get_engine(url)).get_table_names() == []


def test_add_all_inserts_runs_of_each_kind_with_ids_unless_told_none_are_needed(make_uow: Callable[[], Any]) -> None:
    pid = add_person(make_uow)
    with make_uow() as uow:
        uow.begin_write()
        pain = [m.PainEntryRecord(person_id=pid, at=at(0, h), nprs=h, kind="daily") for h in range(3)]
        log = m.SessionLog(person_id=pid, performed_on=at().date(), at=at(), entries=[{"x": 1}], idempotency_key="k")
        uow.add_all([*pain, log])
        assert [p.id for p in pain] == sorted(p.id for p in pain) and len({p.id for p in pain}) == 3
        assert log.id is not None
        uow.add_all([m.DecisionRecord(person_id=pid, at=at(0, n), exercise_id="clamshell", action="hold", before={},
                                      after={}, reasons=[f"r{n}"], session_log_id=log.id) for n in range(3)], ids=False)
        uow.commit()
    with make_uow() as uow:
        assert [p.nprs for p in uow.pain.list_for(pid)] == [0, 1, 2]
        assert [d.reasons for d in uow.decisions.list_for(pid)] == [["r2"], ["r1"], ["r0"]]
        assert {d.session_log_id for d in uow.decisions.list_for(pid)} == {log.id}
        assert uow.sessions.get_by_idempotency_key("k").id == log.id


def test_outcome_responses_round_trip_oldest_first_by_instrument(make_uow: Callable[[], Any]) -> None:
    pid = add_person(make_uow)
    with make_uow() as uow:
        for day, instrument, score in ((2, "psfs", 4.0), (0, "psfs", 3.5), (1, "pain_score", 6.0)):
            uow.outcomes.add(m.OutcomeResponse(person_id=pid, at=at(day), instrument=instrument, version=1, week=None,
                                               answers={"activities": [{"name": "walk", "rating": 4}]}, score=score,
                                               band=None))
        uow.commit()
    with make_uow() as uow:
        assert [r.score for r in uow.outcomes.list_for(pid)] == [3.5, 6.0, 4.0]
        psfs = uow.outcomes.list_for(pid, "psfs")
        assert [r.at for r in psfs] == [at(0), at(2)]
        assert psfs[0].answers["activities"][0]["name"] == "walk"


@pytest.mark.parametrize("backend", ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def test_single_statement_reads_take_no_transaction_and_leave_none_behind(make_uow: Callable[[], Any]) -> None:
    """Who is asking is read without a transaction on PostgreSQL (no BEGIN, no ROLLBACK); the pooled
    connection goes back as it was, so the next unit of work is one transaction again."""
    pid = add_person(make_uow)
    with make_uow() as uow:
        uow.single_statement_reads()
        assert uow.people.row(pid).display_name == "Ana"
        dbapi = uow.session.connection().connection.dbapi_connection
        if uow.session.get_bind().dialect.name == "postgresql":
            assert dbapi.autocommit and dbapi.info.transaction_status == 0  # idle: no transaction was opened
    for _ in range(3):  # whichever pooled connection comes next: a write left uncommitted is undone
        with make_uow() as uow:
            uow.people.add(m.Person(display_name="Not kept"))
    with make_uow() as uow:
        assert [p.display_name for p in uow.people.list()] == ["Ana"]
