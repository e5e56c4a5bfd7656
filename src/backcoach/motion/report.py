"""Turning an analysis into words: the JSON record and a plain-language report with cues.

All wording is ours, written for a person with back pain; it is feedback on technique,
not a medical assessment.
"""

from __future__ import annotations

import json
from typing import Any

from .analysis import AnalysisResult
from .checks.base import FAULT, Finding
from .cues import CUES, CUES_BY_EXERCISE, FAULT_LABELS, PRIORITY, cue_for  # noqa: F401 - re-exported

EXERCISE_NAMES = {
    "glute_bridge": "Glute bridge",
    "banded_glute_bridge": "Banded glute bridge",
    "marching_bridge": "Marching bridge",
    "single_leg_glute_bridge": "Single-leg glute bridge",
    "clamshell": "Clamshell",
    "banded_clamshell": "Banded clamshell",
    "side_lying_leg_raise": "Side-lying leg raise",
    "banded_side_lying_leg_raise": "Banded side-lying leg raise",
    "side_plank_knees": "Side plank on the knees",
    "side_plank": "Side plank",
    "bird_dog": "Bird dog",
    "dead_bug": "Dead bug",
}

METRIC_LABELS = {
    "peak_hip_angle_deg": ("shoulder-hip-knee angle at top", "°"),
    "hold_s": ("held at top", " s"),
    "knee_angle_at_top_deg": ("knee angle at top", "°"),
    "knee_opening_deg": ("knee opening", "°"),
    "abduction_deg": ("leg lift (abduction)", "°"),
    "lift_angle_deg": ("knee lift", "°"),
    "support_hip_angle_deg": ("lowest hip line while lifting", "°"),
    "median_hip_sag_deg": ("hip sag", "°"),
    "median_leg_lift_deg": ("leg height vs trunk", "°"),
    "pelvis_drop_deg": ("pelvis tilt", "°"),
    "reach_deg": ("reach", "°"),
    "lift_s": ("lift", " s"),
    "lower_s": ("lower", " s"),
}
KEY_METRICS = {
    "marching": ("lift_angle_deg", "support_hip_angle_deg", "hold_s", "lift_s", "lower_s"),
    "bridge": ("peak_hip_angle_deg", "hold_s", "lift_s", "lower_s"),
    "clamshell": ("knee_opening_deg", "lift_s", "lower_s"),
    "leg_raise": ("abduction_deg", "lift_s", "lower_s"),
    "hold": ("hold_s",),
    "dead_bug": ("reach_deg", "lift_s", "lower_s"),
}

DISCLAIMER = ("This is feedback on technique from a camera, not a medical assessment. If an exercise "
              "causes pain that does not settle, stop and speak to your clinician.")


def to_json(result: AnalysisResult, indent: int | None = 2) -> str:
    return json.dumps(result.to_dict(), indent=indent)


def top_cues(result: AnalysisResult, limit: int = 2) -> list[str]:
    """The one or two changes that would help most: common faults first, the back before tempo."""
    counts = result.fault_counts
    if not counts:
        return []
    n = max(result.reps, 1)

    def score(f: str) -> tuple[float, int]:
        share = counts[f] / n
        weight = 1.0 + (len(PRIORITY) - PRIORITY.index(f)) / len(PRIORITY) if f in PRIORITY else 1.0
        return share * weight, -PRIORITY.index(f) if f in PRIORITY else 0

    ranked = sorted(counts, key=score, reverse=True)
    return [cue_for(f, result.exercise, result.options.hold_s) for f in ranked[:limit]]


UNITS = {"deg": "°", "s": " s"}


def value_text(value: float | None, unit: str) -> str:
    if value is None:
        return "not measured"
    u = UNITS.get(unit, f" {unit}")
    return f"{value:.2g}{u}" if unit not in ("deg", "s") else (f"{value:.0f}{u}" if unit == "deg" else f"{value:.1f}{u}")


def finding_text(f: Finding) -> str:
    """A fault with what was measured next to its limit, e.g. "moved too fast (time to lower 0.6 s; limit 1.0 s)"."""
    label = FAULT_LABELS.get(f.fault, f.fault)
    if f.value is None or f.limit is None:
        return label
    return f"{label} ({f.measured} {value_text(f.value, f.unit)}; limit {value_text(f.limit, f.unit)})"


def _metric_text(metrics: dict[str, Any], family: str) -> str:
    parts: list[str] = []
    for key in KEY_METRICS.get(family, ()):
        v = metrics.get(key)
        if v is None:
            continue
        if metrics.get("side") and not parts:
            parts.append(f"{metrics['side']} leg")
        label, unit = METRIC_LABELS.get(key, (key, ""))
        if family == "hold" and key == "hold_s":
            label = "held"
        parts.append(f"{label} {v:g}{unit}")
    return ", ".join(parts)


def render_text(result: AnalysisResult) -> str:
    from .checks import family_of  # noqa: PLC0415

    family = "marching" if result.exercise == "marching_bridge" else family_of(result.exercise)
    name = EXERCISE_NAMES.get(result.exercise, result.exercise)
    unit = "hold" if result.mode == "hold" else "repetition"
    n = result.reps
    lines = [f"{name}: {n} {unit}{'' if n == 1 else 's'} found "
             f"({result.view} view, {result.seconds:.1f} s of video, {result.frames_analyzed} frames analysed)"]
    sides = [r.metrics.get("side") for r in result.repetitions if r.metrics.get("side")]
    if sides:
        lines.append("Per side: "
                     + ", ".join(f"{s} {sides.count(s)}" for s in ("left", "right") if s in sides))
    if result.mode == "hold" and n:
        total = sum(r.metrics.get("hold_s", 0.0) for r in result.repetitions)
        lines.append(f"Total time in position: {total:.1f} s")
    lines.append("")
    for rep in result.repetitions:
        found = [f for f in rep.findings if f.status == FAULT]
        faults = "; ".join(finding_text(f) for f in found) or ("good" if rep.good else "not judged")
        cut = " (cut off by the end of the video)" if not rep.complete else ""
        lines.append(f"  {rep.index:>2}. {rep.start_s:5.1f}-{rep.end_s:5.1f} s  {_metric_text(rep.metrics, family)}{cut}")
        lines.append(f"      form: {faults}")
        if rep.cue:
            lines.append(f"      cue: {rep.cue}")
    if result.repetitions:
        lines.append("")
    for moved in result.not_counted:
        lines.append(f"Not counted: {moved['start_s']:.1f}-{moved['end_s']:.1f} s, because {moved['reason']}.")
    not_judged = result.not_judged
    if not_judged:
        lines.append("Could not judge (never counted as a fault):")
        for fault, entry in not_judged.items():
            lines.append(f"  - {FAULT_LABELS.get(fault, fault)} ({entry['repetitions']} of {n}): {entry['reason']}.")
        lines.append("")
    counts = result.fault_counts
    judged_any = any(r.good or r.faults for r in result.repetitions)
    if n and judged_any:
        if counts:
            summary = ", ".join(f"{FAULT_LABELS.get(f, f)} ({c} of {n})" for f, c in
                                sorted(counts.items(), key=lambda kv: -kv[1]))
            lines.append(f"What we saw: {summary}.")
            lines.append("What to work on:")
            for i, cue in enumerate(top_cues(result), 1):
                lines.append(f"  {i}. {cue}")
        else:
            lines.append(f"Good form on every {unit} we could see. Keep the same control as the set gets harder.")
    for w in result.warnings:
        lines.append(f"Note: {w}")
    lines.append("")
    lines.append(DISCLAIMER)
    return "\n".join(lines)
