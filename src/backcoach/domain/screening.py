"""Red-flag screening (DESIGN.md §2, rules version 2).

Before anyone exercises, we look for warning signs that a back problem needs a doctor
rather than an exercise program. The levels are ordered and the highest one found wins.
Every result carries ``rule_version`` so that a stored screen is always shown with the
rules that decided it (old screens are never re-evaluated with newer rules).

Decisions taken here, on the cautious side:

* Unanswered items. DESIGN §2 says an unanswered item is never read as "no" and the
  result then cannot be ``clear``. So every question left unanswered (``None``) gives
  at least ``see_clinician`` with a reason "not answered: ...", including the ones that
  can only lead to ``see_clinician`` (onset, first episode, upper/middle back pain,
  morning stiffness). ``Question.serious`` marks the questions that can lead to
  ``urgent`` or ``emergency`` (alone or with one other answer); age is one of them in
  version 2 (minor trauma or a sudden onset at age >= 70). We never infer a missing
  answer from the others.
* More concerning answers never lower the level. Every rule only adds reasons; a reason
  depends on answers only through "this answer is at least this concerning" (age aside,
  whose concern is not monotone). The order of concern for each question is
  ``Question.risk_order`` (used by the property tests).
* Leg numbness or tingling without pain below the knee is not in DESIGN's list; we still
  ask for a clinician's review (``see_clinician``): it is a nerve symptom, and over-triage
  by one step costs a review, not an emergency visit.
* Upper or middle back pain and long morning stiffness lead to ``see_clinician`` only
  (DESIGN); with any other warning sign the other sign decides the level.
* "Pain that rest does not relieve or that is worse at night" below the severe level is
  ``see_clinician``; at or above it ``urgent``.
* Every number (NPRS, ages, weeks, minutes, the time frames in the questions) comes from
  ``catalog/thresholds.yaml`` (``screening`` section), passed in by the caller: there is no
  second copy here, and :func:`screen` refuses to run without them.

All wording is ours, in plain language, and none of it replaces a clinician.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, fields, replace
from typing import TYPE_CHECKING, Literal, Mapping

from .errors import InvalidAnswers, InvalidCatalog
from .fields import FieldSpec, Spec, validate

if TYPE_CHECKING:  # pragma: no cover
    from .thresholds import ScreeningThresholds, Thresholds

RULE_VERSION = 2
"""The version of the rules below (DESIGN §2 "version 2"); stored with every screen."""

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
    sudden_onset: bool | None = None
    recent_infection_or_spinal_procedure: bool | None = None
    walking_unsteady: bool | None = None
    thoracic_pain: bool | None = None
    morning_stiffness_over_30_min: bool | None = None

    def to_dict(self) -> dict[str, object]:
        return {f.name: getattr(self, f.name) for f in fields(self) if getattr(self, f.name) is not None}


@dataclass(frozen=True)
class Question:
    """One screening question as the CLI, the API and the web form ask it.

    ``text`` and ``help`` may name thresholds in braces (``{new_symptom_weeks}``): show
    the questions from :func:`questions`, which fills them in from the loaded thresholds.
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


def _yes_no(key: str, text: str, serious: bool = True, help: str = "") -> Question:
    return Question(key, text, "bool", serious=serious, risk_order=_YES_WORSE, help=help)


QUESTIONS: tuple[Question, ...] = (
    Question("age", "How old are you (in years)?", "int", min=0, max=120, serious=True),
    Question("pain_now", "How bad is your back pain right now, from 0 (no pain) to 10 (worst imaginable)?",
             "int", min=0, max=10, serious=True),
    Question("pain_worst_24h", "How bad was it at its worst in the last 24 hours, from 0 to 10?",
             "int", min=0, max=10, serious=True),
    Question("onset_weeks", "How many weeks ago did this episode of back pain start?", "number", min=0, max=1040,
             help="Enter 0 if it started this week."),
    _yes_no("first_episode", "Is this the first time in your life you have had back pain like this?", serious=False),
    _yes_no("sudden_onset", "Did this pain start suddenly, within a few minutes (for example as you bent, lifted, "
            "coughed or sneezed), rather than building up over hours or days?"),
    Question("radiation", "Does the pain spread anywhere? Choose the furthest point it reaches.", "choice",
             choices=("none", "buttock", "thigh", "below_knee"), serious=True,
             risk_order=("none", "buttock", "thigh", "below_knee"),
             help="Below the knee means into the calf, ankle or foot."),
    Question("legs_affected", "Does pain, aching, numbness or tingling reach your buttocks or legs? "
             "If so, on one side or on both sides?", "choice",
             choices=("none", "one", "both"), serious=True, risk_order=("none", "one", "both")),
    _yes_no("leg_numbness_or_tingling", "Do you have numbness, pins and needles or tingling in a leg or foot that "
            "started with this back pain, is new in the last {new_symptom_weeks} weeks, or is getting worse?"),
    Question("leg_weakness", "Is a leg or foot weak (for example your knee gives way, or your foot slaps or "
             "catches when you walk)? If so, is it staying the same, or getting worse over hours or days?",
             "choice", choices=("none", "stable", "worsening"), serious=True,
             risk_order=("none", "stable", "worsening")),
    _yes_no("walking_unsteady", "In the last {new_symptom_weeks} weeks, have you become unsteady on your feet or "
            "clumsy when you walk, or is your balance getting worse?"),
    _yes_no("bladder_change", "Since this back pain started, or in the last {new_symptom_weeks} weeks, have you had "
            "new trouble with your bladder: difficulty starting to pass urine, a weak flow, not feeling when your "
            "bladder is full, or leaking urine without meaning to?"),
    _yes_no("bowel_control_loss", "Since this back pain started, or in the last {new_symptom_weeks} weeks, have you "
            "had new trouble controlling your bowels, or not felt when you pass a stool?"),
    _yes_no("saddle_numbness", "Since this back pain started, or in the last {new_symptom_weeks} weeks, have you "
            "had new numbness or a changed feeling around your bottom, genitals, groin or inner thighs (the area "
            "that would touch a saddle), for example when you wipe after using the toilet?"),
    _yes_no("new_sexual_dysfunction", "Since this back pain started, have you noticed new problems with sexual "
            "function, for example less feeling in the genitals, or not being able to get an erection or reach "
            "orgasm?"),
    _yes_no("relieved_by_rest", "Does resting, lying down or changing position ease the pain?"),
    _yes_no("worse_at_night", "Is the pain worse at night, or does it wake you and keep you awake?"),
    _yes_no("thoracic_pain", "With this episode, do you also have pain in your upper or middle back (between or "
            "around your shoulder blades)?", serious=False),
    _yes_no("morning_stiffness_over_30_min", "On most mornings in the last {new_symptom_weeks} weeks, has your back "
            "stayed stiff for more than {morning_stiffness_minutes} minutes after you get up?", serious=False),
    _yes_no("fever_or_chills", "Since this back pain started, or in the last {new_symptom_weeks} weeks, have you had "
            "a fever (a high temperature), shivering, chills or sweats at night?"),
    _yes_no("recent_infection_or_spinal_procedure", "In the last {recent_months} months, have you had an infection "
            "(for example a urine, chest, skin or blood infection), or an operation, injection or other procedure "
            "on your spine?"),
    _yes_no("cancer_history", "Have you ever had cancer, even if it was treated and has gone?"),
    _yes_no("unexplained_weight_loss", "In the last {recent_months} months, have you lost weight without trying?"),
    Question("recent_trauma", "Did this pain start after an accident, a fall or a knock? If so, how big was it?",
             "choice", choices=("none", "minor", "major"), serious=True, risk_order=("none", "minor", "major"),
             help="A minor fall is a trip or a fall from standing height. A major accident is, for example, a car "
                  "accident, a fall from a height or a hard collision in sport."),
    _yes_no("osteoporosis_or_steroids", "Do you have osteoporosis (thin bones), or have you taken steroid tablets "
            "(such as prednisolone) for more than {long_term_steroid_months} months?"),
    _yes_no("immunosuppressed_or_injects_drugs", "Do you take medicines that weaken the immune system (for example "
            "after a transplant, or for cancer or arthritis), have a condition that weakens it, or inject drugs?"),
)

QUESTIONS_BY_KEY: Mapping[str, Question] = {q.key: q for q in QUESTIONS}
SERIOUS_KEYS: tuple[str, ...] = tuple(q.key for q in QUESTIONS if q.serious)
ALL_KEYS: tuple[str, ...] = tuple(q.key for q in QUESTIONS)


def _numbers(thresholds: "Thresholds") -> "ScreeningThresholds":
    """The screening section of the loaded thresholds; refuses to guess it."""
    numbers = getattr(thresholds, "screening", None)
    if numbers is None:
        raise InvalidCatalog("The screening thresholds are missing: load them from catalog/thresholds.yaml "
                             "(backcoach.catalog.load_thresholds()) and pass them in.")
    return numbers


def short_label(key: str) -> str:
    """What a question is about, in a few plain words (for lists of missing answers)."""
    return _SHORT[key]


def questions(thresholds: "Thresholds") -> tuple[Question, ...]:
    """The questions as shown to a person, with the time frames and numbers filled in."""
    values = {f.name: format(getattr(_numbers(thresholds), f.name), "g") for f in fields(_numbers(thresholds))}
    return tuple(replace(q, text=q.text.format(**values), help=q.help.format(**values)) for q in QUESTIONS)


_SHORT: Mapping[str, str] = {
    "age": "your age",
    "pain_now": "how bad the pain is now",
    "pain_worst_24h": "how bad the pain was at its worst in the last 24 hours",
    "onset_weeks": "when the pain started",
    "first_episode": "whether this is your first episode of back pain",
    "sudden_onset": "whether the pain started suddenly",
    "radiation": "how far the pain spreads",
    "legs_affected": "whether one or both sides are affected",
    "leg_numbness_or_tingling": "numbness or tingling in a leg",
    "leg_weakness": "weakness in a leg",
    "walking_unsteady": "whether you have become unsteady on your feet",
    "bladder_change": "changes in bladder control",
    "bowel_control_loss": "changes in bowel control",
    "saddle_numbness": "numbness around the bottom, genitals or inner thighs",
    "new_sexual_dysfunction": "new problems with sexual function",
    "relieved_by_rest": "whether rest eases the pain",
    "worse_at_night": "whether the pain is worse at night",
    "thoracic_pain": "pain in the upper or middle back",
    "morning_stiffness_over_30_min": "how long your back stays stiff in the morning",
    "fever_or_chills": "fever or chills",
    "recent_infection_or_spinal_procedure": "a recent infection or spinal procedure",
    "cancer_history": "a history of cancer",
    "unexplained_weight_loss": "unexplained weight loss",
    "recent_trauma": "a recent accident or fall",
    "osteoporosis_or_steroids": "osteoporosis or long-term steroid use",
    "immunosuppressed_or_injects_drugs": "a weakened immune system or injected drug use",
}


SCREENING: Spec = tuple(
    FieldSpec(q.key, q.kind, _SHORT[q.key][:1].upper() + _SHORT[q.key][1:], low=q.min, high=q.max,
              choices=q.choices, help=q.help)
    for q in QUESTIONS
)
"""The screening answers as declared input fields (``domain.fields``): every question is
optional here, because an unanswered one is kept as "not answered" (never read as "no")."""


def parse_answers(mapping: Mapping[str, object]) -> ScreeningAnswers:
    """Turn a JSON-like mapping into answers, refusing anything we would have to guess."""
    if not isinstance(mapping, Mapping):
        raise InvalidAnswers("The screening answers must be a set of question keys with their answers.")
    return ScreeningAnswers(**validate(SCREENING, mapping).raise_problems())  # type: ignore[arg-type]


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
    rule_version: int = RULE_VERSION

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
            "rule_version": self.rule_version,
        }


_CAUDA_EQUINA = "can mean the nerves at the bottom of the spine are being squeezed (cauda equina syndrome)"


def screen(answers: ScreeningAnswers, thresholds: "Thresholds") -> ScreeningResult:
    """Apply the red-flag rules (version 2); the highest level found wins and every finding is a reason.

    ``thresholds`` are the loaded ``catalog/thresholds.yaml`` (required: no built-in numbers).
    """
    t = _numbers(thresholds)
    a = answers
    reasons: list[Reason] = []

    def flag(item: str, level: Level, message: str) -> None:
        reasons.append(Reason(item, level, message))

    leg_numb = a.leg_numbness_or_tingling is True
    leg_weak = a.leg_weakness in ("stable", "worsening")
    below_knee = a.radiation == "below_knee"
    both_legs = a.legs_affected == "both"
    severe_now = a.pain_now is not None and a.pain_now >= t.severe_pain_nprs
    severe_worst = a.pain_worst_24h is not None and a.pain_worst_24h >= t.severe_pain_nprs
    severe = severe_now or severe_worst
    fracture_age = a.age is not None and a.age >= t.fracture_risk_age
    thin_bones = a.osteoporosis_or_steroids is True
    infection_risk = [what for what, yes in (
        ("a weakened immune system or injected drug use", a.immunosuppressed_or_injects_drugs is True),
        ("a recent infection or an operation or injection on the spine", a.recent_infection_or_spinal_procedure is True),
    ) if yes]

    # Emergency: possible cauda equina syndrome, spinal cord compression, spinal infection,
    # rapidly progressive neurological loss.
    emergency_items = {
        "bladder_change": f"New trouble passing urine or loss of bladder control {_CAUDA_EQUINA}.",
        "bowel_control_loss": f"New loss of bowel control {_CAUDA_EQUINA}.",
        "saddle_numbness": f"Numbness around the bottom, genitals or inner thighs {_CAUDA_EQUINA}.",
        "new_sexual_dysfunction": f"New problems with sexual function together with back pain {_CAUDA_EQUINA}.",
    }
    for item, message in emergency_items.items():
        if getattr(a, item) is True:
            flag(item, Level.EMERGENCY, message)
    if a.leg_weakness == "worsening":
        flag("leg_weakness", Level.EMERGENCY,
             "A leg that is getting weaker quickly means a nerve may be losing its function and needs "
             "emergency assessment.")
    if a.cancer_history is True and (leg_weak or leg_numb):
        flag("cancer_history", Level.EMERGENCY,
             "Leg weakness, numbness or tingling in someone who has had cancer can mean pressure on the spinal "
             "cord or the nerves in the spine (for example from cancer that has spread to the spine). This needs "
             "emergency assessment today.")
    if a.fever_or_chills is True and infection_risk:
        flag("fever_or_chills", Level.EMERGENCY,
             f"A fever or chills together with {' and '.join(infection_risk)} can mean an infection in the spine, "
             "which needs emergency assessment today.")
    if a.walking_unsteady is True and both_legs:
        flag("walking_unsteady", Level.EMERGENCY,
             "Becoming unsteady on your feet with symptoms in both legs can mean pressure on the spinal cord or on "
             "the nerves in the spine. This needs emergency assessment today.")

    # Urgent: possible nerve compression, infection, tumour or fracture.
    if below_knee and (leg_numb or leg_weak):
        flag("radiation", Level.URGENT,
             "Pain spreading below the knee together with numbness, tingling or weakness in that leg suggests "
             "a trapped nerve that a doctor should check within 24 hours.")
    if a.leg_weakness == "stable":
        flag("leg_weakness", Level.URGENT,
             "A weak leg or foot (for example a knee that gives way, or a foot that catches) means a nerve may not "
             "be working properly. A doctor should check it within 24 hours, however far the pain spreads.")
    if severe and (a.relieved_by_rest is False or a.worse_at_night is True):
        flag("pain_now" if severe_now else "pain_worst_24h", Level.URGENT,
             f"Severe pain ({t.severe_pain_nprs}/10 or more) where {_rest_or_night(a)} is not typical of a "
             "simple back strain and should be checked by a doctor within 24 hours.")
    urgent_items = {
        "fever_or_chills": "Fever or chills with back pain can be a sign of infection.",
        "cancer_history": "Back pain in someone who has had cancer should be checked by a doctor, to rule out "
                          "the cancer affecting the spine.",
        "unexplained_weight_loss": "Losing weight without trying, together with back pain, should be checked by "
                                   "a doctor.",
        "immunosuppressed_or_injects_drugs": "A weakened immune system or injected drug use raises the risk of "
                                             "an infection in the spine.",
        "recent_infection_or_spinal_procedure": "A recent infection, or an operation or injection on the spine, "
                                                "raises the risk of an infection in the spine.",
    }
    for item, message in urgent_items.items():
        if getattr(a, item) is True:
            flag(item, Level.URGENT, message + " A doctor should check you within 24 hours.")
    if a.recent_trauma == "major":
        flag("recent_trauma", Level.URGENT,
             "Back pain after a significant accident or fall needs a doctor's check for a possible fracture.")
    elif a.recent_trauma == "minor" and (thin_bones or fracture_age):
        why = _fracture_risk(thin_bones, fracture_age, t.fracture_risk_age)
        flag("recent_trauma", Level.URGENT,
             f"Even a minor fall or knock can break a bone in the spine {why}; a doctor should check within "
             "24 hours.")
    if a.sudden_onset is True and (thin_bones or fracture_age):
        why = _fracture_risk(thin_bones, fracture_age, t.fracture_risk_age)
        flag("sudden_onset", Level.URGENT,
             f"Back pain that starts suddenly can be a broken bone in the spine {why}; a doctor should check "
             "within 24 hours.")
    if both_legs and (leg_numb or leg_weak or below_knee):
        flag("legs_affected", Level.URGENT,
             "Symptoms in both legs together with numbness, tingling, weakness or pain below the knee can mean "
             "pressure on the nerves in the spine; a doctor should check within 24 hours.")
    if a.walking_unsteady is True:
        flag("walking_unsteady", Level.URGENT,
             "Becoming unsteady on your feet can mean the nerves or the spinal cord are affected; a doctor should "
             "check within 24 hours.")

    # See a clinician: a review is due, the gentle program may continue.
    if a.onset_weeks is not None and a.onset_weeks > t.long_episode_weeks:
        flag("onset_weeks", Level.SEE_CLINICIAN,
             f"Back pain that has lasted more than {t.long_episode_weeks:g} weeks deserves a review by a doctor "
             "or physiotherapist.")
    if below_knee and not (leg_numb or leg_weak):
        flag("radiation", Level.SEE_CLINICIAN,
             "Pain spreading below the knee is worth a review by a doctor or physiotherapist, even without "
             "numbness or weakness.")
    if leg_numb and not below_knee:
        flag("leg_numbness_or_tingling", Level.SEE_CLINICIAN,
             "Numbness or tingling in a leg is a nerve symptom that a doctor or physiotherapist should look at.")
    if both_legs and not (leg_numb or leg_weak or below_knee):
        flag("legs_affected", Level.SEE_CLINICIAN,
             "Aching into both buttocks or both legs, without numbness, tingling or weakness, is worth a review by "
             "a doctor or physiotherapist.")
    if not severe and (a.relieved_by_rest is False or a.worse_at_night is True):
        flag("relieved_by_rest" if a.relieved_by_rest is False else "worse_at_night", Level.SEE_CLINICIAN,
             f"Pain where {_rest_or_night(a)} is not typical of a simple back strain, even when it is not severe; "
             "a doctor or physiotherapist should review it.")
    if a.first_episode is True and a.age is not None and (
        a.age > t.first_episode_age_over or a.age < t.first_episode_age_under
    ):
        flag("first_episode", Level.SEE_CLINICIAN,
             f"A first episode of back pain after age {t.first_episode_age_over} or before age "
             f"{t.first_episode_age_under} is worth a review by a doctor or physiotherapist.")
    if a.age is not None and a.age < t.adult_age:
        flag("age", Level.SEE_CLINICIAN,
             f"backcoach is made for adults (age {t.adult_age} and over). A young person with back pain should be "
             "seen by a doctor or physiotherapist, who can advise on exercise.")
    if a.thoracic_pain is True:
        flag("thoracic_pain", Level.SEE_CLINICIAN,
             "Pain in the upper or middle back is less often a simple strain than low back pain; a doctor or "
             "physiotherapist should review it.")
    if a.morning_stiffness_over_30_min is True:
        flag("morning_stiffness_over_30_min", Level.SEE_CLINICIAN,
             f"Back stiffness that lasts more than {t.morning_stiffness_minutes} minutes in the morning can be a "
             "sign of inflammatory back pain, which a doctor should review.")

    # Unanswered items: never read as "no".
    for key in ALL_KEYS:
        if getattr(a, key) is None:
            flag(key, Level.SEE_CLINICIAN,
                 f"not answered: {_SHORT[key]}. Without this answer we cannot rule out a warning sign, so "
                 "please answer it or ask a clinician.")

    level = max((r.level for r in reasons), default=Level.CLEAR)
    if not reasons:
        reasons.append(Reason("none", Level.CLEAR, "No warning sign was found in your answers."))
    reasons.sort(key=lambda r: -r.level)
    # One item, one level: a combination that raises an item (cancer history with leg numbness)
    # replaces that item's lower-level reason instead of repeating it.
    top = {}
    for r in reasons:
        top.setdefault(r.item, r.level)
    kept = tuple(r for r in reasons if r.level == top[r.item])
    return ScreeningResult(level=level, reasons=kept, next_step=NEXT_STEPS[level])


def _rest_or_night(a: ScreeningAnswers) -> str:
    how = []
    if a.relieved_by_rest is False:
        how.append("rest does not ease it")
    if a.worse_at_night is True:
        how.append("it is worse at night")
    return " and ".join(how)


def _fracture_risk(thin_bones: bool, old_age: bool, age: int) -> str:
    why = []
    if thin_bones:
        why.append("when bones are thin (osteoporosis or long-term steroids)")
    if old_age:
        why.append(f"at age {age} or over")
    return " or ".join(why)
