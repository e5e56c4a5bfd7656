"""Questions asked at the prompt, one by one, when no answer file is given.

Each answer is a declared field (``domain.fields``, the specs of ``domain.inputs``): an
empty answer skips an optional one; a wrong one is asked again after the field's rule, in
the same words as the forms, the API and the answer files.
"""

from __future__ import annotations

from typing import Any

import typer

from backcoach.cli.render import out
from backcoach.domain.fields import MISSING, FieldProblem, FieldSpec, by_name


def ask_screening() -> dict[str, Any]:
    """Ask the red-flag questions one by one; Enter skips (an unanswered serious question is never 'no')."""
    from backcoach import services
    from backcoach.domain.screening import SCREENING

    out.print("Safety check: a few questions about warning signs. Press Enter to skip a question; "
              "a skipped question means we cannot tell you that you are clear.\n")
    answers: dict[str, Any] = {}
    fields = by_name(SCREENING)
    for q in services.screening_questions():
        value = ask_field(fields[q.key], q.text, q.help)
        if value is not None:
            answers[q.key] = value
    return answers


def hint(field: FieldSpec) -> str:
    """What a valid answer looks like, in a few characters (a prompt's hint, an option's metavar)."""
    if field.kind == "bool":
        return "y/n"
    if field.kind == "choice":
        return "/".join(field.choices)
    if field.kind == "text":
        return "text"
    low = 0 if field.low is None else field.low
    return f"{low:g}-{field.high:g}" if field.high is not None else f"{low:g} or more"


def ask_field(field: FieldSpec, text: str | None = None, helptext: str | None = None) -> Any:
    """Ask for one declared field until the answer passes its rule; Enter skips an optional one."""
    shown = hint(field)
    helptext = field.help if helptext is None else helptext
    while True:
        if helptext:
            out.print(f"{helptext}", style="dim")
        raw = typer.prompt(f"{text or field.label} [{shown}]", default="", show_default=False).strip()
        if field.kind != "text":
            raw = raw.lower()
        if field.kind == "choice" and raw.isdigit() and 1 <= int(raw) <= len(field.choices):
            raw = field.choices[int(raw) - 1]  # the option's number
        try:
            value = field.parse_text(raw)
        except FieldProblem as exc:
            out.print(exc.message if field.required else f"{exc.message} Or press Enter to skip.", style="yellow")
            continue
        if value is None and field.required:
            out.print(MISSING, style="yellow")
            continue
        return value


def ask_required(text: str, kind: str, lo: Any = None, hi: Any = None, choices: tuple[str, ...] = ()) -> Any:
    """A needed whole number or choice that is not part of an input spec (outcome questionnaires)."""
    return ask_field(FieldSpec("answer", kind, text, required=True, low=lo, high=hi, choices=choices))  # type: ignore[arg-type]


def ask_per_set(field: FieldSpec, text: str, sets: int) -> list[Any]:
    """One value per set (one value counts for every set), checked by the field's rule."""
    while True:
        raw = typer.prompt(f"{text} [{hint(field)}]", default="", show_default=False)
        try:
            value = field.parse_text_per_set(raw)
            if value is not None:
                return list(field.check_per_set(value, sets))
            out.print(MISSING, style="yellow")
        except FieldProblem as exc:
            out.print(exc.message, style="yellow")


ASSESSMENT_QUESTIONS: tuple[tuple[str, str], ...] = (
    ("pain_now", "Back pain right now, 0 (none) to 10 (worst imaginable)?"),
    ("pain_worst_24h", "Worst back pain in the last 24 hours, 0-10?"),
    ("side", "Where is the pain?"),
    ("radiation", "How far does the pain travel?"),
    ("onset_weeks", "How many weeks ago did this episode start?"),
    ("one_sided_ache", "Is it mostly a one-sided ache?"),
    ("side_lying_pain", "Does your hip hurt when you lie on your side (for example at night)?"),
    ("worse_standing_walking", "Is it worse when standing or walking for a while?"),
    ("swayback", "Have you noticed a strong arch (swayback) in your lower back?"),
    ("bridge_felt", "In a glute bridge, where do you feel it most?"),
    ("bridge_hold_s", "Bridge hold: seconds you can hold shoulders-hips-knees in a straight line (max {cap})?"),
    ("single_leg_bridge_reps_left", "Single-leg bridges on the LEFT leg before form is lost (max {cap})?"),
    ("single_leg_bridge_reps_right", "Single-leg bridges on the RIGHT leg (max {cap})?"),
    ("stance_hip_drop_left", "Standing 30 s on the LEFT leg, did the right hip drop?"),
    ("stance_hip_drop_right", "Standing 30 s on the RIGHT leg, did the left hip drop?"),
    ("side_lying_hold_s_left", "Side-lying leg raise hold, LEFT leg up, seconds (max {cap})?"),
    ("side_lying_hold_s_right", "Side-lying leg raise hold, RIGHT leg up, seconds (max {cap})?"),
)
"""The prompt for each assessment answer; its kind and bounds are the spec's (domain.assessment.ASSESSMENT)."""


def assessment_questions() -> list[tuple[str, str, str, tuple[str, ...], Any, Any]]:
    """(key, text, kind, choices, low, high), the self-test caps filled in from the loaded thresholds
    (no copy here); a result above the cap is accepted and counts as the cap."""
    from backcoach.domain.assessment import ASSESSMENT, self_test_cap
    from backcoach.services.common import thresholds

    fields = by_name(ASSESSMENT)
    questions = []
    for key, text in ASSESSMENT_QUESTIONS:
        spec, high = fields[key], fields[key].high
        cap = self_test_cap(key, thresholds())
        if cap is not None:
            high = int(cap) if spec.kind == "int" else cap
            text = text.format(cap=f"{cap:g}")
        questions.append((key, text, spec.kind, spec.choices, spec.low, high))
    return questions


def ask_assessment() -> dict[str, Any]:
    """The assessment questions and guided self-tests; Enter skips an optional one."""
    try:
        from backcoach.domain.assessment import self_tests
        from backcoach.services.common import thresholds

        SELF_TESTS = self_tests(thresholds())
    except ImportError:  # pragma: no cover - contract says it exists
        SELF_TESTS = ()
    out.print("Glute assessment: a few questions, then simple self-tests. Stop any test that hurts.\n", style="bold")
    for test in SELF_TESTS:
        try:
            _key, title, instructions = test[0], test[1], test[2]
            out.print(f"{title}: {instructions}")
        except (IndexError, TypeError):
            pass
    from backcoach.domain.assessment import ASSESSMENT

    fields = by_name(ASSESSMENT)
    answers: dict[str, Any] = {}
    for key, text, *_ in assessment_questions():
        value = ask_field(fields[key], text)
        if value is not None:
            answers[key] = value
    return answers


def ask_session(session: Any) -> dict[str, Any]:
    """Ask, exercise by exercise, what was done."""
    from backcoach.domain.inputs import SESSION, SESSION_ENTRY

    fields = by_name(SESSION_ENTRY)
    entries = []
    for item in session.items:
        p = item.prescription
        out.print(f"\n{item.exercise['name']} — asked: {p.describe()}", style="bold")
        if not typer.confirm("Did you do it?", default=True):
            continue
        sets = ask_field(fields["sets"])
        entry: dict[str, Any] = {"exercise_id": p.exercise_id, "sets": sets}
        if p.reps is not None:
            entry["reps"] = ask_per_set(fields["reps"], "Repetitions in each set (e.g. 10 10)", sets)
            entry["hold_s"] = ask_field(fields["hold_s"], "Seconds you held the squeeze at the top")
        else:
            entry["hold_s"] = ask_per_set(fields["hold_s"], "Seconds held in each set (e.g. 20 20)", sets)
        entry["pain_during"] = ask_field(fields["pain_during"], "Worst back pain during it, 0-10")
        entry["rpe"] = ask_field(fields["rpe"], "How hard was it (RPE), 0 (rest) to 10 (maximal)")
        entry["form"] = ask_field(fields["form"], "Your form")
        entries.append(entry)
    data: dict[str, Any] = {"exercises": entries}
    pain = ask_field(by_name(SESSION)["pain_now"], "Back pain right now, 0-10 (Enter to skip)")
    if pain is not None:
        data["pain_now"] = pain
    return data


def ask_outcome(which: Any) -> dict[str, Any]:
    """Ask a questionnaire's items at the prompt (the domain checks the answers)."""
    out.print(which.title)
    if which.intro:
        out.print(which.intro)
    answers: dict[str, Any] = {}
    for item in which.items:
        if item.kind == "activities":
            rows = []
            for n in range(1, 6):
                name = typer.prompt(f"Activity {n} (leave empty to finish)", default="", show_default=False).strip()
                if not name:
                    break
                rows.append({"name": name, "rating": ask_required(
                    f"How well can you do it today, {item.min} ({item.min_label}) to {item.max} ({item.max_label})?",
                    "int", item.min, item.max)})
            answers[item.id] = rows
        elif item.kind == "scale":
            answers[item.id] = ask_required(f"{item.text} {item.min} = {item.min_label}, {item.max} = {item.max_label}",
                                             "int", item.min, item.max)
        else:
            labels = "; ".join(f"{c.value} = {c.label}" for c in item.choices)
            answers[item.id] = ask_required(f"{item.text} ({labels})", "int",
                                             min(c.value for c in item.choices), max(c.value for c in item.choices))
    return answers
