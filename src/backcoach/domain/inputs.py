"""Every input a person gives, declared once (``domain.fields``), for every surface.

The CLI prompts, the web forms, the JSON API and the data files all read these specs,
so a field's bounds, whether it is needed and the words for a mistake cannot drift
apart. Adding a field to an input is one line here (and its use in the rules).

* ``SCREENING`` and ``ASSESSMENT`` live next to their rules (``screening``,
  ``assessment``) and are re-exported here.
* ``SESSION`` / ``SESSION_ENTRY``: a logged session and each exercise in it
  (``services.sessions`` checks them against the program: which exercises, reps or holds).
* ``CHECKIN``: the daily (or next-morning) pain check-in.
* ``ADJUSTMENT``: a clinician's change to a person's program (``services.program.adjust_program``
  adds what depends on the exercise: its sets range, reps or hold, a band only when banded).
"""

from __future__ import annotations

from .assessment import ASSESSMENT
from .fields import FieldSpec, Spec
from .screening import SCREENING

__all__ = ["ADJUSTMENT", "ADJUST_ACTIONS", "ASSESSMENT", "CHECKIN", "FORMS", "SCREENING", "SESSION", "SESSION_ENTRY"]

FORMS = ("good", "some_faults", "poor")
"""How the person (or the camera) rates their form in an exercise."""

SESSION_ENTRY: Spec = (
    FieldSpec("exercise_id", "text", "Exercise", required=True, max_length=80),
    FieldSpec("sets", "int", "Sets done", required=True, low=0, high=20, unit="sets"),
    FieldSpec("reps", "int", "Repetitions in each set", low=0, high=100, unit="repetitions", per_set=True),
    FieldSpec("hold_s", "number", "Seconds held in each set (the squeeze at the top, or the hold)", required=True,
              low=0, high=600, unit="seconds", per_set=True),
    FieldSpec("pain_during", "int", "Pain during (0 to 10)", required=True, low=0, high=10),
    FieldSpec("rpe", "int", "Effort, RPE (0 easy to 10 maximal)", required=True, low=0, high=10),
    FieldSpec("form", "choice", "How was your form?", required=True, choices=FORMS),
    FieldSpec("serious_fault_fraction", "number", "Share of repetitions with a serious mistake (from the camera)",
              low=0, high=1),
)
"""One exercise in a session log; ``faults`` (fault ids of the exercise) is checked against the catalog."""

SESSION: Spec = (
    FieldSpec("pain_now", "int", "Back pain right now (0 = none, 10 = worst imaginable)", low=0, high=10),
    FieldSpec("idempotency_key", "text", "Submission key", low=1, max_length=200),
)
"""A session log's own fields; ``performed_on`` (a date) and ``exercises`` are checked by the service."""

CHECKIN: Spec = (
    FieldSpec("nprs", "int", "Pain now (0 = none, 10 = worst imaginable)", required=True, low=0, high=10),
    FieldSpec("kind", "choice", "Kind of check-in", choices=("daily", "next_morning")),
    FieldSpec("new_symptoms", "bool", "Has something new started?"),
    FieldSpec("note", "text", "Note", max_length=1000),
    FieldSpec("walked_minutes", "int", "Minutes walked yesterday", low=0, high=24 * 60, unit="minutes",
              help="Add up all your walks, at any pace (the daily walking goal)."),
)
"""The pain check-in (with the minutes walked yesterday, for the walking goal)."""

ADJUST_ACTIONS = ("swap", "regress", "progress", "dose")

ADJUSTMENT: Spec = (
    FieldSpec("exercise_id", "text", "Exercise", required=True, max_length=80),
    FieldSpec("action", "choice", "Change", required=True, choices=ADJUST_ACTIONS),
    FieldSpec("note", "text", "Why (shown to the person)", required=True, low=1, max_length=2000),
    FieldSpec("new_exercise_id", "text", "New exercise (for a swap)", max_length=80),
    FieldSpec("sets", "int", "Sets", low=1, high=10),
    FieldSpec("reps", "int", "Repetitions", low=1, high=40),
    FieldSpec("hold_s", "int", "Hold (seconds)", low=0, high=120, unit="seconds"),
    FieldSpec("band", "choice", "Band", choices=("light", "medium", "heavy")),
)
"""A clinician's change to a program; ``confirm`` (save a change beyond the rules) is a plain flag."""
