"""What the pages and the API show, assembled from the services' results.

Writes always go through ``backcoach.services``; this module only shapes their
results (and a few read-only queries the services do not need) for display, so
that a page and its API twin return the same facts.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any, Optional

from backcoach.services.common import NO_CAMERA_CHECK, catalog, thresholds
from backcoach.web import charts

LADDER_TITLES = {"hip_extension": "Hip extension (gluteus maximus)",
                 "hip_abduction": "Hip abduction (gluteus medius)",
                 "core_stability": "Core stability"}


def exercise_name(exercise_id: str) -> str:
    try:
        return catalog().get(exercise_id).name
    except Exception:
        return exercise_id.replace("_", " ")


def describe(prescription: dict[str, Any] | None) -> str:
    if not prescription:
        return "—"
    try:
        from backcoach.domain.program import Prescription

        return Prescription.from_dict(prescription).describe()
    except Exception:
        parts = [f"{prescription.get('sets')} ×"]
        if prescription.get("reps"):
            parts.append(f"{prescription['reps']} reps")
        if prescription.get("hold_s"):
            parts.append(f"{prescription['hold_s']} s hold")
        return " ".join(str(p) for p in parts)


def keyframes(exercise: Any) -> list[dict[str, Any]]:
    out = []
    for k in getattr(exercise, "keyframes", ()) or ():
        joints = {name: [float(x), float(y)] for name, (x, y) in dict(k.joints).items()}
        out.append({"t": float(k.t), "joints": joints})
    return out


# Said under a figure drawn from an unusual side, so the person knows how to read it.
FIGURE_VIEWS = {"feet": "the feet end", "above": "above"}


def exercise_cards(session: Any) -> list[dict[str, Any]]:
    """Today's prescriptions as cards: name, dose, cues, faults and the animation keyframes."""
    cards = []
    for item in session.items:
        p = item.prescription
        ex = catalog().get(p.exercise_id)
        cards.append({
            "exercise_id": p.exercise_id,
            "name": ex.name,
            "summary": getattr(ex, "summary", ""),
            "dose": p.describe(),
            "sets": p.sets,
            "reps": p.reps,
            "hold_s": p.hold_s,
            "band": p.band,
            "per_side": p.per_side,
            "cues": list(ex.cues),
            "faults": [{"id": f.id, "name": f.name, "fix": f.fix, "why": f.why_it_matters} for f in ex.faults],
            "keyframes": keyframes(ex),
            "keyframes_json": json.dumps(keyframes(ex), separators=(",", ":")),
            "figure_seen_from": FIGURE_VIEWS.get(getattr(ex, "illustration_view", "side"), ""),
            "period": 4 if p.reps else max(4, min(p.hold_s or 4, 8)),
            "camera_note": None if ex.camera_checked else NO_CAMERA_CHECK,
            "sources": list(ex.sources),
        })
    return cards


def decision_rows(decisions: list[dict[str, Any]]) -> list[dict[str, Any]]:
    rows = []
    for d in decisions:
        rows.append({
            **d,
            "name": exercise_name(d.get("exercise_id", "")),
            "after_name": exercise_name((d.get("after") or {}).get("exercise_id") or d.get("exercise_id", "")),
            "before_text": describe(d.get("before")),
            "after_text": describe(d.get("after")),
        })
    return rows


def outcomes_due(ctx: Any, person_id: int) -> bool:
    """Whether an outcome questionnaire is due today (Today shows a prompt)."""
    from backcoach.services.outcomes import outcomes_overview

    return bool(outcomes_overview(ctx.service_uow(write=False), person_id, ctx.now).due)


def short_read(ctx: Any, person_id: int) -> Any:
    """The short read offered today, in the program's first weeks (None after them)."""
    from backcoach.catalog import load_education
    from backcoach.domain.education import topic_for_day
    from backcoach.services.outcomes import schedule_start

    topics = load_education()
    with ctx.service_uow(write=False) as uow:
        day = (ctx.today - schedule_start(uow, person_id)).days
    topic = topic_for_day(topics, day)
    return topic if topic is not None and day <= topics[-1].day + 7 else None


def rescreen_soon(gate: Any, now: dt.datetime) -> bool:
    """The weekly re-screen falls due within `rescreen_remind_days_before` days (thresholds.yaml)."""
    m = thresholds().monitoring
    latest = gate.latest_screening
    return latest is not None and (now - latest.at) >= dt.timedelta(days=m.rescreen_days - m.rescreen_remind_days_before)


def progress_view(status: Any, data: Any, svg: bool = True, voice: str = "person") -> dict[str, Any]:
    """Everything the progress page draws from a status and its chart data (services.status.ChartData):
    four SVG charts, their data tables and the messages. ``voice``: "person" (your ...) or
    "clinician" (their ...), for the wording of empty charts."""
    whose = "their" if voice == "clinician" else "your"
    report = status.report
    pain_points = [charts.PainDay(on=p.at.date(), nprs=p.nprs, kind=p.kind) for p in data.pain]
    weeks = [charts.WeekBar(week_start=w.week_start, done=w.done, planned=w.planned) for w in report.adherence]
    ladders = []
    current = {}
    if status.program is not None:
        for p in status.program.prescriptions:
            try:
                current[catalog().get(p.exercise_id).ladder] = p.exercise_id
            except Exception:
                pass
    for ladder_id, steps in catalog().ladders.items():
        ladders.append((LADDER_TITLES.get(ladder_id, ladder_id.replace("_", " ")),
                        [(s, exercise_name(s)) for s in steps], current.get(ladder_id)))
    marks = [charts.DecisionMark(on=at.date(), exercise=exercise_name(ex_id), action=action)
             for at, ex_id, action in data.marks if action in ("progress", "hold", "regress")]

    return {
        "pain_svg": charts.pain_chart(pain_points, report.baseline, whose=whose) if svg else None,
        "adherence_svg": charts.adherence_chart(weeks) if svg else None,
        "ladder_svg": charts.ladder_chart(ladders, whose=whose) if svg else None,
        "decisions_svg": charts.decisions_chart(marks, whose=whose) if svg else None,
        "pain_table": sorted(pain_points, key=lambda p: p.on, reverse=True)[:30],
        "weeks": weeks,
        "ladders": [(name, dict(steps).get(cur, "not started") if cur else "not in program") for name, steps, cur in ladders],
        "decisions": decision_rows(list(data.decisions)),
        "alerts": [a.to_dict() for a in report.alerts],
        "baseline": report.baseline,
        "mean_7d": report.mean_7d,
        "trend": report.trend,
        "reasons": list(report.reasons),
    }


def progress_json(view: dict[str, Any]) -> dict[str, Any]:
    return {
        "baseline": view["baseline"], "mean_7d": view["mean_7d"], "trend": view["trend"],
        "alerts": view["alerts"], "reasons": view["reasons"],
        "pain": [{"on": p.on.isoformat(), "nprs": p.nprs, "kind": p.kind} for p in view["pain_table"]],
        "adherence": [{"week_start": w.week_start.isoformat(), "done": w.done, "planned": w.planned} for w in view["weeks"]],
        "ladders": [{"ladder": n, "current": c} for n, c in view["ladders"]],
        "decisions": view["decisions"],
    }


# the log form's field names (ex{i}_<name>) -> the session log's fields (domain.inputs.SESSION_ENTRY)
LOG_FORM_FIELDS = (("sets", "sets"), ("reps", "reps"), ("holds", "hold_s"), ("pain", "pain_during"),
                   ("rpe", "rpe"), ("form", "form"))


def session_log_from_form(form: dict[str, str]) -> tuple[dict[str, Any], list[str]]:
    """The log form -> the session mapping of services.sessions (see its docstring).

    Each field is read by its declared spec (``domain.inputs.SESSION_ENTRY``); a message is
    "<exercise>, <label>: <the field's rule>". An exercise left blank was not done today."""
    from backcoach.domain.fields import by_name
    from backcoach.domain.inputs import SESSION_ENTRY
    from backcoach.web.forms import read_field

    specs = by_name(SESSION_ENTRY)
    problems: list[str] = []
    exercises = []
    i = 0
    while f"ex{i}_id" in form:
        ex_id = form[f"ex{i}_id"]
        name = exercise_name(ex_id)
        prefix = f"ex{i}_"
        i += 1
        if not any(form.get(prefix + key, "") for key, _ in LOG_FORM_FIELDS if key != "holds"):
            continue  # not done today: no entry, no decision
        entry: dict[str, Any] = {"exercise_id": ex_id}
        for key, field in LOG_FORM_FIELDS:
            value, message = read_field(form, specs[field], prefix + key)
            if message is not None:
                problems.append(f"{name}, {specs[field].label.lower()}: {message}")
            elif value is not None:
                entry[field] = value
        camera_faults = [f for f in form.get(f"{prefix}faults", "").split(",") if f.strip()]
        if camera_faults:  # filled in from the camera coach (hidden field); the services check the ids
            entry["faults"] = [f.strip() for f in camera_faults[:20]]
        share, message = read_field(form, specs["serious_fault_fraction"], f"{prefix}serious")
        if message is not None:
            problems.append(f"{name}, the camera's share of repetitions with a serious mistake: {message}")
        elif share is not None:
            entry["serious_fault_fraction"] = share
        exercises.append(entry)
    if not exercises and not problems:
        problems.append("Fill in at least one exercise you did today.")
    return {"exercises": exercises}, problems


def program_view(uow: Any, person_id: int) -> dict[str, Any]:
    latest = uow.assessments.latest(person_id)
    rec = uow.programs.active_for(person_id)
    program = None
    if rec is not None:
        data = rec.program or {}
        program = {
            "id": rec.id,
            "phase": data.get("phase", rec.phase),
            "days_per_week": data.get("days_per_week"),
            "started_on": data.get("started_on"),
            "reasons": data.get("reasons", []),
            "items": [{"exercise_id": p.get("exercise_id"), "name": exercise_name(p.get("exercise_id", "")),
                       "dose": describe(p), "prescription": p} for p in data.get("prescriptions", [])],
        }
    return {"assessment": None if latest is None else latest.result,
            "assessment_at": None if latest is None else latest.at.isoformat(),
            "program": program}


def session_dict(rec: Any) -> dict[str, Any]:
    return {"id": rec.id, "performed_on": rec.performed_on.isoformat(), "at": rec.at.isoformat(),
            "entries": rec.entries, "decisions": decision_rows(list(rec.decisions))}
