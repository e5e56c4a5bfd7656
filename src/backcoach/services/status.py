"""Read-only use cases: a person's status, and the clinician's views."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any, Optional, Sequence

from backcoach.services.access import people_followed_by, require_clinician
from backcoach.services.common import (
    GateInfo,
    clearance_dict,
    gate_for,
    local,
    monitoring_pain,
    monitoring_since,
    person_records,
    require_aware,
)
from backcoach.services.program import program_of
from backcoach.services.screening import stored_result
from backcoach.services.sessions import _monitor
from backcoach.storage import models as m
from backcoach.storage.repositories import PersonRecords, Row
from backcoach.storage.unit_of_work import UnitOfWork


def decision_dict(d: m.DecisionRecord) -> dict[str, Any]:
    """A stored decision as JSON-ready data (with who made it: the rules or a named clinician)."""
    by_name = getattr(d, "by_name", None)
    if d.source == "clinician" and not by_name:  # kept before names were stored: "Changed by NAME: note"
        first = (list(d.reasons) or [""])[0]
        by_name = first[len("Changed by "):].split(":", 1)[0] if first.startswith("Changed by ") else "a clinician"
    return {"id": d.id, "at": d.at.isoformat(), "exercise_id": d.exercise_id, "action": d.action,
            "before": d.before, "after": d.after, "reasons": list(d.reasons), "source": d.source,
            "by_user_id": d.by_user_id, "by_name": by_name, "note": d.note}


@dataclass(frozen=True)
class Status:
    """Everything `backcoach status` and the person's dashboard show."""

    person_id: int
    display_name: str
    onset_date: Optional[dt.date]
    program: Optional[Any]  # domain.program.Program
    program_id: Optional[int]
    gate: GateInfo
    report: Any  # domain.monitoring.MonitoringReport
    decisions: tuple[dict[str, Any], ...]
    sessions_logged: int
    last_session_on: Optional[dt.date]
    pain_recent: tuple[dict[str, Any], ...] = field(default=())
    session_days: tuple[dt.date, ...] = field(default=(), repr=False)  # the day of every session, oldest first

    @property
    def alerts(self) -> tuple[Any, ...]:
        return tuple(self.report.alerts)

    def to_dict(self) -> dict[str, Any]:
        from backcoach.domain.screening import DISCLAIMER

        return {
            "person": {"id": self.person_id, "display_name": self.display_name,
                       "onset_date": None if self.onset_date is None else self.onset_date.isoformat()},
            "program_id": self.program_id,
            "program": None if self.program is None else self.program.to_dict(),
            "program_allowed": self.gate.allowed,
            "gate": self.gate.to_dict(),
            "monitoring": self.report.to_dict(),
            "escalations": [a.to_dict() for a in self.report.alerts],
            "decisions": list(self.decisions),
            "sessions_logged": self.sessions_logged,
            "last_session_on": None if self.last_session_on is None else self.last_session_on.isoformat(),
            "pain_recent": list(self.pain_recent),
            "disclaimer": DISCLAIMER,
        }


STATUS_DECISIONS = 10  # the status lists this many of the newest decisions


def _status(uow: UnitOfWork, found: PersonRecords, now: dt.datetime, decisions_limit: int = STATUS_DECISIONS,
            decisions: Optional[Sequence[dict[str, Any]]] = None) -> Status:
    """`found`: the person, their program and the gate's records (`person_records`); `decisions`:
    the newest `decisions_limit` decisions as `decision_dict`s, if already read.

    The last 14 days of pain are taken from the monitoring window (it holds every entry of
    its 42 days): on a database, a statement fewer per progress read (bench_web_cpu.py)."""
    person, rec = found.person, found.program
    info = gate_for(uow, person.id, now, records=found.gate)
    program = program_of(rec) if rec is not None else None
    session_days = uow.sessions.dates_for(person.id)
    records = monitoring_pain(uow, person.id, now)
    report = _monitor(uow, person, program, info, now, pain_records=records, session_days=session_days)
    lock = info.lock_dict()
    if lock is not None and lock["later_screening"] is not None:
        # the screen alert comes from the lock, not from the latest (better) screen: say so
        import dataclasses

        report = dataclasses.replace(report, alerts=tuple(
            dataclasses.replace(a, message=lock["message"]) if a.code in ("emergency", "urgent") else a
            for a in report.alerts))
    since = now - dt.timedelta(days=14)
    recent = ([p for p in records if p.at >= since] if monitoring_since(now) <= since
              else uow.pain.list_for(person.id, since=since))
    pain = [{"at": p.at.isoformat(), "nprs": p.nprs, "kind": p.kind} for p in recent]
    if decisions is None:
        decisions = [decision_dict(d) for d in uow.decisions.list_for(person.id, limit=decisions_limit)]
    return Status(
        person_id=person.id, display_name=person.display_name, onset_date=person.onset_date,
        program=program, program_id=rec.id if rec else None, gate=info, report=report,
        decisions=tuple(decisions),
        sessions_logged=len(session_days), last_session_on=max(session_days) if session_days else None,
        pain_recent=tuple(pain), session_days=tuple(session_days),
    )


def get_status(uow: UnitOfWork, person_id: int, now: dt.datetime) -> Status:
    """The program, the gate (lock, reminder), the latest decisions with reasons, the pain trend,
    adherence and escalations (six-week rule, worsening, re-screen due). Works while locked."""
    now = require_aware(now)
    with uow:
        return _status(uow, person_records(uow, person_id), now)


DECISIONS_CHARTED = 300  # the decisions chart marks this many of the newest decisions
DECISIONS_LISTED = 30  # the progress table lists this many, with their reasons


@dataclass(frozen=True)
class ChartData:
    """The series behind the progress charts (the pages draw them, the API sends them)."""

    pain: tuple[Row, ...]  # the daily and next-morning check-ins, oldest first
    marks: tuple[tuple[dt.datetime, str, str], ...]  # (at, exercise_id, action) of the newest decisions
    decisions: tuple[dict[str, Any], ...]  # the newest DECISIONS_LISTED, as decision_dict


def _chart_data(uow: UnitOfWork, person_id: int) -> ChartData:
    marks, newest = uow.decisions.marks_and_newest(person_id, DECISIONS_CHARTED, DECISIONS_LISTED)
    return ChartData(pain=tuple(uow.pain.list_for(person_id, kinds=("daily", "next_morning"))),
                     marks=tuple(marks), decisions=tuple(decision_dict(d) for d in newest))


@dataclass(frozen=True)
class CheckinsDue:
    """The day's pain check-in prompts (the Today page and GET /api/progress)."""

    next_morning_due: bool  # a session was logged yesterday and this morning's pain is not in yet
    daily_checkin_done: bool  # today's daily pain check-in is in


def _checkins_due(uow: UnitOfWork, person_id: int, now: dt.datetime, pain: Optional[Sequence[Row]] = None,
                  session_days: Optional[Sequence[dt.date]] = None) -> CheckinsDue:
    """`pain`: the person's check-ins, when already read (at least today's daily and next-morning ones);
    `session_days`: the day of every session, when already read."""
    start_of_today = dt.datetime.combine(now.date(), dt.time.min, tzinfo=dt.timezone.utc)
    if pain is None:
        pain = uow.pain.list_for(person_id, since=start_of_today)
    kinds_today = {p.kind for p in pain if p.at >= start_of_today}
    yesterday = now.date() - dt.timedelta(days=1)
    if session_days is None:
        session_days = uow.sessions.dates_for(person_id, since=yesterday)
    logged_yesterday = yesterday in session_days
    return CheckinsDue(next_morning_due=logged_yesterday and "next_morning" not in kinds_today,
                       daily_checkin_done="daily" in kinds_today)


def checkins_due(uow: UnitOfWork, person_id: int, now: dt.datetime) -> CheckinsDue:
    """Is the next-morning question due, and is today's check-in in?"""
    now = require_aware(now)
    with uow:
        return _checkins_due(uow, person_id, now)


@dataclass(frozen=True)
class Progress:
    """What the person's progress page and GET /api/progress show, read in one transaction: the
    status, the data behind the charts, and the day's check-in prompts."""

    status: Status
    charts: ChartData
    checkins: CheckinsDue


def get_progress(uow: UnitOfWork, person_id: int, now: dt.datetime) -> Progress:
    """The person's status with the data behind the progress charts and the day's prompts."""
    now = require_aware(now)
    with uow:
        found = person_records(uow, person_id)
        charts = _chart_data(uow, person_id)
        # the status's newest decisions are the first of the charts' (one statement fewer)
        status = _status(uow, found, now, decisions=(charts.decisions[:STATUS_DECISIONS]
                                                           if DECISIONS_LISTED >= STATUS_DECISIONS else None))
        return Progress(status=status, charts=charts,
                        checkins=_checkins_due(uow, person_id, now, charts.pain, status.session_days))


def _check_clinician(uow: UnitOfWork, clinician_user_id: int, person_id: Optional[int] = None) -> m.User:
    return require_clinician(uow, clinician_user_id, person_id)


def attention_for(uow: UnitOfWork, st: Status, now: dt.datetime) -> Any:
    """What the clinician should know about this person, most pressing first (domain.triage)."""
    from backcoach.domain.triage import LockSummary, NewSymptoms, clinician_attention

    info = st.gate
    lock = None
    if info.lock_screening is not None:
        s = info.lock_screening
        latest = info.latest_screening
        later = latest if latest is not None and latest.id != s.id else None
        lock = LockSummary(
            level=s.level, on=info.lock_on or s.at.date(),
            findings=tuple(dict.fromkeys(  # the answer keys, short for the list: "bladder change; saddle numbness"
                (r.get("item") or r.get("message", "")).replace("_", " ") for r in (s.result or {}).get("reasons", [])
                if r.get("level") in ("urgent", "emergency"))),
            later_level=later.level if later is not None else None,
            later_on=info.latest_on if later is not None else None,
        )
    new_symptoms = None
    latest = info.latest_screening
    reported = uow.pain.latest_new_symptoms(st.person_id)
    if reported is not None and (latest is None or reported.at > latest.at):
        new_symptoms = NewSymptoms(on=local(reported.at, now).date(), nprs=reported.nprs, note=reported.note)
    paused = () if info.allowed else info.reasons
    return clinician_attention(lock, new_symptoms, paused, st.alerts)


@dataclass(frozen=True)
class PersonSummary:
    """One line of the clinician's list: how much attention the person needs, and why."""

    person_id: int
    display_name: str
    attention: Any  # domain.triage.Attention: items most pressing first (empty = nothing to look at)
    alerts: tuple[Any, ...]
    latest_level: Optional[str]
    latest_on: Optional[dt.date]
    lock: Optional[dict[str, Any]]  # the standing lock (GateInfo.lock_dict), or None
    program_allowed: bool
    phase: Optional[str]
    last_session_on: Optional[dt.date]
    mean_7d: Optional[float]
    trend: str

    @property
    def rank(self) -> int:
        return self.attention.rank

    def to_dict(self) -> dict[str, Any]:
        return {"person_id": self.person_id, "display_name": self.display_name,
                "rank": self.attention.rank, "attention": [i.to_dict() for i in self.attention.items],
                "alerts": [a.to_dict() for a in self.alerts], "latest_level": self.latest_level,
                "latest_on": None if self.latest_on is None else self.latest_on.isoformat(),
                "lock": self.lock, "program_allowed": self.program_allowed, "phase": self.phase,
                "last_session_on": None if self.last_session_on is None else self.last_session_on.isoformat(),
                "mean_7d": self.mean_7d, "trend": self.trend}


def people_for_clinician(uow: UnitOfWork, clinician_user_id: int, now: dt.datetime) -> list[PersonSummary]:
    """The people a clinician follows (an admin: everyone), in the order of domain.triage:
    an unresolved emergency first, then urgent, new symptoms, worsening pain or a paused
    program, the six-week rule, ... low adherence, inactivity; the oldest lock first within
    a level (it has waited longest)."""
    now = require_aware(now)
    with uow:
        user = _check_clinician(uow, clinician_user_id)
        ids = people_followed_by(uow, user)
        out = []
        for pid in ids:
            found = uow.people.with_program_and_gate(pid)
            person = found.person
            if person is None:
                continue
            st = _status(uow, found, now, decisions_limit=1)
            latest = st.gate.latest_screening
            out.append(PersonSummary(
                person_id=pid, display_name=person.display_name, attention=attention_for(uow, st, now),
                alerts=st.alerts, latest_level=latest.level if latest else None, latest_on=st.gate.latest_on,
                lock=st.gate.lock_dict(), program_allowed=st.gate.allowed,
                phase=st.program.phase if st.program else None, last_session_on=st.last_session_on,
                mean_7d=st.report.mean_7d, trend=st.report.trend,
            ))
        out.sort(key=lambda s: (s.rank, s.lock["at"] if s.lock else "", s.display_name.casefold(), s.person_id))
        return out


@dataclass(frozen=True)
class PersonOverview:
    """One person's full record for the clinician."""

    status: Status
    attention: Any  # domain.triage.Attention
    screenings: tuple[dict[str, Any], ...]
    assessments: tuple[dict[str, Any], ...]
    sessions: tuple[dict[str, Any], ...]
    clearances: tuple[dict[str, Any], ...]
    pain: tuple[dict[str, Any], ...]
    charts: ChartData

    def to_dict(self) -> dict[str, Any]:
        return {**self.status.to_dict(), "attention": self.attention.to_dict(), "screenings": list(self.screenings), "assessments": list(self.assessments),
                "sessions": list(self.sessions), "clearances": list(self.clearances), "pain": list(self.pain)}


def person_overview(uow: UnitOfWork, clinician_user_id: Optional[int], person_id: int, now: dt.datetime) -> PersonOverview:
    """Everything a clinician reviews for one person. `clinician_user_id=None` is the local
    (CLI) owner of the data and skips the access check."""
    now = require_aware(now)
    with uow:
        if clinician_user_id is not None:
            _check_clinician(uow, clinician_user_id, person_id)
        st = _status(uow, person_records(uow, person_id), now, decisions_limit=50)
        return PersonOverview(
            status=st, attention=attention_for(uow, st, now),
            screenings=tuple({"id": s.id, "at": s.at.isoformat(), "level": s.level, "answers": s.answers,
                              "result": stored_result(s), "rule_version": stored_result(s)["rule_version"]}
                             for s in uow.screenings.list_for(person_id, limit=20)),
            assessments=tuple({"id": a.id, "at": a.at.isoformat(), "answers": a.answers, "result": a.result}
                              for a in uow.assessments.list_for(person_id, limit=5)),
            sessions=tuple({"id": s.id, "performed_on": s.performed_on.isoformat(), "at": s.at.isoformat(),
                            "entries": s.entries, "decisions": s.decisions}
                           for s in uow.sessions.list_for(person_id)[-30:]),
            clearances=tuple(clearance_dict(c) for c in uow.clearances.list_for(person_id)),
            pain=tuple({"at": p.at.isoformat(), "nprs": p.nprs, "kind": p.kind, "new_symptoms": p.new_symptoms}
                       for p in uow.pain.list_for(person_id, since=now - dt.timedelta(days=90))),
            charts=_chart_data(uow, person_id),
        )
