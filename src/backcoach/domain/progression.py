"""Per-exercise progression after each session (DESIGN.md §4, pain-monitoring model).

CONTRACT (names and fields fixed; add fields only with defaults):

FormRating = Literal["good","some_faults","poor"]

@dataclass(frozen=True) class ExerciseLog:
    exercise_id: str; performed_on: date; prescription: Prescription (what was asked);
    sets_done: int; reps_per_set: tuple[int,...] (for reps) ; hold_s_per_set: tuple[float,...] (for holds or top squeeze);
    pain_during: int (0-10); rpe: int (0-10); form: FormRating; faults: tuple[str,...] = ()
    (fault ids, e.g. from the camera); serious_fault_fraction: float|None = None (share of reps
    with a serious fault such as lumbar_hyperextension); next_morning_pain: int|None = None
    .dose_fraction -> float (done / prescribed) ; .full_dose -> bool ; to_dict/from_dict

Action = Literal["progress","hold","regress"]
@dataclass(frozen=True) class Decision:
    exercise_id: str; action: Action; before: Prescription; after: Prescription; reasons: tuple[str,...] (>=1)
    .to_dict()

progress_decision(prescription: Prescription, logs: Sequence[ExerciseLog] (this exercise, oldest first,
                  the latest is the session just done), baseline_pain: float|None, catalog: Catalog) -> Decision
    regress if pain during > 5, or next-morning pain >= baseline + 2, or serious fault in >= 30 % of
    reps, or less than half the dose; hold if pain during 3-5, RPE >= 8, any fault, dose not completed,
    or fewer than two qualifying sessions; progress after two consecutive sessions with full dose,
    RPE <= 7, pain during <= 2 settled by next morning, good form. Progress order: reps to the top of
    the range, then sets, then hold time, then (banded) band light->medium->heavy, then the next
    exercise on the ladder at the bottom of its range. Regress in the reverse order. Never skips a
    ladder step. Rule numbers come from catalog/thresholds.yaml where a clinician might change them.
"""
