"""Rich output for the commands: plain words for the person, colours that match the web pages.

Text from data (names, notes, reasons) is printed exactly as it is (markup off).
"""

from __future__ import annotations

import json
import sys
from typing import Any, Optional

from rich.console import Console
from rich.table import Table

# Wrapped to the terminal when there is one; piped output keeps each message on one line.
# Markup is off: text from data (names, notes, reasons) is printed exactly as it is.
out = Console(highlight=False, soft_wrap=not sys.stdout.isatty(), markup=False)


def print_json(data: Any) -> None:
    sys.stdout.write(json.dumps(data, indent=2, ensure_ascii=False, default=str) + "\n")
    sys.stdout.flush()


LEVEL_STYLE = {"emergency": "bold white on red", "urgent": "bold red", "see_clinician": "bold yellow", "clear": "bold green"}
LEVEL_TITLE = {
    "emergency": "EMERGENCY: seek emergency care now",
    "urgent": "URGENT: see a doctor within 24 hours",
    "see_clinician": "Book a review with a doctor or physiotherapist",
    "clear": "Clear: no warning sign found",
}


def disclaimer() -> None:
    from backcoach.domain.screening import DISCLAIMER

    out.print(f"{DISCLAIMER}", style="dim")


def render_locked(reasons: Any, as_json: bool, extra: Optional[dict[str, Any]] = None) -> None:
    """Why the program is locked, and what the person can do about it."""
    reasons = list(reasons) or ["Your program is locked."]
    if as_json:
        print_json({**(extra or {}), "program_allowed": False, "reasons": reasons})
    else:
        out.print("Your program is paused for your safety.", style="bold red")
        for r in reasons:
            out.print(f"  • {r}")
        if any("paused until a clinician has checked you" in r for r in reasons):
            out.print("What you can do: see a clinician as the screen advised. Once they have checked you, they "
                      "record that you were assessed (`backcoach clearance --clinician EMAIL ...`; they type their password), and the program continues. Answering "
                      "the safety questions again does not lift this pause. If you were told to seek emergency care, "
                      "do so now.")
        else:
            out.print("What you can do: answer the safety questions again with `backcoach screen` (weekly, and after "
                      "anything new). If you were told to seek emergency care, do so now.")
        disclaimer()


def render_screening(result: dict[str, Any]) -> None:
    level = result["level"]
    out.print(LEVEL_TITLE[level], style=LEVEL_STYLE[level])
    if result["reasons"]:
        out.print("Why:")
        for r in result["reasons"]:
            out.print(f"  • [{r['level'].replace('_', ' ')}] {r['message']}")
    lock = result.get("lock")
    if lock:  # an earlier urgent/emergency screen still holds: this result never reads as "you can start"
        out.print(lock["message"], style="bold red")
    else:
        out.print(f"What to do next: {result.get('next_step', '')}")
    out.print(f"Program allowed: {'yes' if result['program_allowed'] else 'no'}")
    if result.get("rule_version") is not None:
        out.print(f"Checked with the safety rules, version {result['rule_version']}.", style="dim")
    disclaimer()


def render_assessment(result: dict[str, Any]) -> None:
    """Plain words for the person first; the technical profile (what a clinician reads) after."""
    profile = result.get("profile", {})
    for line in result.get("for_person", ()):
        out.print(f"  • {line}")
    table = Table(title="Details for your clinician", show_header=True)
    table.add_column("muscle / finding")
    table.add_column("grade")
    for key, value in profile.items():
        if key == "reasons" or isinstance(value, (list, dict)):
            continue
        table.add_row(key.replace("_", " "), str(value))
    out.print(table)
    levels = Table(title="Where you start", show_header=True)
    levels.add_column("ladder")
    levels.add_column("exercise")
    for ladder, ex in result.get("starting_levels", {}).items():
        levels.add_row(ladder.replace("_", " "), ex)
    out.print(levels)
    reasons = list(result.get("reasons") or profile.get("reasons", []))
    for r in dict.fromkeys(reasons):
        out.print(f"  • {r}")


def dose_text(dose: Any) -> str:
    sets = f"{dose.sets_min}-{dose.sets_max} sets"
    if dose.unit == "reps":
        return f"{sets} of {dose.reps_min}-{dose.reps_max}, {dose.hold_s_min}-{dose.hold_s_max} s squeeze"
    return f"{sets}, hold {dose.hold_s_min}-{dose.hold_s_max} s"


def exercise_brief(ex: Any) -> dict[str, Any]:
    return {"id": ex.id, "name": ex.name, "ladder": ex.ladder, "step": ex.step, "phase": ex.phase,
            "dose": dose_text(ex.dose)}


def render_program(program: Any) -> None:
    out.print(f"Your program — phase: {program.phase}, {program.days_per_week} days a week, "
              f"started {program.started_on}")
    for p in program.prescriptions:
        out.print(f"  • {p.exercise_id}: {p.describe()}")
    for r in program.reasons:
        out.print(f"    {r}", style="dim")


def render_decisions(decisions: list[dict[str, Any]]) -> None:
    style = {"progress": "green", "hold": "yellow", "regress": "red"}
    for d in decisions:
        out.print(f"{d['action'].upper()} {d['exercise_id']}{change_text(d)}", style=style.get(d["action"], "none"))
        for r in d.get("reasons", []):
            out.print(f"    {r}")


def change_text(d: dict[str, Any]) -> str:
    """' -> 2 × 10 reps, ...' (naming the new exercise when it changes); '' when nothing changes."""
    from backcoach.domain.program import Prescription

    before, after = d.get("before") or {}, d.get("after") or {}
    if not after or after == before:
        return ""
    try:
        dose = Prescription.from_dict(after).describe()
    except (KeyError, TypeError, ValueError):
        dose = _rx(after)
    moved = after.get("exercise_id") != d.get("exercise_id")
    return f" → {after.get('exercise_id')}: {dose}" if moved else f" → {dose}"


def _rx(p: dict[str, Any]) -> str:
    parts = [f"{p.get('sets')} sets"]
    if p.get("reps") is not None:
        parts.append(f"{p['reps']} reps")
    parts.append(f"{p.get('hold_s')} s hold")
    if p.get("band"):
        parts.append(f"{p['band']} band")
    return "(" + ", ".join(parts) + ")"


ALERT_STYLE = {"bad": "red", "warn": "yellow", "info": "none"}
"""By domain.triage.tone_of, the rule the web pages use too (not by severity, a 0-100 ordering)."""


def render_alerts(alerts: list[dict[str, Any]], indent: str = "") -> None:
    """The alerts, one line each: red when they ask for action now, yellow for soon, plain otherwise."""
    from backcoach.domain.triage import tone_of

    for a in alerts:
        out.print(f"{indent}! {a.get('message', a.get('code'))}", style=ALERT_STYLE[tone_of(str(a.get("code", "")))])


def fmt(x: Any) -> str:
    return "—" if x is None else f"{x:.1f}"


def render_simulation(data: dict[str, Any]) -> None:
    if data.get("name"):
        out.print(f"Course: {data['name']}", style="bold")
    if data.get("description"):
        out.print(data["description"])
    out.print("(simulated with the real rules; nothing is stored)", style="dim")
    for day in data["days"]:
        bits = [f"day {day['day']:>3} {day['date']}"]
        if day.get("pain") is not None:
            bits.append(f"pain {day['pain']}/10")
        if day.get("phase"):
            bits.append(day["phase"])
        if day.get("screening_level"):
            bits.append(f"screen: {day['screening_level'].replace('_', ' ')}")
        if day["locked"]:
            bits.append("LOCKED")
        elif day["session_done"]:
            bits.append("session done")
        else:
            bits.append("no session")
        style = "bold red" if day["locked"] else ("bold" if day["decisions"] or day["alerts"] else "none")
        out.print("  ".join(bits), style=style)
        if day["locked"] and day.get("lock_reason"):
            out.print(f"      {day['lock_reason']}")
        for note in day.get("notes", []):
            out.print(f"      note: {note}", style="dim")
        for d in day["decisions"]:
            out.print(f"      {d['action'].upper():8} {d['exercise_id']}{change_text(d)}",
                      style={"progress": "green", "hold": "yellow", "regress": "red"}.get(d["action"], "none"))
            for r in d.get("reasons", []):
                out.print(f"               {r}", style="dim")
        render_alerts(day["alerts"], indent="      ")
        if day.get("questionnaires"):
            out.print(f"      questionnaires due ({day['questionnaires'][0]['label']}): "
                      + ", ".join(q["instrument"] for q in day["questionnaires"]), style="cyan")
    s = data["summary"]
    out.print()
    out.print("Summary", style="bold")
    out.print(f"  {s['sessions']} sessions in {s['days']} days; decisions: {s['decisions']['progress']} progress, "
              f"{s['decisions']['hold']} hold, {s['decisions']['regress']} regress")
    if s["days_locked"]:
        out.print(f"  program locked on {s['days_locked']} day(s), from day {s['first_locked_day']}")
    if s["alerts_raised"]:
        out.print(f"  alerts: {', '.join(s['alerts_raised'])}")
    out.print(f"  final phase: {s['final_phase'] or '—'}; trend: {s['final_trend']}")
    if s["final_prescriptions"]:
        out.print(f"  final program: {'; '.join(s['final_prescriptions'])}")
