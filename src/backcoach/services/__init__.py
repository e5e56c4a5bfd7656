"""Use cases: one function per thing a person or a clinician does.

Each takes a unit of work (`backcoach.storage.SqlAlchemyUnitOfWork`, or the in-memory one of tests/fakes.py),
its inputs, and `now` (an aware datetime, so tests fix the clock). Each opens its own
transaction (`with uow:`), commits once, and raises `BackcoachError` subclasses whose
message is written for the person. The CLI and the web app call these same functions;
their names are stable.

Every path that produces or continues a program (start_program, todays_session,
log_session, adjust_program) goes through `common.gate_for`, which ends in
`domain.program.screening_gate`.
"""

from backcoach.services.assessment import AssessmentRecorded, assess_answers, record_assessment
from backcoach.services.common import (
    GateInfo,
    NoProgram,
    NotAllowed,
    PersonNotFound,
    gate_for,
)
from backcoach.services.outcomes import OutcomeRecorded, OutcomesOverview, outcomes_overview, record_outcome
from backcoach.services.people import (
    create_person,
    list_people,
    person_for_onboarding,
    person_for_screening,
    resolve_person,
)
from backcoach.services.program import (
    AdjustmentNeedsConfirmation,
    AdjustmentRecorded,
    AssessedAndStarted,
    InvalidAdjustment,
    ProgramStarted,
    TodaysSession,
    adjust_program,
    assess_and_start,
    start_program,
    todays_session,
)
from backcoach.services.screening import (
    ClearanceRecorded,
    ClearanceRefused,
    ScreeningRecorded,
    record_clearance,
    record_screening,
    screen_answers,
    screening_questions,
    stored_result,
)
from backcoach.services.sessions import CheckinRecorded, SessionLogged, check_in_pain, log_session, parse_session
from backcoach.services.status import (
    PersonOverview,
    PersonSummary,
    CheckinsDue,
    Progress,
    Status,
    checkins_due,
    get_progress,
    get_status,
    people_for_clinician,
    person_overview,
)

__all__ = [
    "AdjustmentNeedsConfirmation", "AdjustmentRecorded", "AssessedAndStarted", "AssessmentRecorded", "CheckinRecorded", "CheckinsDue",
    "ClearanceRecorded", "ClearanceRefused", "GateInfo", "InvalidAdjustment", "NoProgram", "NotAllowed",
    "OutcomeRecorded", "OutcomesOverview", "PersonNotFound", "PersonOverview",
    "PersonSummary", "ProgramStarted", "Progress", "ScreeningRecorded", "SessionLogged", "Status", "TodaysSession",
    "adjust_program", "assess_and_start", "assess_answers", "check_in_pain", "checkins_due", "create_person", "gate_for", "get_progress", "get_status",
    "list_people", "log_session", "outcomes_overview", "parse_session", "people_for_clinician", "person_for_onboarding",
    "person_for_screening", "person_overview",
    "record_assessment", "record_clearance", "record_outcome", "record_screening", "resolve_person", "screen_answers",
    "screening_questions", "start_program", "stored_result", "todays_session",
]
