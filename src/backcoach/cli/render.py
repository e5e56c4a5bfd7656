"""Rich output for the commands: plain words for the person, colours that match the web pages.

Text from data (names, notes, reasons) is printed exactly as it is (markup off).
"""

from __future__ import annotations

import datetime as dt
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
    if s.get("questionnaire_days"):
        first = dt.date.fromisoformat(data["start"])
        numbers = [str((dt.date.fromisoformat(d) - first).days + 1) for d in s["questionnaire_days"]]
        out.print(f"  outcome questionnaires due on days {', '.join(numbers)}")
    if s.get("ladders"):
        out.print(f"  ladders over {s['weeks']:g} weeks (first day on each step):")
        for ladder, steps in s["ladders"].items():
            path = " → ".join(f"{step['name']} (day {step['from_day']}"
                              + (", no camera check" if step["camera_check"] == "none" else "") + ")"
                              for step in steps)
            out.print(f"    {ladder.replace('_', ' ')}: {path}")
    if s.get("walking_goals"):
        out.print("  walking goal: " + " → ".join(f"{m} min (day {d})" for d, m in s["walking_goals"].items()))
    if s["final_prescriptions"]:
        out.print(f"  final program: {'; '.join(s['final_prescriptions'])}")


def render_catalog(cat: Any) -> None:
    """The exercise ladders, one table each."""
    for ladder, ids in cat.ladders.items():
        table = Table(title=f"{ladder.replace('_', ' ')} ladder", title_justify="left", show_header=True)
        table.add_column("step")
        table.add_column("id", no_wrap=True)
        table.add_column("name")
        table.add_column("phase")
        for ex_id in ids:
            ex = cat.get(ex_id)
            table.add_row(str(ex.step + 1), ex.id, ex.name, ex.phase)
        out.print(table)
    out.print("Details: backcoach exercises show ID")


def render_exercise(ex: Any) -> None:
    """One exercise: cues, common faults, dose, progression and regression."""
    out.print(f"{ex.name} ({ex.id}) — {ex.ladder.replace('_', ' ')} ladder, step {ex.step + 1}, {ex.phase}", style="bold")
    if getattr(ex, "summary", ""):
        out.print(ex.summary)
    out.print(f"Targets: {', '.join(ex.targets)}. Position: {ex.position}. "
              f"Equipment: {', '.join(ex.equipment) or 'none'}{'; each side' if ex.per_side else ''}.")
    out.print(f"Dose: {dose_text(ex.dose)}")
    out.print("Cues", style="bold")
    for c in ex.cues:
        out.print(f"  • {c}")
    out.print("Common faults", style="bold")
    for f in ex.faults:
        serious = " (serious)" if f.serious else ""
        out.print(f"  • {f.name}{serious}: {f.why_it_matters} Fix: {f.fix}")
    out.print(f"Easier (regression): {ex.regression or 'none — this is the first step'}")
    out.print(f"Harder (progression): {ex.progression or 'none — this is the last step'}")
    if ex.camera_checked:
        out.print(f"Camera view for the form coach: {', '.join(ex.camera_views)}")
    else:
        from backcoach.services.common import NO_CAMERA_CHECK

        out.print(f"No camera check. {NO_CAMERA_CHECK}", style="yellow")
    if ex.sore_hip_swap:
        from backcoach.services.common import catalog

        out.print(f"If your hip hurts lying on your side: {catalog().get(ex.sore_hip_swap).name} "
                  f"({ex.sore_hip_swap}) instead.")
    if ex.sources:
        out.print("Sources", style="bold")
        for source in ex.sources:
            out.print(f"  • {source}")


def render_today(session: Any) -> None:
    """Today's session (services.TodaysSession): exercises, dose and cues."""
    out.print(f"Today, {session.day.isoformat()} — phase: {session.phase} "
              f"({session.sessions_this_week} of {session.days_per_week} sessions done this week)")
    if session.gate.reminder:
        out.print(f"Reminder: {session.gate.reminder}", style="yellow")
    if session.done_today:
        out.print("You have already logged a session today.", style="green")
    for change in session.stepped_back:
        out.print(f"Changed after your last session: {change.text()}", style="yellow")
    for rest in session.resting:
        out.print(f"Resting today: {rest.text()}", style="yellow")
    if session.walking is not None:
        out.print(session.walking.text())
    if session.rest_day:
        why = " Strength work needs a rest day between sessions." if session.rest_days_between else ""
        out.print(f"Rest day: nothing planned.{why} Your walk is good for your back on rest days too.")
    elif session.effort:
        out.print(f"How hard: {session.effort}")
    for item in session.items:
        ex = item.exercise
        out.print(f"\n{ex['name']} ({ex['id']}): {item.prescription.describe()}", style="bold")
        if ex.get("camera_check") == "none":
            from backcoach.services.common import NO_CAMERA_CHECK

            out.print(f"  No camera check. {NO_CAMERA_CHECK}", style="yellow")
        for cue in ex["cues"][:4]:
            out.print(f"  • {cue}")
    out.print("\nStop an exercise if pain goes above 5 out of 10. Afterwards: `backcoach log`.")
    disclaimer()


def render_status(st: Any, data: dict[str, Any], today: Any) -> None:
    """The status (services.Status and its dict): gate, program, pain, adherence, escalations, decisions."""
    out.print(f"{st.display_name} — status on {today.isoformat()}", style="bold")
    gate = data["gate"]
    latest = gate.get("latest_screening")
    if latest:
        out.print(f"Last safety screen: {latest['at'][:10]} ({latest['level'].replace('_', ' ')})")
    if gate.get("lock"):
        lock = gate["lock"]
        out.print(f"Paused until a clinician has checked you ({lock['level']} screen on {lock['on']})", style="bold red")
    if gate["allowed"]:
        out.print("Program: allowed", style="green")
    else:
        out.print("Program: paused", style="bold red")
        for r in gate["reasons"]:
            out.print(f"  • {r}")
    if gate.get("reminder"):
        out.print(f"Reminder: {gate['reminder']}", style="yellow")
    if st.program is not None:
        render_program(st.program)
    else:
        out.print("No program yet (`backcoach start`).")
    mon = data["monitoring"]
    out.print(f"Pain: baseline {fmt(mon.get('baseline'))}, last 7 days {fmt(mon.get('mean_7d'))}, trend {mon.get('trend')}")
    adherence = mon.get("adherence") or []
    if adherence:
        out.print("Adherence: " + "; ".join(
            f"week of {w.get('week_start')}: {w.get('done')}/{w.get('planned')}" for w in adherence[-4:]))
    if data["escalations"]:
        out.print("Needs attention", style="bold")
        render_alerts(data["escalations"])
    if data["decisions"]:
        out.print("Latest decisions", style="bold")
        for d in data["decisions"][:6]:
            who = f"by {d.get('by_name') or 'a clinician'}" if d["source"] == "clinician" else "rules"
            out.print(f"  {d['at'][:10]} {d['action']} {d['exercise_id']} ({who})")
            for r in d["reasons"]:
                out.print(f"      {r}")
    disclaimer()
