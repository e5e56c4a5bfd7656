"""What an analysis returns: repetitions (or holds) with their findings, and the whole result."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from .checks import CheckOptions
from .checks.base import CANNOT_JUDGE, FAULT, Finding
from .landmarks import LandmarkSequence


@dataclass(frozen=True)
class Repetition:
    """One repetition (or one hold) with its measurements, findings and faults.

    `findings` holds every rule applied: the measured value next to its limit, and the
    verdict; `faults` are the ids of the findings that are faults (the catalog's ids).
    A rule that could not be judged (view, unseen landmarks, an impossible measurement)
    is never a fault; it is listed in `not_judged` with the reason.
    """

    index: int
    start_s: float
    end_s: float
    peak_s: float
    metrics: dict[str, Any]
    faults: list[str]
    complete: bool = True
    findings: tuple[Finding, ...] = ()
    cue: str = ""  # the one thing to say about this repetition (the most important fault, or praise)
    good: bool = False  # judged on at least one rule and no fault found

    @property
    def not_judged(self) -> dict[str, str]:
        return {f.fault: f.reason for f in self.findings if f.status == CANNOT_JUDGE}

    def to_dict(self) -> dict[str, Any]:
        out = {
            "start_s": round(self.start_s, 2),
            "end_s": round(self.end_s, 2),
            "peak_s": round(self.peak_s, 2),
            "metrics": self.metrics,
            "faults": list(self.faults),
            "cue": self.cue,
            "good": self.good,
            "checks": [f.to_dict() for f in self.findings],
            "not_judged": self.not_judged,
        }
        if not self.complete:
            out["complete"] = False
        return out


@dataclass
class AnalysisResult:
    exercise: str
    mode: str
    view: str
    repetitions: list[Repetition]
    warnings: list[str]
    frames_analyzed: int
    seconds: float
    side: str = ""
    recognised: bool = False
    options: CheckOptions = field(default_factory=CheckOptions)
    sequence: LandmarkSequence | None = None  # cleaned landmarks, for drawing
    signals: dict[str, np.ndarray] = field(default_factory=dict)
    primary: str = ""
    primary_label: str = ""
    timings: dict[str, float] = field(default_factory=dict)
    video: Any = None  # VideoInfo when the result came from a file (for drawing)
    recognition: dict[str, Any] | None = None  # --exercise auto: what was recognised, with its confidence
    not_counted: list[dict[str, Any]] = field(default_factory=list)  # movements not counted, with the reason
    cuts_s: list[float] = field(default_factory=list)  # camera cuts found in the video
    people: dict[str, Any] | None = None  # second looks for other people, and who was followed (a video file)

    @property
    def reps(self) -> int:
        return len(self.repetitions)

    @property
    def fault_counts(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for rep in self.repetitions:
            for f in rep.faults:
                counts[f] = counts.get(f, 0) + 1
        return counts

    @property
    def not_judged(self) -> dict[str, dict[str, Any]]:
        """Per fault rule: in how many repetitions it could not be judged, and why (first reason)."""
        out: dict[str, dict[str, Any]] = {}
        for rep in self.repetitions:
            for fault, reason in rep.not_judged.items():
                entry = out.setdefault(fault, {"repetitions": 0, "reason": reason})
                entry["repetitions"] += 1
        return out

    def to_dict(self) -> dict[str, Any]:
        out = {
            "exercise": self.exercise,
            "reps": self.reps,
            "repetitions": [r.to_dict() for r in self.repetitions],
            "faults": self.fault_counts,
            "not_judged": self.not_judged,
            "view": self.view,
            "warnings": list(self.warnings),
            "frames_analyzed": int(self.frames_analyzed),
            "seconds": round(float(self.seconds), 2),
        }
        sides = [r.metrics.get("side") for r in self.repetitions if r.metrics.get("side")]
        if sides:
            out["per_side"] = {s: sides.count(s) for s in ("left", "right") if s in sides}
        if self.mode == "hold":
            out["hold_s"] = round(sum(r.metrics.get("hold_s", 0.0) for r in self.repetitions), 2)
        if self.recognised:
            out["recognised_exercise"] = True
        if self.recognition is not None:
            out["recognition"] = self.recognition
        if self.not_counted:
            out["not_counted"] = list(self.not_counted)
        if self.cuts_s:
            out["camera_cuts_s"] = [round(c, 2) for c in self.cuts_s]
        if self.people is not None:
            out["people"] = dict(self.people)
        if self.options.hold_s:
            out["prescribed_hold_s"] = self.options.hold_s
        if "total_s" in self.timings:
            out["processing_s"] = round(self.timings["total_s"], 2)
        return out


__all__ = ["AnalysisResult", "CANNOT_JUDGE", "FAULT", "Finding", "Repetition"]
