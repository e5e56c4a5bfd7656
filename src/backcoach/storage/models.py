"""SQLAlchemy 2 tables. Value objects (answers, results, programs, decisions) are
stored as JSON made by their own `to_dict()`, so the domain stays free of the database.

Every table is here, the web app's too (log-in attempts, live log-ins, idempotency records:
kept in the database, not in process memory, so several web servers behind a load balancer
share them), so the unit of work and the migrations see them all.

Every datetime is timezone-aware UTC: `UTCDateTime` stores UTC and hands back
aware datetimes even on SQLite, which has no time zone type.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Optional

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


class UTCDateTime(TypeDecorator[dt.datetime]):
    """Aware UTC datetimes on every backend (naive input is refused: it is a bug)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: Optional[dt.datetime], dialect: Any) -> Optional[dt.datetime]:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to the database; use timezone-aware UTC")
        value = value.astimezone(dt.timezone.utc)
        if dialect.name == "sqlite":
            return value.replace(tzinfo=None)
        return value

    def process_result_value(self, value: Optional[dt.datetime], dialect: Any) -> Optional[dt.datetime]:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=dt.timezone.utc)
        return value.astimezone(dt.timezone.utc)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map = {dict[str, Any]: JSON, list[Any]: JSON, dt.datetime: UTCDateTime}

    def __repr__(self) -> str:
        return f"<{type(self).__name__} id={getattr(self, 'id', None)!r}>"


def PERSON_FK() -> ForeignKey:
    return ForeignKey("people.id", ondelete="CASCADE")


def USER_FK() -> ForeignKey:
    return ForeignKey("users.id", ondelete="SET NULL")


class Person(Base):
    """Someone following a program (a local CLI user, or a web account's person)."""

    __tablename__ = "people"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    display_name: Mapped[str] = mapped_column(String(200))
    onset_date: Mapped[Optional[dt.date]] = mapped_column(Date, nullable=True)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class Screening(Base):
    """A red-flag screen: the answers exactly as given, the result, and when."""

    __tablename__ = "screenings"
    __table_args__ = (Index("ix_screenings_person_at", "person_id", "at"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    person_id: Mapped[int] = mapped_column(PERSON_FK())
    at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    answers: Mapped[dict[str, Any]]
    level: Mapped[str] = mapped_column(String(20))
    result: Mapped[dict[str, Any]]
    # The version of the red-flag rules that decided it (DESIGN §2); screens stored before
    # version 2 are version 1 and are shown as they were decided.
    rule_version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")


class Assessment(Base):
    __tablename__ = "assessments"
    __table_args__ = (Index("ix_assessments_person_at", "person_id", "at"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    person_id: Mapped[int] = mapped_column(PERSON_FK())
    at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    answers: Mapped[dict[str, Any]]
    result: Mapped[dict[str, Any]]


class ProgramRecord(Base):
    """A program (domain `Program.to_dict()`); one active program per person."""

    __tablename__ = "programs"
    __table_args__ = (Index("ix_programs_person_active", "person_id", "active"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    person_id: Mapped[int] = mapped_column(PERSON_FK())
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    program: Mapped[dict[str, Any]]
    phase: Mapped[str] = mapped_column(String(20))
    assessment_id: Mapped[Optional[int]] = mapped_column(ForeignKey("assessments.id", ondelete="SET NULL"), nullable=True)
    # Bumped by every change, so a use case that read the program can write it back only if
    # nobody changed it meanwhile (an ORM flush checks it too: version_id_col).
    version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")

    __mapper_args__ = {"version_id_col": version}


class SessionLog(Base):
    """One training session as logged: per-exercise entries and the decisions they led to."""

    __tablename__ = "session_logs"
    __table_args__ = (Index("ix_session_logs_person_on", "person_id", "performed_on"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    person_id: Mapped[int] = mapped_column(PERSON_FK())
    performed_on: Mapped[dt.date] = mapped_column(Date)
    at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    entries: Mapped[list[Any]]
    decisions: Mapped[list[Any]] = mapped_column(default=list)
    idempotency_key: Mapped[Optional[str]] = mapped_column(String(200), unique=True, nullable=True)
    program_id: Mapped[Optional[int]] = mapped_column(ForeignKey("programs.id", ondelete="SET NULL"), nullable=True)


class PainEntryRecord(Base):
    """A pain score (NPRS 0-10). kind: daily | during | next_morning."""

    __tablename__ = "pain_entries"
    __table_args__ = (Index("ix_pain_entries_person_at", "person_id", "at"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    person_id: Mapped[int] = mapped_column(PERSON_FK())
    at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    nprs: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(20), default="daily")
    new_symptoms: Mapped[bool] = mapped_column(Boolean, default=False)
    note: Mapped[Optional[str]] = mapped_column(Text, nullable=True)
    walked_minutes: Mapped[Optional[int]] = mapped_column(Integer, nullable=True)
    """Minutes walked the day before this check-in (the daily walking goal); None if not answered."""


class DecisionRecord(Base):
    """A change (or a deliberate non-change) to one prescription, with its reasons.

    source 'rule' = the progression rules after a session; 'clinician' = a clinician's
    adjustment, attributed to by_user_id / note.
    """

    __tablename__ = "decisions"
    __table_args__ = (Index("ix_decisions_person_at", "person_id", "at"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    person_id: Mapped[int] = mapped_column(PERSON_FK())
    at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    exercise_id: Mapped[str] = mapped_column(String(80))
    action: Mapped[str] = mapped_column(String(20))
    before: Mapped[dict[str, Any]]
    after: Mapped[dict[str, Any]]
    reasons: Mapped[list[Any]]
    source: Mapped[str] = mapped_column(String(20), default="rule")
    by_user_id: Mapped[Optional[int]] = mapped_column(USER_FK(), nullable=True)
    by_name: Mapped[Optional[str]] = mapped_column(String(200), nullable=True)  # the clinician, as shown
    note: Mapped[Optional[str]] = mapped_column(Text, nullable=True)
    session_log_id: Mapped[Optional[int]] = mapped_column(ForeignKey("session_logs.id", ondelete="SET NULL"), nullable=True)


class Clearance(Base):
    """A clinician's record that the person was assessed after an urgent or emergency screen
    (tied to the newest screen at that time): what was ruled out, where, and a note."""

    __tablename__ = "clearances"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    person_id: Mapped[int] = mapped_column(PERSON_FK(), index=True)
    at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    by_user_id: Mapped[Optional[int]] = mapped_column(USER_FK(), nullable=True)
    by_name: Mapped[str] = mapped_column(String(200))
    note: Mapped[str] = mapped_column(Text)
    screening_id: Mapped[Optional[int]] = mapped_column(ForeignKey("screenings.id", ondelete="SET NULL"), nullable=True)
    ruled_out: Mapped[Optional[str]] = mapped_column(Text, nullable=True)  # what the clinician ruled out
    seen_where: Mapped[Optional[str]] = mapped_column(String(300), nullable=True)  # where the person was assessed


class OutcomeResponse(Base):
    """A completed outcome questionnaire: the answers as given, the score, when, and the
    instrument version it was scored with (so later versions never rescore old answers)."""

    __tablename__ = "outcome_responses"
    __table_args__ = (Index("ix_outcome_responses_person_at", "person_id", "at"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    person_id: Mapped[int] = mapped_column(PERSON_FK())
    at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    instrument: Mapped[str] = mapped_column(String(60))
    version: Mapped[int] = mapped_column(Integer)
    week: Mapped[Optional[int]] = mapped_column(Integer, nullable=True)
    answers: Mapped[dict[str, Any]]
    score: Mapped[float] = mapped_column(Float)
    band: Mapped[Optional[str]] = mapped_column(String(60), nullable=True)


class User(Base):
    """A web account. role: person | clinician | admin. A person account links to its Person."""

    __tablename__ = "users"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    email: Mapped[str] = mapped_column(String(320), unique=True)
    password_hash: Mapped[str] = mapped_column(String(500))
    role: Mapped[str] = mapped_column(String(20), default="person")
    person_id: Mapped[Optional[int]] = mapped_column(ForeignKey("people.id", ondelete="SET NULL"), nullable=True)
    display_name: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    # the privacy notice agreed to at sign-up (its version) and when
    consent_version: Mapped[Optional[str]] = mapped_column(String(20), nullable=True)
    consent_at: Mapped[Optional[dt.datetime]] = mapped_column(nullable=True)
    # set when the person asks to delete the account; it is removed after the grace period
    # unless they log in again before (services/data_rights.py)
    deletion_requested_at: Mapped[Optional[dt.datetime]] = mapped_column(nullable=True)
    # A clinician account: what an administrator checks before approving it (DESIGN §8).
    # approval is pending | approved | refused for clinicians, NULL for other roles.
    approval: Mapped[Optional[str]] = mapped_column(String(20), nullable=True)
    profession: Mapped[Optional[str]] = mapped_column(String(100), nullable=True)
    registration_number: Mapped[Optional[str]] = mapped_column(String(60), nullable=True)
    approval_decided_by: Mapped[Optional[int]] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), nullable=True)
    approval_decided_at: Mapped[Optional[dt.datetime]] = mapped_column(nullable=True)


class ClinicianAssignment(Base):
    __tablename__ = "clinician_assignments"
    __table_args__ = (UniqueConstraint("clinician_user_id", "person_id", name="uq_clinician_assignments_pair"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    clinician_user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    person_id: Mapped[int] = mapped_column(PERSON_FK(), index=True)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class Invitation(Base):
    """A one-time code a clinician gives a person so their account links to that clinician."""

    __tablename__ = "invitations"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(100), unique=True)
    clinician_user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[Optional[dt.datetime]] = mapped_column(nullable=True)
    used_by_person_id: Mapped[Optional[int]] = mapped_column(ForeignKey("people.id", ondelete="SET NULL"), nullable=True)
    used_at: Mapped[Optional[dt.datetime]] = mapped_column(nullable=True)


class AuditEntry(Base):
    """Who did what to whose record, and when (never updated, never deleted by the app)."""

    __tablename__ = "audit_log"
    __table_args__ = (Index("ix_audit_log_person_at", "person_id", "at"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    actor_user_id: Mapped[Optional[int]] = mapped_column(USER_FK(), nullable=True)
    person_id: Mapped[Optional[int]] = mapped_column(ForeignKey("people.id", ondelete="SET NULL"), nullable=True)
    action: Mapped[str] = mapped_column(String(100))
    detail: Mapped[dict[str, Any]] = mapped_column(default=dict)


class VideoAnalysis(Base):
    """An uploaded video of a set and its analysis job: status, progress, then the result
    (the JSON of `backcoach analyze --json`) or a message saying why it could not be done.
    The file itself is deleted after analysis unless the person asked to keep it."""

    __tablename__ = "video_analyses"
    __table_args__ = (Index("ix_video_analyses_person_created", "person_id", "created_at"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    person_id: Mapped[int] = mapped_column(PERSON_FK())
    exercise_id: Mapped[str] = mapped_column(String(60))
    status: Mapped[str] = mapped_column(String(20), default="queued")  # queued | running | done | failed
    progress: Mapped[float] = mapped_column(Float, default=0.0)
    result: Mapped[Optional[dict[str, Any]]] = mapped_column(JSON, nullable=True)
    error: Mapped[Optional[str]] = mapped_column(Text, nullable=True)
    file_path: Mapped[Optional[str]] = mapped_column(String(500), nullable=True)
    size_bytes: Mapped[int] = mapped_column(Integer, default=0)
    keep_video: Mapped[bool] = mapped_column(Boolean, default=False)
    hold_s: Mapped[Optional[float]] = mapped_column(Float, nullable=True)
    job_id: Mapped[Optional[str]] = mapped_column(String(200), nullable=True)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    finished_at: Mapped[Optional[dt.datetime]] = mapped_column(nullable=True)
    # when the job last showed it was alive (started, wrote progress): a job silent for too
    # long is given up as failed (services/videos.fail_stalled)
    heartbeat_at: Mapped[Optional[dt.datetime]] = mapped_column(nullable=True)


class VideoKeyframe(Base):
    """One repetition of an analysed upload as a still picture (JPEG): the frame at its top
    with the skeleton, the count and the faults drawn, so the person can see each repetition
    with its cue after the video itself is deleted. Shown only to the person."""

    __tablename__ = "video_keyframes"
    __table_args__ = (UniqueConstraint("video_id", "rep_index", name="uq_video_keyframes_video_rep"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    video_id: Mapped[int] = mapped_column(ForeignKey("video_analyses.id", ondelete="CASCADE"))
    person_id: Mapped[int] = mapped_column(PERSON_FK(), index=True)
    rep_index: Mapped[int] = mapped_column(Integer)  # the repetition's number in the result (1, 2, ...)
    t_s: Mapped[float] = mapped_column(Float)  # where in the video the picture was taken
    width: Mapped[int] = mapped_column(Integer)
    height: Mapped[int] = mapped_column(Integer)
    image: Mapped[bytes] = mapped_column(LargeBinary)


# -- the web app's tables (migrations 0002 and security_b) ------------------------------------

class LoginAttempt(Base):
    """A failed log-in, counted per account and per address (domain/login_delays.py)."""

    __tablename__ = "web_login_attempts"
    __table_args__ = (Index("ix_web_login_attempts_key_at", "key", "at"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    key: Mapped[str] = mapped_column(String(400))
    at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class WebSession(Base):
    """A live log-in: a session cookie or an API token (kind "cookie" | "token").

    The key is the SHA-256 of the random id the cookie or token carries, so a copy of the
    database alone does not let anyone use a session. Logging out deletes the row, which
    ends the cookie or token at once (the signature alone would keep it valid until it expires).
    """

    __tablename__ = "web_sessions"
    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(10))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[dt.datetime] = mapped_column(index=True)


class IdempotencyRecord(Base):
    """A write made once under a key (an API Idempotency-Key or a page form's token), kept in
    the same transaction as the write, with the answer it got, so a repeat gets the same answer.

    Keys belong to one account (unique per account, not globally): nobody can use up
    another account's key.
    """

    __tablename__ = "web_idempotency"
    __table_args__ = (UniqueConstraint("account_id", "key", name="uq_web_idempotency_account_key"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    key: Mapped[str] = mapped_column(String(250))
    fingerprint: Mapped[Optional[str]] = mapped_column(String(64), nullable=True)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow, index=True)
    status: Mapped[int] = mapped_column(Integer)
    media_type: Mapped[Optional[str]] = mapped_column(String(100), nullable=True)
    location: Mapped[Optional[str]] = mapped_column(String(500), nullable=True)
    body: Mapped[Optional[bytes]] = mapped_column(LargeBinary, nullable=True)
