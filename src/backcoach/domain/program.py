"""The program (DESIGN.md §4): phases and per-exercise prescriptions, gated by screening.

CONTRACT (names and fields fixed; add fields only with defaults):

Phase = Literal["activation","strengthening","integration"]

@dataclass(frozen=True) class Prescription:
    exercise_id: str; sets: int; reps: int|None (None for timed holds); hold_s: int (top squeeze,
    or the hold for a timed hold); band: "light"|"medium"|"heavy"|None; per_side: bool
    .describe() -> "2 × 10 reps, 3 s squeeze at the top" ; .to_dict() ; Prescription.from_dict()

@dataclass(frozen=True) class Program:
    phase: Phase; prescriptions: tuple[Prescription,...]; days_per_week: int;
    started_on: date; reasons: tuple[str,...]
    .to_dict() ; Program.from_dict()

@dataclass(frozen=True) class ScreeningGate: allowed: bool; reasons: tuple[str,...]; reminder: str|None
screening_gate(latest_level: Level|None, screened_at: datetime|None, now: datetime,
               clearance_at: datetime|None, new_symptoms_since: datetime|None) -> ScreeningGate
    THE single gate every path uses before producing or continuing a program:
    no screening / older than 7 days / new symptoms since -> not allowed ("screen again");
    emergency -> never allowed; urgent -> allowed only with a clinician clearance recorded after
    that screening; see_clinician -> allowed with a reminder; clear -> allowed.
require_program_allowed(gate) -> None  raises ProgramLocked(gate reasons)

build_program(assessment: AssessmentResult, catalog: Catalog, gate: ScreeningGate, today: date) -> Program
    starts in activation with the assessment's starting levels at the bottom of their dose range.
phase_for(program: Program, weeks_since_start: float, recent_decisions) -> (Phase, reasons)
    criteria-based phase advance (not only calendar).
todays_session(program, catalog, today, sessions_this_week: int) -> tuple[Prescription,...] (empty on a rest day?)
"""
