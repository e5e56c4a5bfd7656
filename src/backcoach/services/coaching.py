"""The camera coach as the person meets it: one cue per repetition, and a set's result
turned into the session log's fields.

Pure functions over the plain JSON the motion analysis gives (``Repetition.to_dict()``,
``AnalysisResult.to_dict()``), so the live WebSocket, the upload job and the browser's
own pipeline all fill the log the same way.
"""

from __future__ import annotations

from typing import Any, Iterable, Mapping

from backcoach.motion import report

PRAISE = "Good repetition. Keep it just like that."


def cue_for_repetition(repetition: Mapping[str, Any], exercise_id: str, hold_s: float | None = None) -> dict[str, Any]:
    """The one cue for this repetition: the motion analysis's own (`Repetition.cue`, the most
    important fault or praise) when it gives one, else the highest-priority fault's cue."""
    faults = [f for f in repetition.get("faults") or []]
    top = None
    if faults:
        ranked = sorted(faults, key=lambda f: report.PRIORITY.index(f) if f in report.PRIORITY else len(report.PRIORITY))
        top = ranked[0]
    cue = repetition.get("cue") or (report.cue_for(top, exercise_id, hold_s or 2.0) if top else PRAISE)
    out: dict[str, Any] = {"cue": cue, "fault": top, "good": bool(repetition.get("good", not faults)) and not faults}
    if top:
        out["label"] = report.FAULT_LABELS.get(top, top.replace("_", " "))
    return out


def exercise_name(exercise_id: str) -> str:
    return report.EXERCISE_NAMES.get(exercise_id, exercise_id.replace("_", " ").capitalize())


def log_fields(result: Mapping[str, Any], known_faults: Iterable[str], serious_faults: Iterable[str]) -> dict[str, Any]:
    """One analysed set -> what the log form needs: repetitions, the catalog's fault ids seen,
    the share of repetitions with a serious fault, and a suggested form rating.

    Faults the catalog does not list for the exercise (e.g. a tempo note) are shown to the
    person but not logged, because the log accepts only the catalog's fault ids.
    """
    reps = [r for r in result.get("repetitions") or []]
    n = int(result.get("reps", len(reps)) or 0)
    known, serious = set(known_faults), set(serious_faults)
    seen: list[str] = []
    with_serious = 0
    with_any = 0
    for rep in reps:
        faults = [f for f in rep.get("faults") or [] if f in known]
        with_any += bool(faults)
        with_serious += any(f in serious for f in faults)
        seen.extend(f for f in faults if f not in seen)
    share = round(with_serious / n, 2) if n else None
    # a suggestion the person can change; "poor" is theirs to choose (the serious share goes to progression as is)
    form = "" if not n else ("good" if with_any == 0 else "some_faults")
    out: dict[str, Any] = {"reps": n, "faults": seen, "form": form, "serious_fault_fraction": share if serious else None}
    if "hold_s" in result:
        out["hold_s"] = result["hold_s"]
    return out
