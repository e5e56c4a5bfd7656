"""Red-flag screening (DESIGN.md §2).

CONTRACT (to be implemented by the core engineer; names and fields are fixed):

class Level(enum.IntEnum): CLEAR=0, SEE_CLINICIAN=1, URGENT=2, EMERGENCY=3
    .value_name -> "clear" | "see_clinician" | "urgent" | "emergency"  (property `code`)
    Level.from_code(str) -> Level

@dataclass(frozen=True) class ScreeningAnswers: one Optional field per answer key of the
    answers file (None = not answered):
    age: int|None; pain_now: int|None; pain_worst_24h: int|None; onset_weeks: float|None;
    radiation: Literal["none","buttock","thigh","below_knee"]|None;
    legs_affected: Literal["none","one","both"]|None;
    leg_numbness_or_tingling: bool|None; leg_weakness: Literal["none","stable","worsening"]|None;
    bladder_change, bowel_control_loss, saddle_numbness, new_sexual_dysfunction,
    relieved_by_rest, worse_at_night, fever_or_chills, cancer_history,
    unexplained_weight_loss: bool|None; recent_trauma: Literal["none","minor","major"]|None;
    osteoporosis_or_steroids, immunosuppressed_or_injects_drugs, first_episode: bool|None
    .to_dict() -> dict (only answered keys)

parse_answers(mapping: Mapping[str, object]) -> ScreeningAnswers
    raises InvalidAnswers (plain message naming the key) on wrong type / out of range /
    unknown key. bool fields accept only JSON booleans.

QUESTIONS: tuple[Question, ...]  - Question(key, text, kind: "bool"|"int"|"number"|"choice",
    choices: tuple[str,...] , min, max, serious: bool) in the order to ask them; plain
    language written by us.

@dataclass(frozen=True) class Reason: item: str; level: Level; message: str
@dataclass(frozen=True) class ScreeningResult: level: Level; reasons: tuple[Reason, ...];
    next_step: str (plain-language what to do now); program_allowed: bool (property);
    .to_dict() -> {"level": code, "program_allowed": bool, "reasons": [{"item","level","message"}], "next_step": str}

screen(answers: ScreeningAnswers) -> ScreeningResult
DISCLAIMER: str  - "backcoach does not replace a clinician ..." (our words)
"""
