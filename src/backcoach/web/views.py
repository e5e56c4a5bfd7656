"""Turning form posts into the answer mappings the services take, and service
results into what the pages show. Shared by the pages and the JSON API so both
do exactly the same thing."""

from __future__ import annotations

from typing import Any

from backcoach.web.forms import FormProblems

SCREENING_GROUPS = (
    ("About you and your pain", ("age", "pain_now", "pain_worst_24h", "onset_weeks", "first_episode")),
    ("Your legs", ("radiation", "legs_affected", "leg_numbness_or_tingling", "leg_weakness")),
    ("Bladder, bowel and numbness", ("bladder_change", "bowel_control_loss", "saddle_numbness", "new_sexual_dysfunction")),
    ("How the pain behaves", ("relieved_by_rest", "worse_at_night")),
    ("Your health", ("fever_or_chills", "cancer_history", "unexplained_weight_loss", "recent_trauma",
                     "osteoporosis_or_steroids", "immunosuppressed_or_injects_drugs")),
)

CHOICE_LABELS = {
    "none": "No / none",
    "buttock": "Into the buttock",
    "thigh": "Into the thigh",
    "below_knee": "Below the knee (calf, ankle or foot)",
    "one": "One leg",
    "both": "Both legs",
    "stable": "Yes, and it is staying the same",
    "worsening": "Yes, and it is getting worse",
    "minor": "A minor fall or trip",
    "major": "A major accident or fall",
    "left": "Left",
    "right": "Right",
    "central": "In the middle",
    "glutes": "In my buttocks (glutes)",
    "hamstrings": "At the back of my thighs (hamstrings)",
    "lower_back": "In my lower back",
}


def screening_questions() -> list[Any]:
    from backcoach.domain.screening import QUESTIONS

    return list(QUESTIONS)


def screening_groups() -> list[dict[str, Any]]:
    by_key = {q.key: q for q in screening_questions()}
    groups, used = [], set()
    for title, keys in SCREENING_GROUPS:
        qs = [by_key[k] for k in keys if k in by_key]
        used.update(q.key for q in qs)
        if qs:
            groups.append({"title": title, "questions": qs})
    rest = [q for q in screening_questions() if q.key not in used]
    if rest:
        groups.append({"title": "More questions", "questions": rest})
    return groups


def screening_answers_from_form(form: dict[str, str]) -> tuple[dict[str, Any], FormProblems]:
    """Form strings -> typed answers; an empty field stays unanswered (never read as "no")."""
    problems = FormProblems()
    answers: dict[str, Any] = {}
    for q in screening_questions():
        label = q.text
        if q.kind == "bool":
            v = problems.bool_field(form, q.key, label, required=False)
        elif q.kind == "int":
            v = problems.int_field(form, q.key, label, int(q.min if q.min is not None else 0),
                                   int(q.max if q.max is not None else 10_000), required=False)
        elif q.kind == "number":
            v = problems.float_field(form, q.key, label, float(q.min if q.min is not None else 0),
                                     float(q.max if q.max is not None else 1e6), required=False)
        else:
            v = problems.choice_field(form, q.key, label, tuple(q.choices), required=False)
        if v is not None:
            answers[q.key] = v
    unanswered = [q for q in screening_questions() if q.serious and q.key not in answers and form.get(q.key, "") == ""]
    if unanswered:
        problems.append(
            f"{len(unanswered)} safety question(s) are not answered yet: "
            + "; ".join(q.text for q in unanswered[:3]) + ("…" if len(unanswered) > 3 else "")
            + " Unanswered safety questions are never taken as “no”."
        )
    return answers, problems


def reasons_of(result: dict[str, Any]) -> list[dict[str, Any]]:
    return list(result.get("reasons", []))
