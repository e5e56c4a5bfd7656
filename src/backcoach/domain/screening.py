"""Red-flag screening (DESIGN.md §2).

Before anyone exercises, we look for warning signs that a back problem needs a doctor
rather than an exercise program. The levels are ordered and the highest one found wins.

Decisions taken here, on the cautious side:

* Unanswered serious item. Every question that can on its own (or together with one
  other answer) lead to ``urgent`` or ``emergency`` is marked ``serious``. If any of them
  is left unanswered (``None``) the result is at least ``see_clinician`` with a reason
  "not answered: ...". We never infer a missing answer from the others (for example we
  do not skip "is the pain relieved by rest" because the pain score is low): a form that
  silently drops a question must not be able to produce ``clear``. The cost is one more
  question to answer.
* More concerning answers never lower the level. Every rule only adds reasons; a reason
  depends on answers only through "this answer is at least this concerning". The order
  of concern for each question is ``Question.risk_order`` (used by the property tests).
* Leg numbness or weakness without pain below the knee is not in the DESIGN minimum
  list; we still ask for a clinician's review (``see_clinician``) because it is a
  neurological symptom and because it keeps the rules monotone.
* The NPRS, age and duration cut-offs come from ``catalog/thresholds.yaml``
  (``screening`` section) when the caller passes the thresholds; the built-in defaults
  are the same numbers.

All wording is ours, in plain language, and none of it replaces a clinician.
"""

from __future__ import annotations

import enum
import math
from dataclasses import dataclass, fields
from typing import TYPE_CHECKING, Literal, Mapping

from .errors import InvalidAnswers

if TYPE_CHECKING:  # pragma: no cover
    from .thresholds import Thresholds

DISCLAIMER = (
    "backcoach does not replace a clinician. It helps you exercise safely and tells you "
    "when to get help, but it cannot examine you or make a diagnosis. If you are worried, "
    "or if something new or severe happens, contact a doctor or physiotherapist. "
    "In an emergency call your local emergency number."
)


class Level(enum.IntEnum):
    """How urgently the person should see someone; higher is more urgent."""

    CLEAR = 0
    SEE_CLINICIAN = 1
    URGENT = 2
    EMERGENCY = 3

    @property
    def code(self) -> str:
        return self.name.lower()

    @property
    def value_name(self) -> str:
        return self.code

    @classmethod
    def from_code(cls, code: str) -> "Level":
        try:
            return cls[str(code).upper()]
        except KeyError:
            valid = ", ".join(level.code for level in cls)
            raise InvalidAnswers(f"Unknown screening level {code!r}; expected one of: {valid}.") from None


Radiation = Literal["none", "buttock", "thigh", "below_knee"]
LegsAffected = Literal["none", "one", "both"]
LegWeakness = Literal["none", "stable", "worsening"]
Trauma = Literal["none", "minor", "major"]


@dataclass(frozen=True)
class ScreeningAnswers:
    """One field per question; ``None`` means "not answered" and is never read as "no"."""

    age: int | None = None
    pain_now: int | None = None
    pain_worst_24h: int | None = None
    onset_weeks: float | None = None
    radiation: Radiation | None = None
    legs_affected: LegsAffected | None = None
    leg_numbness_or_tingling: bool | None = None
    leg_weakness: LegWeakness | None = None
    bladder_change: bool | None = None
    bowel_control_loss: bool | None = None
    saddle_numbness: bool | None = None
    new_sexual_dysfunction: bool | None = None
    relieved_by_rest: bool | None = None
    worse_at_night: bool | None = None
    fever_or_chills: bool | None = None
    cancer_history: bool | None = None
    unexplained_weight_loss: bool | None = None
    recent_trauma: Trauma | None = None
    osteoporosis_or_steroids: bool | None = None
    immunosuppressed_or_injects_drugs: bool | None = None
    first_episode: bool | None = None

    def to_dict(self) -> dict[str, object]:
        return {f.name: getattr(self, f.name) for f in fields(self) if getattr(self, f.name) is not None}


@dataclass(frozen=True)
class Question:
    """One screening question as the CLI and the web wizard ask it.

    ``risk_order`` lists the possible answers from least to most concerning (for
    ``bool``/``choice``); for numbers a higher value is more concerning unless the
    question is ``age`` (whose concern is not monotone: too young or too old).
    """

    key: str
    text: str
    kind: Literal["bool", "int", "number", "choice"]
    choices: tuple[str, ...] = ()
    min: float | None = None
    max: float | None = None
    serious: bool = False
    risk_order: tuple[object, ...] = ()
    help: str = ""


_YES_WORSE = (False, True)

QUESTIONS: tuple[Question, ...] = (
    Question("age", "How old are you (in years)?", "int", min=0, max=120),
    Question("pain_now", "How bad is your back pain right now, from 0 (no pain) to 10 (worst imaginable)?",
             "int", min=0, max=10, serious=True),
    Question("pain_worst_24h", "How bad was it at its worst in the last 24 hours, from 0 to 10?",
             "int", min=0, max=10, serious=True),
    Question("onset_weeks", "How many weeks ago did this episode of back pain start?", "number", min=0, max=1040),
    Question("first_episode", "Is this the first time you have had back pain like this?", "bool",
             risk_order=_YES_WORSE),
    Question("radiation", "Does the pain spread anywhere? Choose the furthest point it reaches.", "choice",
             choices=("none", "buttock", "thigh", "below_knee"), serious=True,
             risk_order=("none", "buttock", "thigh", "below_knee"),
             help="none = only the back; below_knee = into the calf, ankle or foot."),
    Question("legs_affected", "Do you have pain, numbness or tingling in your legs? In one leg or both?", "choice",
             choices=("none", "one", "both"), serious=True, risk_order=("none", "one", "both")),
    Question("leg_numbness_or_tingling", "Do you have numbness, pins and needles or tingling in a leg or foot?",
             "bool", serious=True, risk_order=_YES_WORSE),
    Question("leg_weakness", "Is a leg or foot weak (for example it gives way, or your foot slaps or catches)? "
             "If so, is it staying the same or getting worse?", "choice",
             choices=("none", "stable", "worsening"), serious=True, risk_order=("none", "stable", "worsening")),
    Question("bladder_change", "Since the back pain started, have you had new trouble passing urine, "
             "or leaked urine without meaning to?", "bool", serious=True, risk_order=_YES_WORSE),
    Question("bowel_control_loss", "Have you had new trouble controlling your bowels?", "bool", serious=True,
             risk_order=_YES_WORSE),
    Question("saddle_numbness", "Is there numbness or a strange feeling around your bottom, genitals, groin or "
             "inner thighs (the area that would touch a saddle)?", "bool", serious=True, risk_order=_YES_WORSE),
    Question("new_sexual_dysfunction", "Since the back pain started, have you noticed new problems with sexual "
             "function (for example loss of sensation)?", "bool", serious=True, risk_order=_YES_WORSE),
    Question("relieved_by_rest", "Does resting or changing position ease the pain?", "bool", serious=True,
             risk_order=(True, False)),
    Question("worse_at_night", "Is the pain worse at night, or does it wake you and keep you awake?", "bool",
             serious=True, risk_order=_YES_WORSE),
    Question("fever_or_chills", "Have you had a fever, chills or sweats with this back pain?", "bool",
             serious=True, risk_order=_YES_WORSE),
    Question("cancer_history", "Have you ever had cancer?", "bool", serious=True, risk_order=_YES_WORSE),
    Question("unexplained_weight_loss", "Have you lost weight recently without trying?", "bool", serious=True,
             risk_order=_YES_WORSE),
    Question("recent_trauma", "Did the pain start after an accident or fall? How big was it?", "choice",
             choices=("none", "minor", "major"), serious=True, risk_order=("none", "minor", "major"),
             help="minor = a trip or fall from standing height; major = a car accident, a fall from a height, "
                  "a sports collision."),
    Question("osteoporosis_or_steroids", "Do you have osteoporosis (thin bones), or have you taken steroid "
             "tablets for more than three months?", "bool", serious=True, risk_order=_YES_WORSE),
    Question("immunosuppressed_or_injects_drugs", "Do you take medicines that weaken the immune system, have a "
             "condition that does, or inject drugs?", "bool", serious=True, risk_order=_YES_WORSE),
)

QUESTIONS_BY_KEY: Mapping[str, Question] = {q.key: q for q in QUESTIONS}
SERIOUS_KEYS: tuple[str, ...] = tuple(q.key for q in QUESTIONS if q.serious)

_SHORT: Mapping[str, str] = {
    "age": "your age",
    "pain_now": "how bad the pain is now",
    "pain_worst_24h": "how bad the pain was at its worst in the last 24 hours",
    "onset_weeks": "when the pain started",
    "first_episode": "whether this is your first episode of back pain",
    "radiation": "how far the pain spreads",
    "legs_affected": "whether one or both legs are affected",
    "leg_numbness_or_tingling": "numbness or tingling in a leg",
    "leg_weakness": "weakness in a leg",
    "bladder_change": "changes in bladder control",
    "bowel_control_loss": "changes in bowel control",
    "saddle_numbness": "numbness around the bottom, genitals or inner thighs",
    "new_sexual_dysfunction": "new problems with sexual function",
    "relieved_by_rest": "whether rest eases the pain",
    "worse_at_night": "whether the pain is worse at night",
    "fever_or_chills": "fever or chills",
    "cancer_history": "a history of cancer",
    "unexplained_weight_loss": "unexplained weight loss",
    "recent_trauma": "a recent accident or fall",
    "osteoporosis_or_steroids": "osteoporosis or long-term steroid use",
    "immunosuppressed_or_injects_drugs": "a weakened immune system or injected drug use",
}


def parse_answers(mapping: Mapping[str, object]) -> ScreeningAnswers:
    """Turn a JSON-like mapping into answers, refusing anything we would have to guess."""
    if not isinstance(mapping, Mapping):
        raise InvalidAnswers("The screening answers must be a set of question keys with their answers.")
    values: dict[str, object] = {}
    for key, value in mapping.items():
        question = QUESTIONS_BY_KEY.get(key)  # type: ignore[arg-type]
        if question is None:
            valid = ", ".join(QUESTIONS_BY_KEY)
            raise InvalidAnswers(f"Unknown screening question {key!r}. Known questions: {valid}.")
        values[key] = None if value is None else _check_value(question, value)
    return ScreeningAnswers(**values)  # type: ignore[arg-type]


def _check_value(question: Question, value: object) -> object:
    key = question.key
    if question.kind == "bool":
        if not isinstance(value, bool):
            raise InvalidAnswers(f"The answer to {key!r} must be true or false (got {value!r}).")
        return value
    if question.kind == "choice":
        if not isinstance(value, str) or value not in question.choices:
            raise InvalidAnswers(
                f"The answer to {key!r} must be one of {', '.join(question.choices)} (got {value!r})."
            )
        return value
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise InvalidAnswers(f"The answer to {key!r} must be a number (got {value!r}).")
    if question.kind == "int":
        if isinstance(value, float):
            if not value.is_integer():
                raise InvalidAnswers(f"The answer to {key!r} must be a whole number (got {value!r}).")
            value = int(value)
    else:
        if not math.isfinite(value):
            raise InvalidAnswers(f"The answer to {key!r} must be a finite number (got {value!r}).")
        value = float(value)
    if (question.min is not None and value < question.min) or (question.max is not None and value > question.max):
        raise InvalidAnswers(
            f"The answer to {key!r} must be between {question.min:g} and {question.max:g} (got {value!r})."
        )
    return value


@dataclass(frozen=True)
class Reason:
    """One warning sign (or missing answer) and what it means, in plain language."""

    item: str
    level: Level
    message: str

    def to_dict(self) -> dict[str, str]:
        return {"item": self.item, "level": self.level.code, "message": self.message}


NEXT_STEPS: Mapping[Level, str] = {
    Level.EMERGENCY: (
        "Seek emergency care now: call your local emergency number or go to the nearest emergency department. "
        "Do not do the exercises. Your program is locked."
    ),
    Level.URGENT: (
        "See a doctor within 24 hours (your GP, an urgent care service, or out-of-hours service). "
        "Your program is paused until a clinician has checked you and their go-ahead is recorded."
    ),
    Level.SEE_CLINICIAN: (
        "Book a review with a doctor or physiotherapist. Meanwhile you may continue the gentle program "
        "with care; stop any exercise that makes your symptoms worse."
    ),
    Level.CLEAR: (
        "No warning sign was found. You can start or continue your program. Answer these questions again "
        "each week, and straight away if anything new happens."
    ),
}


@dataclass(frozen=True)
class ScreeningResult:
    level: Level
    reasons: tuple[Reason, ...]
    next_step: str

    @property
    def program_allowed(self) -> bool:
        """Without a recorded clearance only ``clear`` and ``see_clinician`` allow the program."""
        return self.level <= Level.SEE_CLINICIAN

    def to_dict(self) -> dict[str, object]:
        return {
            "level": self.level.code,
            "program_allowed": self.program_allowed,
            "reasons": [r.to_dict() for r in self.reasons],
            "next_step": self.next_step,
        }


def screen(answers: ScreeningAnswers, thresholds: "Thresholds | None" = None) -> ScreeningResult:
    """Apply the red-flag rules; the highest level found wins and every finding is a reason."""
    from .thresholds import DEFAULT_THRESHOLDS

    t = (thresholds or DEFAULT_THRESHOLDS).screening
    a = answers
    reasons: list[Reason] = []

    def flag(item: str, level: Level, message: str) -> None:
        reasons.append(Reason(item, level, message))

    # Emergency: possible cauda equina syndrome or rapidly progressive neurological loss.
    emergency_items = {
        "bladder_change": "New trouble passing urine or loss of bladder control can mean the nerves at the "
                          "bottom of the spine are being squeezed (cauda equina syndrome).",
        "bowel_control_loss": "New loss of bowel control can mean the nerves at the bottom of the spine are "
                              "being squeezed (cauda equina syndrome).",
        "saddle_numbness": "Numbness around the bottom, genitals or inner thighs can mean the nerves at the "
                           "bottom of the spine are being squeezed (cauda equina syndrome).",
        "new_sexual_dysfunction": "New problems with sexual function together with back pain can mean the "
                                  "nerves at the bottom of the spine are being squeezed (cauda equina syndrome).",
    }
    any_emergency_item = False
    for item, message in emergency_items.items():
        if getattr(a, item) is True:
            any_emergency_item = True
            flag(item, Level.EMERGENCY, message)
    if a.leg_weakness == "worsening":
        any_emergency_item = True
        flag("leg_weakness", Level.EMERGENCY,
             "A leg that is getting weaker quickly means a nerve may be losing its function and needs "
             "emergency assessment.")
    if a.legs_affected == "both" and any_emergency_item:
        flag("legs_affected", Level.EMERGENCY,
             "Symptoms in both legs together with the signs above make cauda equina syndrome more likely.")

    # Urgent: possible nerve compression, infection, tumour or fracture.
    leg_neuro = a.leg_numbness_or_tingling is True or a.leg_weakness in ("stable", "worsening")
    if a.radiation == "below_knee" and leg_neuro:
        flag("radiation", Level.URGENT,
             "Pain spreading below the knee together with numbness, tingling or weakness in that leg suggests "
             "a trapped nerve that a doctor should check within 24 hours.")
    if a.legs_affected == "both":
        flag("legs_affected", Level.URGENT,
             "Pain or nerve symptoms in both legs (sciatica in both legs) need a doctor's check within 24 hours.")
    severe_now = a.pain_now is not None and a.pain_now >= t.severe_pain_nprs
    severe_worst = a.pain_worst_24h is not None and a.pain_worst_24h >= t.severe_pain_nprs
    if (severe_now or severe_worst) and (a.relieved_by_rest is False or a.worse_at_night is True):
        how = []
        if a.relieved_by_rest is False:
            how.append("rest does not ease it")
        if a.worse_at_night is True:
            how.append("it is worse at night")
        flag("pain_now" if severe_now else "pain_worst_24h", Level.URGENT,
             f"Severe pain ({t.severe_pain_nprs}/10 or more) where {' and '.join(how)} is not typical of a "
             "simple back strain and should be checked by a doctor within 24 hours.")
    urgent_items = {
        "fever_or_chills": "Fever or chills with back pain can be a sign of infection.",
        "cancer_history": "Back pain in someone who has had cancer should be checked by a doctor, to rule out "
                          "the cancer affecting the spine.",
        "unexplained_weight_loss": "Losing weight without trying, together with back pain, should be checked by "
                                   "a doctor.",
        "immunosuppressed_or_injects_drugs": "A weakened immune system or injected drug use raises the risk of "
                                             "an infection in the spine.",
    }
    for item, message in urgent_items.items():
        if getattr(a, item) is True:
            flag(item, Level.URGENT, message)
    if a.recent_trauma == "major":
        flag("recent_trauma", Level.URGENT,
             "Back pain after a significant accident or fall needs a doctor's check for a possible fracture.")
    elif a.recent_trauma == "minor" and a.osteoporosis_or_steroids is True:
        flag("recent_trauma", Level.URGENT,
             "Even a minor fall can break a bone in the spine when bones are thin (osteoporosis or long-term "
             "steroids); a doctor should check within 24 hours.")

    # See a clinician: a review is due, the gentle program may continue.
    if a.radiation == "below_knee" and not leg_neuro:
        flag("radiation", Level.SEE_CLINICIAN,
             "Pain spreading below the knee is worth a review by a doctor or physiotherapist, even without "
             "numbness or weakness.")
    if a.radiation != "below_knee" and leg_neuro:
        flag("leg_numbness_or_tingling" if a.leg_numbness_or_tingling else "leg_weakness", Level.SEE_CLINICIAN,
             "Numbness, tingling or weakness in a leg is a nerve symptom that a doctor or physiotherapist "
             "should look at.")
    if a.onset_weeks is not None and a.onset_weeks > t.long_episode_weeks:
        flag("onset_weeks", Level.SEE_CLINICIAN,
             f"Back pain that has lasted more than {t.long_episode_weeks:g} weeks deserves a review by a doctor "
             "or physiotherapist.")
    if a.first_episode is True and a.age is not None and (
        a.age > t.first_episode_age_over or a.age < t.first_episode_age_under
    ):
        flag("first_episode", Level.SEE_CLINICIAN,
             f"A first episode of back pain after age {t.first_episode_age_over} or before age "
             f"{t.first_episode_age_under} is worth a review by a doctor or physiotherapist.")

    # Unanswered serious items: never read as "no".
    for key in SERIOUS_KEYS:
        if getattr(a, key) is None:
            flag(key, Level.SEE_CLINICIAN,
                 f"not answered: {_SHORT[key]}. Without this answer we cannot rule out a warning sign, so "
                 "please answer it or ask a clinician.")

    level = max((r.level for r in reasons), default=Level.CLEAR)
    if not reasons:
        reasons.append(Reason("none", Level.CLEAR, "No warning sign was found in your answers."))
    reasons.sort(key=lambda r: -r.level)
    return ScreeningResult(level=level, reasons=tuple(reasons), next_step=NEXT_STEPS[level])
