"""Questions asked at the prompt, one by one, when no answer file is given.

An empty answer skips an optional question; a wrong one is asked again with the accepted range.
"""

from __future__ import annotations

from typing import Any

import typer

from backcoach.cli.render import out


def ask_screening() -> dict[str, Any]:
    """Ask the red-flag questions one by one; Enter skips (an unanswered serious question is never 'no')."""
    from backcoach import services

    out.print("Safety check: a few questions about warning signs. Press Enter to skip a question; "
              "a skipped question means we cannot tell you that you are clear.\n")
    answers: dict[str, Any] = {}
    for q in services.screening_questions():
        value = ask(q.text, q.kind, q.choices, q.min, q.max, q.help)
        if value is not None:
            answers[q.key] = value
    return answers


def ask(text: str, kind: str, choices: tuple[str, ...] = (), lo: Any = None, hi: Any = None, helptext: str = "") -> Any:
    hint = {"bool": "y/n", "int": f"{lo:g}-{hi:g}" if lo is not None and hi is not None else "number",
            "number": f"{lo:g}-{hi:g}" if lo is not None and hi is not None else "number"}.get(kind, "/".join(choices))
    while True:
        if helptext:
            out.print(f"{helptext}", style="dim")
        raw = typer.prompt(f"{text} [{hint}]", default="", show_default=False).strip().lower()
        if raw == "":
            return None
        if kind == "bool":
            if raw in ("y", "yes", "true"):
                return True
            if raw in ("n", "no", "false"):
                return False
        elif kind == "choice":
            if raw in choices:
                return raw
            if raw.isdigit() and 1 <= int(raw) <= len(choices):
                return choices[int(raw) - 1]
        else:
            try:
                value: Any = int(raw) if kind == "int" else float(raw)
            except ValueError:
                value = None
            if value is not None and (lo is None or value >= lo) and (hi is None or value <= hi):
                return value
        out.print(f"Please answer {hint}, or press Enter to skip.", style="yellow")


ASSESSMENT_QUESTIONS: tuple[tuple[str, str, str, tuple[str, ...], Any, Any], ...] = (
    ("pain_now", "Back pain right now, 0 (none) to 10 (worst imaginable)?", "int", (), 0, 10),
    ("pain_worst_24h", "Worst back pain in the last 24 hours, 0-10?", "int", (), 0, 10),
    ("side", "Where is the pain?", "choice", ("left", "right", "central", "both"), None, None),
    ("radiation", "How far does the pain travel?", "choice", ("none", "buttock", "thigh", "below_knee"), None, None),
    ("onset_weeks", "How many weeks ago did this episode start?", "number", (), 0, 1040),
    ("one_sided_ache", "Is it mostly a one-sided ache?", "bool", (), None, None),
    ("worse_standing_walking", "Is it worse when standing or walking for a while?", "bool", (), None, None),
    ("swayback", "Have you noticed a strong arch (swayback) in your lower back?", "bool", (), None, None),
    ("bridge_felt", "In a glute bridge, where do you feel it most?", "choice", ("glutes", "hamstrings", "lower_back"), None, None),
    ("bridge_hold_s", "Bridge hold: seconds you can hold shoulders-hips-knees in a straight line (max {cap})?", "number", (), 0, "cap"),
    ("single_leg_bridge_reps_left", "Single-leg bridges on the LEFT leg before form is lost (max {cap})?", "int", (), 0, "cap"),
    ("single_leg_bridge_reps_right", "Single-leg bridges on the RIGHT leg (max {cap})?", "int", (), 0, "cap"),
    ("stance_hip_drop_left", "Standing 30 s on the LEFT leg, did the right hip drop?", "bool", (), None, None),
    ("stance_hip_drop_right", "Standing 30 s on the RIGHT leg, did the left hip drop?", "bool", (), None, None),
    ("side_lying_hold_s_left", "Side-lying leg raise hold, LEFT leg up, seconds (max {cap})?", "number", (), 0, "cap"),
    ("side_lying_hold_s_right", "Side-lying leg raise hold, RIGHT leg up, seconds (max {cap})?", "number", (), 0, "cap"),
)
"""A "cap" upper bound is where the self-test stops, from thresholds.yaml (see assessment_questions)."""


def assessment_questions() -> list[tuple[str, str, str, tuple[str, ...], Any, Any]]:
    """The questions with the self-test caps filled in from the loaded thresholds (no copy here)."""
    from backcoach.domain.assessment import self_test_cap
    from backcoach.services.common import thresholds

    questions = []
    for key, text, kind, choices, lo, hi in ASSESSMENT_QUESTIONS:
        if hi == "cap":
            cap = self_test_cap(key, thresholds())
            hi = int(cap) if kind == "int" else cap
            text = text.format(cap=f"{cap:g}")
        questions.append((key, text, kind, choices, lo, hi))
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
    answers: dict[str, Any] = {}
    for key, text, kind, choices, lo, hi in assessment_questions():
        value = ask(text, kind, choices, lo, hi)
        if value is not None:
            answers[key] = value
    return answers


def ask_session(session: Any) -> dict[str, Any]:
    """Ask, exercise by exercise, what was done."""
    entries = []
    for item in session.items:
        p = item.prescription
        out.print(f"\n{item.exercise['name']} — asked: {p.describe()}", style="bold")
        if not typer.confirm("Did you do it?", default=True):
            continue
        sets = ask_required("Sets done", "int", 0, 20)
        entry: dict[str, Any] = {"exercise_id": p.exercise_id, "sets": sets}
        if p.reps is not None:
            entry["reps"] = ask_list("Repetitions in each set (e.g. 10 10)", sets, "int", 0, 100)
            entry["hold_s"] = ask_required("Seconds you held the squeeze at the top", "number", 0, 600)
        else:
            entry["hold_s"] = ask_list("Seconds held in each set (e.g. 20 20)", sets, "number", 0, 600)
        entry["pain_during"] = ask_required("Worst back pain during it, 0-10", "int", 0, 10)
        entry["rpe"] = ask_required("How hard was it (RPE), 0 (rest) to 10 (maximal)", "int", 0, 10)
        entry["form"] = ask_required("Your form", "choice", choices=("good", "some_faults", "poor"))
        entries.append(entry)
    data: dict[str, Any] = {"exercises": entries}
    pain = ask("Back pain right now, 0-10 (Enter to skip)", "int", (), 0, 10)
    if pain is not None:
        data["pain_now"] = pain
    return data


def ask_required(text: str, kind: str, lo: Any = None, hi: Any = None, choices: tuple[str, ...] = ()) -> Any:
    while True:
        value = ask(text, kind, choices, lo, hi)
        if value is not None:
            return value


def ask_list(text: str, n: int, kind: str, lo: float, hi: float) -> list[Any]:
    while True:
        raw = typer.prompt(text).replace(",", " ").split()
        try:
            values = [int(v) if kind == "int" else float(v) for v in raw]
        except ValueError:
            values = []
        if len(values) == 1 and n > 1:
            values = values * n
        if len(values) == n and all(lo <= v <= hi for v in values):
            return values
        out.print(f"Give {n} value(s) between {lo:g} and {hi:g}.", style="yellow")


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
