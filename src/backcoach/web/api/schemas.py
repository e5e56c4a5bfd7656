"""The shapes the JSON API answers with, so that /openapi.json documents every one.

The services return plain data (their ``to_dict()``); a route declares one of these as its
``response_model`` and FastAPI checks the data against it before sending it. Every model
forbids keys it does not name (`Shape`), so a field a service adds without this file knowing
fails the API tests (a 500 "response validation" error) instead of going out undocumented.
Routes that answer with a service's dict also set ``response_model_exclude_unset=True``
(`FROM_DICT`): a key the service leaves out stays out, so the bytes sent are the service's.

Dates and times are the ISO 8601 strings the services write (``isoformat()``), documented
with their format rather than re-parsed.
"""

from __future__ import annotations

import functools
from typing import Annotated, Any, Callable, Literal, Optional, Union

from fastapi.responses import Response
from pydantic import BaseModel, ConfigDict, Field, TypeAdapter

# The route options of an answer built from a service's dict (see the module docstring).
FROM_DICT: dict[str, Any] = {"response_model_exclude_unset": True}

DateTime = Annotated[str, Field(json_schema_extra={"format": "date-time"}, description="ISO 8601 date and time")]
Date = Annotated[str, Field(json_schema_extra={"format": "date"}, description="ISO 8601 date")]
Number = Union[int, float]
# What a person answered, by question key (true/false, a number or one of the question's choices):
# the keys are the questions of GET /api/screening/questions or /api/assessment/self-tests.
AnswerMap = dict[str, Union[bool, int, float, str, None, list[Any], dict[str, Any]]]


class Shape(BaseModel):
    """A response model: names every key it may hold."""

    model_config = ConfigDict(extra="forbid")


# -- the screening gate ---------------------------------------------------------------------

class Finding(Shape):
    item: str
    level: str
    message: str


class ScreeningRef(Shape):
    id: int
    at: DateTime
    level: str


class Lock(Shape):
    """An urgent or emergency screen that holds the program until a clinician records a clearance."""

    screening_id: int
    level: str
    at: DateTime
    on: Date
    findings: list[Finding]
    later_screening: Optional[ScreeningRef]
    message: str = Field(description="The sentence every surface shows about the lock")


class Clearance(Shape):
    id: int
    at: DateTime
    by: str
    by_user_id: Optional[int]
    note: str
    ruled_out: Optional[str]
    seen_where: Optional[str]
    screening_id: Optional[int]


class Gate(Shape):
    """May the program go on today, and why (or why not)."""

    allowed: bool
    reasons: list[str]
    reminder: Optional[str]
    latest_screening: Optional[ScreeningRef]
    effective_level: Optional[str]
    locked_by_screening_id: Optional[int]
    lock: Optional[Lock]
    clearance: Optional[Clearance]


# -- screening ------------------------------------------------------------------------------

class ScreeningQuestion(Shape):
    key: str
    text: str
    kind: Literal["bool", "int", "number", "choice"]
    choices: list[str]
    min: Optional[Number]
    max: Optional[Number]
    serious: bool
    help: Optional[str]


class ScreeningReason(Shape):
    item: str
    level: str
    message: str


class ScreeningResult(Shape):
    """A screen's result as it was decided (never re-screened with newer rules)."""

    level: str
    program_allowed: bool
    reasons: list[ScreeningReason]
    next_step: str
    rule_version: int
    lock: Optional[Lock] = Field(default=None, description="Present while an earlier screen still holds the program")


class ScreeningRecorded(ScreeningResult):
    screening_id: int
    person_id: int
    at: DateTime
    gate: Gate


class ScreeningStored(ScreeningResult):
    id: int
    at: DateTime
    answers: AnswerMap


class ScreeningListed(Shape):
    id: int
    at: DateTime
    level: str
    reasons: list[ScreeningReason]
    next_step: Optional[str]
    answers: AnswerMap
    rule_version: int


# -- assessment and program -----------------------------------------------------------------

class SelfTestField(Shape):
    key: str
    label: str
    kind: str
    min: Optional[Number]
    max: Optional[Number]


class SelfTest(Shape):
    title: str
    instructions: str
    fields: list[SelfTestField]


class WeaknessProfile(Shape):
    gluteus_maximus: str
    gluteus_medius_left: str
    gluteus_medius_right: str
    asymmetry: Literal["none", "left_weaker", "right_weaker"]
    overall: str
    reasons: list[str]
    tested: list[str] = []


class AssessmentResult(Shape):
    profile: WeaknessProfile
    starting_levels: dict[str, str]
    reasons: list[str]
    for_person: list[str] = []
    avoid_lying_on_side: bool = Field(default=False, description="A sore hip: no exercise lying on that side")


class AssessmentRecorded(AssessmentResult):
    assessment_id: int
    person_id: int
    at: DateTime


class Prescription(Shape):
    exercise_id: str
    sets: int
    reps: Optional[int]
    hold_s: int
    band: Optional[str]
    per_side: bool
    phase: Optional[str]
    rest_until: Optional[Date] = Field(default=None, description="Resting after a step back at its gentlest step")


class Program(Shape):
    phase: str
    prescriptions: list[Prescription]
    days_per_week: int
    started_on: Date
    reasons: list[str]
    starting_levels: dict[str, str]
    phase_started_on: Optional[Date]
    avoid_lying_on_side: bool = Field(default=False, description="A sore hip: no exercise lying on that side")


class ProgramStarted(Shape):
    program_id: int
    person_id: int
    program: Program
    gate: Gate


class AssessedAndStarted(Shape):
    assessment: AssessmentRecorded
    program: ProgramStarted


class ProgramItem(Shape):
    exercise_id: Optional[str]
    name: str
    dose: str
    prescription: Prescription


class ActiveProgram(Shape):
    id: int
    phase: Optional[str]
    days_per_week: Optional[int]
    started_on: Optional[Date]
    reasons: list[str]
    items: list[ProgramItem]


class ProgramView(Shape):
    assessment: Optional[AssessmentResult]
    assessment_at: Optional[DateTime]
    program: Optional[ActiveProgram]


# -- today ----------------------------------------------------------------------------------

class FaultBrief(Shape):
    id: str
    name: str
    fix: str


class ExerciseBrief(Shape):
    """The parts of a catalog exercise a person needs while training."""

    id: str
    name: str
    summary: str
    position: str
    equipment: list[str]
    per_side: bool
    cues: list[str]
    faults: list[FaultBrief]
    camera_views: list[str]
    ladder: str
    camera_check: str = Field(description="What the camera can check of this exercise ('none': nothing)")


class SessionItem(Shape):
    exercise_id: str
    prescription: Prescription
    dose: str
    exercise: ExerciseBrief
    camera_note: Optional[str] = Field(default=None, description="Why the camera cannot check this exercise")


class RestingItem(Shape):
    exercise_id: str
    name: str
    rest_until: Date
    back_on: Date
    text: str


class StepBack(Shape):
    exercise_id: str
    name: str
    before: str
    after: str
    reason: str
    text: str


class ClinicianNote(Shape):
    at: DateTime
    by: str
    note: Optional[str]
    exercise_id: str
    after_exercise_id: str
    action: str


class CardFault(Shape):
    id: str
    name: str
    fix: str
    why: str


class Keyframe(Shape):
    t: float = Field(description="The moment in the loop, 0 to 1")
    joints: dict[str, list[float]] = Field(description="Joint name -> [x, y] in a 0..1 box, y downward")


class ExerciseCard(Shape):
    exercise_id: str
    name: str
    summary: str
    dose: str
    sets: int
    reps: Optional[int]
    hold_s: int
    band: Optional[str]
    per_side: bool
    cues: list[str]
    faults: list[CardFault]
    keyframes: list[Keyframe]
    period: Number = Field(description="Seconds one loop of the animation lasts")
    figure_seen_from: str = Field(description="Where the figure is seen from, when not from the side (else empty)")
    camera_note: Optional[str] = Field(description="Why the camera cannot check this exercise (None: it can)")
    sources: list[str] = Field(description="Where the exercise and its dose come from")


class WalkingGoal(Shape):
    """Today's walking goal, raised step by step while it is met."""

    minutes: int
    yesterday: Optional[int] = Field(description="Minutes walked yesterday, if said at the check-in")
    days_met: int
    window_days: int
    raised_on: Optional[Date]
    at_top: bool
    text: str


class Today(Shape):
    person_id: int
    date: Date
    phase: str
    clinician_note: Optional[ClinicianNote]
    rest_day: bool
    done_today: bool
    sessions_this_week: int
    days_per_week: int
    exercises: list[SessionItem]
    resting: list[RestingItem]
    stepped_back: list[StepBack]
    reminder: Optional[str]
    gate: Gate
    disclaimer: str
    effort: Optional[str] = Field(description="The phase's target effort at the end of each set, in plain words")
    rest_days_between: int
    walking: Optional[WalkingGoal]
    cards: list[ExerciseCard]


class ProgramPaused(Shape):
    """409 from GET /api/today: the program may not go on; the reasons and any standing lock."""

    detail: str
    program_allowed: Literal[False]
    reasons: list[str]
    lock: Optional[Lock]


# -- sessions, decisions, pain --------------------------------------------------------------

class Decision(Shape):
    """A decision of the rules (or a clinician) about one exercise, with its reasons."""

    exercise_id: str
    action: str
    before: Optional[Prescription]
    after: Optional[Prescription]
    reasons: list[str]


class StoredDecision(Decision):
    id: int
    at: DateTime
    source: str = Field(description="'rules' or 'clinician'")
    by_user_id: Optional[int]
    by_name: Optional[str]
    note: Optional[str]


class DecisionRow(Decision):
    """A decision with the names and doses in words, as the pages show it."""

    name: str
    after_name: str
    before_text: str
    after_text: str
    id: Optional[int] = None
    at: Optional[DateTime] = None
    source: Optional[str] = None
    by_user_id: Optional[int] = None
    by_name: Optional[str] = None
    note: Optional[str] = None


class Alert(Shape):
    code: str
    severity: int = Field(description="0-100; 50 and above: see a clinician")
    message: str
    due_on: Optional[Date]


class SessionLogged(Shape):
    session_id: int
    person_id: int
    performed_on: Date
    duplicate: bool = Field(description="The same session was already logged (same key): nothing changed")
    phase: Optional[str]
    phase_reasons: list[str]
    decisions: list[DecisionRow]
    alerts: list[Alert]
    reminder: Optional[str]


class ExerciseLogged(Shape):
    """One exercise as it was logged, with the prescription it was done at."""

    exercise_id: str
    performed_on: Date
    prescription: Prescription
    sets_done: int
    reps_per_set: list[int]
    hold_s_per_set: list[float]
    pain_during: int
    rpe: int
    form: str
    faults: list[str]
    serious_fault_fraction: Optional[float]
    next_morning_pain: Optional[int]


class SessionStored(Shape):
    id: int
    performed_on: Date
    at: DateTime
    entries: list[ExerciseLogged]
    decisions: list[DecisionRow]


class CheckinRecorded(Shape):
    entry_id: int
    person_id: int
    nprs: int
    kind: str
    decisions: list[Decision]
    alerts: list[Alert]
    gate: Gate
    walked_minutes: Optional[int] = Field(description="Minutes walked yesterday, as said")


class PainListed(Shape):
    id: int
    at: DateTime
    nprs: int
    kind: str
    new_symptoms: bool
    walked_minutes: Optional[int] = Field(description="Minutes walked the day before, as said at the check-in")


class PainRecent(Shape):
    at: DateTime
    nprs: int
    kind: str


class PainEntry(PainRecent):
    new_symptoms: bool


# -- progress and status --------------------------------------------------------------------

class PersonRef(Shape):
    id: int
    display_name: str
    onset_date: Optional[Date]


class WeekAdherence(Shape):
    week_start: Date
    done: int
    planned: int


class WeekAdherenceFraction(WeekAdherence):
    fraction: float


class Monitoring(Shape):
    baseline: Optional[float]
    mean_7d: Optional[float]
    trend: Literal["improving", "stable", "worsening", "unknown"]
    alerts: list[Alert]
    adherence: list[WeekAdherenceFraction]
    pause_progression: bool
    reasons: list[str]


class PainPoint(Shape):
    on: Date
    nprs: int
    kind: str


class LadderPlace(Shape):
    ladder: str
    current: str


class Charts(Shape):
    """The data behind the progress charts (the pages draw the same)."""

    baseline: Optional[float]
    mean_7d: Optional[float]
    trend: str
    alerts: list[Alert]
    reasons: list[str]
    pain: list[PainPoint]
    adherence: list[WeekAdherence]
    ladders: list[LadderPlace]
    decisions: list[DecisionRow]


class Status(Shape):
    person: PersonRef
    program_id: Optional[int]
    program: Optional[Program]
    program_allowed: bool
    gate: Gate
    monitoring: Monitoring
    escalations: list[Alert]
    decisions: list[StoredDecision]
    sessions_logged: int
    last_session_on: Optional[Date]
    pain_recent: list[PainRecent]
    disclaimer: str


class Prompts(Shape):
    next_morning_due: bool
    daily_checkin_done: bool
    rescreen_soon: bool


class Progress(Status):
    charts: Charts
    prompts: Prompts


# -- the catalog ----------------------------------------------------------------------------

class DoseRange(Shape):
    unit: str
    sets_min: int
    sets_max: int
    reps_min: Optional[int]
    reps_max: Optional[int]
    hold_s_min: int
    hold_s_max: int


class Fault(Shape):
    id: str
    name: str
    why_it_matters: str
    fix: str
    serious: bool


class Exercise(Shape):
    id: str
    name: str
    ladder: str
    step: int
    phase: str
    targets: list[str]
    position: str
    equipment: list[str]
    per_side: bool
    banded: bool
    dose: DoseRange
    cues: list[str]
    faults: list[Fault]
    camera_views: list[str]
    regression: Optional[str]
    progression: Optional[str]
    keyframes: list[Keyframe]
    summary: str
    instructions: list[str]
    illustration_view: str
    camera_check: str = Field(description="What the camera can check of this exercise ('none': nothing)")
    sources: list[str]
    lies_on_side: bool
    sore_hip_swap: Optional[str] = Field(description="The exercise done instead with a sore hip, if any")


# -- clinicians -----------------------------------------------------------------------------

class AttentionItem(Shape):
    code: str
    label: str
    message: str
    tone: str


class Attention(Shape):
    rank: int
    items: list[AttentionItem]


class PersonSummary(Shape):
    person_id: int
    display_name: str
    rank: int = Field(description="Lower needs attention sooner")
    attention: list[AttentionItem]
    alerts: list[Alert]
    latest_level: Optional[str]
    latest_on: Optional[Date]
    lock: Optional[Lock]
    program_allowed: bool
    phase: Optional[str]
    last_session_on: Optional[Date]
    mean_7d: Optional[float]
    trend: str


class ScreeningInRecord(Shape):
    id: int
    at: DateTime
    level: str
    answers: AnswerMap
    result: ScreeningResult
    rule_version: int


class AssessmentInRecord(Shape):
    id: int
    at: DateTime
    answers: AnswerMap
    result: AssessmentResult


class SessionInRecord(Shape):
    id: int
    performed_on: Date
    at: DateTime
    entries: list[ExerciseLogged]
    decisions: list[Decision]


class PersonRecord(Status):
    """One person's record for their clinician."""

    attention: Attention
    screenings: list[ScreeningInRecord]
    assessments: list[AssessmentInRecord]
    sessions: list[SessionInRecord]
    clearances: list[Clearance]
    pain: list[PainEntry]
    charts: Charts


class ClearanceRecorded(Shape):
    clearance_id: int
    person_id: int
    screening_id: int
    by: str
    at: DateTime
    ruled_out: str
    seen_where: str
    lifted_screening_id: Optional[int]
    gate: Gate


class AdjustmentRecorded(Shape):
    decision_id: int
    exercise_id: str
    action: str
    before: Prescription
    after: Prescription
    reasons: list[str]
    source: Literal["clinician"]
    by_name: str
    warnings: list[str] = Field(description="What the clinician confirmed going beyond the program's rules")


class NeedsConfirmation(Shape):
    """409 from an adjustment beyond the program's rules sent without `confirm`."""

    detail: str
    warnings: list[str]
    confirm_required: Literal[True]


class Invitation(Shape):
    code: str
    valid_days: int


class AuditEntry(Shape):
    at: DateTime
    actor: str = Field(description="The e-mail address of who did it, or 'system'")
    person_id: Optional[int]
    action: str
    detail: Optional[dict[str, Any]] = Field(description="What was seen or changed; its keys depend on the action")


class Assigned(Shape):
    assigned: Literal[True]


class Joined(Shape):
    clinician_user_id: int


class ClinicianAccount(Shape):
    id: int
    email: str
    display_name: str
    profession: str
    registration_number: str
    approval: Literal["pending", "approved", "refused"]
    created_at: DateTime
    decided_at: Optional[DateTime]
    decided_by: Optional[str]
    person_email: Optional[str] = Field(description="A person's account on the same mailbox, if any")


# -- camera coach ---------------------------------------------------------------------------

# `backcoach analyze --json`: repetitions, faults, warnings... (motion/result.py documents each key).
MotionResult = Annotated[dict[str, Any], Field(description="The analysis, exactly as `backcoach analyze --json` "
                                                           "prints it (see motion/result.py)")]


class LogFields(Shape):
    """What the analysis fills in on the session log form."""

    reps: int
    faults: list[str]
    form: str = Field(description="A suggestion the person can change: good, some_faults, or empty")
    serious_fault_fraction: Optional[float]
    hold_s: Optional[float] = Field(default=None, description="Seconds held in all (hold exercises)")


class RepetitionCue(Shape):
    cue: str
    fault: Optional[str]
    good: bool
    label: Optional[str] = Field(default=None, description="The fault in words, when there is one")


class LandmarksAnalysed(Shape):
    exercise_id: str
    result: MotionResult
    log: LogFields
    cues: list[RepetitionCue]


class RepetitionPicture(Shape):
    """One repetition's annotated picture (JPEG at `url`)."""

    index: int
    t: float = Field(description="Its time in the video, in seconds")
    width: int
    height: int
    url: str


class VideoAnalysis(Shape):
    id: int
    exercise_id: str
    status: str = Field(description="queued, running, done or failed")
    progress: float
    error: Optional[str]
    video_kept: bool
    created_at: DateTime
    finished_at: Optional[DateTime]
    result: Optional[MotionResult]
    log: Optional[LogFields] = Field(default=None, description="Once the result is in")
    cues: Optional[list[RepetitionCue]] = Field(default=None, description="Once the result is in")
    keyframes: Optional[list[RepetitionPicture]] = Field(
        default=None, description="Each repetition's annotated picture, once the result is in")


# -- your data ------------------------------------------------------------------------------

class DataExport(Shape):
    """Everything held about an account, table by table (each table's rows as its columns)."""

    generated_at: DateTime
    about: str
    privacy_notice_version: str
    tables: dict[str, list[dict[str, Any]]] = Field(description="Table name -> its rows about you")


def respond_with(model: type[Shape], status_code: int = 200) -> Callable[[Any], Response]:
    """What FastAPI would send for a service's dict under ``response_model=model`` and
    `FROM_DICT`, built in the route for a keyed write, whose answer is stored with its key
    (web/idempotency.py) and so must be bytes before the route returns."""
    adapter = _adapter(model)

    def respond(data: Any) -> Response:
        value = adapter.validate_python(data.to_dict() if hasattr(data, "to_dict") else data)
        return Response(adapter.dump_json(value, exclude_unset=True, by_alias=True), status_code=status_code,
                        media_type="application/json")

    return respond


@functools.lru_cache(maxsize=None)
def _adapter(model: type[Shape]) -> TypeAdapter[Any]:
    return TypeAdapter(model)
