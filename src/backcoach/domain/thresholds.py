"""Every number a clinician might change, as one value object.

The numbers themselves, with the source of each, live in ``catalog/thresholds.yaml``;
``backcoach.catalog.load_thresholds()`` reads that file once into :class:`Thresholds`,
and every rule gets them passed in. The classes below hold no numbers: a missing setting
in the file is refused, so there is never a second copy in code that could silently win
over the file.
``Thresholds`` is re-exported from :mod:`backcoach.domain.assessment`, as the contract says.
"""

from __future__ import annotations

from dataclasses import MISSING, dataclass, fields, is_dataclass
from typing import Any, Mapping, get_type_hints

from .errors import InvalidCatalog


@dataclass(frozen=True)
class ScreeningThresholds:
    """The red-flag screen's numbers (DESIGN §2 v2), including the time frames its questions name."""

    severe_pain_nprs: int
    long_episode_weeks: float
    first_episode_age_over: int
    first_episode_age_under: int
    fracture_risk_age: int
    adult_age: int
    morning_stiffness_minutes: int
    new_symptom_weeks: int
    recent_months: int
    long_term_steroid_months: int


@dataclass(frozen=True)
class Cutoffs:
    """Higher is better: value >= none -> no weakness, >= mild -> mild, >= moderate -> moderate, else severe."""

    cap: float
    none: float
    mild: float
    moderate: float


@dataclass(frozen=True)
class AssessmentThresholds:
    bridge_hold_s: Cutoffs
    single_leg_bridge_reps: Cutoffs
    side_lying_hold_s: Cutoffs
    hip_drop_mild_deg: float
    hip_drop_moderate_deg: float
    hip_drop_severe_deg: float
    asymmetry_ratio: float
    high_pain_nprs: int
    advanced_start_max_pain_now: int
    advanced_start_max_pain_worst: int


@dataclass(frozen=True)
class ProgressionThresholds:
    regress_pain_during_above: int
    regress_next_morning_delta: float
    regress_serious_fault_fraction: float
    regress_dose_fraction_below: float
    hold_pain_during_min: int
    hold_rpe_min: int
    progress_pain_during_max: int
    progress_rpe_max: int
    qualifying_sessions: int
    settled_margin: float
    reps_step: int
    sets_step: int
    squeeze_step_s: int
    timed_hold_step_s: int
    rest_days_at_bottom: int


@dataclass(frozen=True)
class MonitoringThresholds:
    baseline_entries: int
    usual_pain_window_days: int
    important_change_points: float
    important_change_fraction: float
    mean_window_days: int
    six_week_rule_weeks: float
    six_week_mean_at_least: float
    six_week_repeat_days: int
    worsening_delta: float
    worsening_best_window_days: int
    worsening_step_every_days: int
    rescreen_days: int
    rescreen_remind_days_before: int
    low_adherence_below: float
    no_activity_days: int


@dataclass(frozen=True)
class PhaseDose:
    days_per_week: int
    sets_min: int
    sets_max: int
    reps_min: int
    reps_max: int
    squeeze_s_min: int
    squeeze_s_max: int
    effort_min: int
    effort_max: int
    """Target effort at the end of each set (0-10, Borg CR10 / RPE)."""
    rest_days_between: int
    """Days off between two sessions (0: daily work allowed; 1: a rest day between strength days)."""


@dataclass(frozen=True)
class WalkingThresholds:
    start_minutes: int
    step_minutes: int
    max_minutes: int
    days_met_to_step: int
    window_days: int


@dataclass(frozen=True)
class PhaseThresholds:
    activation: PhaseDose
    strengthening: PhaseDose
    integration: PhaseDose
    strengthening_from_week: float
    integration_from_week: float
    min_progressions_to_advance: int
    recent_decisions_without_regress: int
    recent_decisions_considered: int


@dataclass(frozen=True)
class Thresholds:
    screening: ScreeningThresholds
    assessment: AssessmentThresholds
    progression: ProgressionThresholds
    monitoring: MonitoringThresholds
    phases: PhaseThresholds
    walking: WalkingThresholds

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> "Thresholds":
        """Build from the parsed YAML; unknown keys, missing keys and wrong types are refused."""
        return _build(cls, data, "thresholds")

    def to_dict(self) -> dict[str, Any]:
        return _dump(self)


def _build(cls: type, data: Any, where: str) -> Any:
    """A dataclass from a mapping: nested dataclasses recursively, numbers checked by the field's type."""
    if not isinstance(data, Mapping):
        raise InvalidCatalog(f"{where} must be a mapping of names to values.")
    known = {f.name: f for f in fields(cls)}
    hints = get_type_hints(cls)
    unknown = set(data) - set(known)
    if unknown:
        raise InvalidCatalog(f"{where}: unknown setting(s) {', '.join(sorted(map(str, unknown)))}.")
    values: dict[str, Any] = {}
    for name, f in known.items():
        kind = hints[name]
        if name not in data:
            if f.default is MISSING:
                raise InvalidCatalog(f"{where}: missing setting {name!r}.")
            continue
        value = data[name]
        if is_dataclass(kind):
            values[name] = _build(kind, value, f"{where}.{name}")
            continue
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise InvalidCatalog(f"{where}.{name} must be a number (got {value!r}).")
        if kind is int:
            if float(value) != int(value):
                raise InvalidCatalog(f"{where}.{name} must be a whole number (got {value!r}).")
            value = int(value)
        values[name] = value
    return cls(**values)


def _dump(obj: Any) -> Any:
    if is_dataclass(obj):
        return {f.name: _dump(getattr(obj, f.name)) for f in fields(obj)}
    return obj
