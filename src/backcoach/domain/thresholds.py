"""Every number a clinician might change, as one value object.

The numbers themselves, with the source of each, live in ``catalog/thresholds.yaml``;
``backcoach.catalog.load_thresholds()`` reads that file into :class:`Thresholds`.
The defaults below are the same numbers, so that a rule called without thresholds
behaves exactly like one called with the shipped file (a unit test keeps them equal).
The screening section has no defaults: the red-flag screen needs the file's numbers.
``Thresholds`` is re-exported from :mod:`backcoach.domain.assessment`, as the contract says.
"""

from __future__ import annotations

from dataclasses import MISSING, dataclass, fields, is_dataclass, replace
from typing import Any, Mapping, get_type_hints

from .errors import InvalidCatalog


@dataclass(frozen=True)
class ScreeningThresholds:
    """The red-flag screen's numbers (DESIGN §2 v2). No built-in values: the screen only
    runs with the numbers read from ``thresholds.yaml``, so there is one copy of each."""

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
    bridge_hold_s: Cutoffs = Cutoffs(cap=60, none=45, mild=30, moderate=15)
    single_leg_bridge_reps: Cutoffs = Cutoffs(cap=25, none=20, mild=15, moderate=10)
    side_lying_hold_s: Cutoffs = Cutoffs(cap=60, none=45, mild=30, moderate=15)
    hip_drop_mild_deg: float = 2.0
    hip_drop_moderate_deg: float = 5.0
    hip_drop_severe_deg: float = 8.0
    asymmetry_ratio: float = 0.8
    high_pain_nprs: int = 6
    advanced_start_max_pain_now: int = 3
    advanced_start_max_pain_worst: int = 5


@dataclass(frozen=True)
class ProgressionThresholds:
    regress_pain_during_above: int = 5
    regress_next_morning_delta: float = 2
    regress_serious_fault_fraction: float = 0.3
    regress_dose_fraction_below: float = 0.5
    hold_pain_during_min: int = 3
    hold_rpe_min: int = 8
    progress_pain_during_max: int = 2
    progress_rpe_max: int = 7
    qualifying_sessions: int = 2
    settled_margin: float = 1
    reps_step: int = 2
    sets_step: int = 1
    squeeze_step_s: int = 1
    timed_hold_step_s: int = 5


@dataclass(frozen=True)
class MonitoringThresholds:
    baseline_entries: int = 3
    important_change_points: float = 2
    important_change_fraction: float = 0.3
    mean_window_days: int = 7
    six_week_rule_weeks: float = 6
    six_week_mean_at_least: float = 2
    six_week_repeat_days: int = 7
    worsening_delta: float = 2
    rescreen_days: int = 7
    low_adherence_below: float = 0.5
    no_activity_days: int = 7


@dataclass(frozen=True)
class PhaseDose:
    days_per_week: int
    sets_min: int
    sets_max: int
    reps_min: int
    reps_max: int
    squeeze_s_min: int
    squeeze_s_max: int


@dataclass(frozen=True)
class PhaseThresholds:
    activation: PhaseDose = PhaseDose(5, 2, 2, 8, 12, 2, 3)
    strengthening: PhaseDose = PhaseDose(3, 2, 3, 8, 15, 2, 5)
    integration: PhaseDose = PhaseDose(3, 2, 3, 8, 15, 2, 5)
    strengthening_from_week: float = 2
    integration_from_week: float = 6
    min_progressions_to_advance: int = 1
    recent_decisions_without_regress: int = 3


@dataclass(frozen=True)
class Thresholds:
    # No built-in screening numbers: ``None`` until read from the file (``from_dict`` requires the section).
    screening: ScreeningThresholds = None  # type: ignore[assignment]
    assessment: AssessmentThresholds = AssessmentThresholds()
    progression: ProgressionThresholds = ProgressionThresholds()
    monitoring: MonitoringThresholds = MonitoringThresholds()
    phases: PhaseThresholds = PhaseThresholds()

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> "Thresholds":
        """Build from the parsed YAML; unknown keys and wrong types are refused, missing keys keep defaults."""
        return _build(cls, data, "thresholds")

    def to_dict(self) -> dict[str, Any]:
        return _dump(self)


DEFAULT_THRESHOLDS = Thresholds()


def _build(cls: type, data: Any, where: str) -> Any:
    """A dataclass from a mapping: nested dataclasses recursively, numbers checked by the default's type."""
    if not isinstance(data, Mapping):
        raise InvalidCatalog(f"{where} must be a mapping of names to values.")
    known = {f.name: f for f in fields(cls)}
    unknown = set(data) - set(known)
    if unknown:
        raise InvalidCatalog(f"{where}: unknown setting(s) {', '.join(sorted(map(str, unknown)))}.")
    has_defaults = all(f.default is not MISSING for f in known.values())
    defaults = cls() if has_defaults else None
    hints = get_type_hints(cls)
    values: dict[str, Any] = {}
    for name, f in known.items():
        section = hints[name] if is_dataclass(hints[name]) else None
        if name not in data:
            # A section whose default is None has no built-in numbers: the file must give it.
            if defaults is None or (section is not None and getattr(defaults, name) is None):
                raise InvalidCatalog(f"{where}: missing setting {name!r}.")
            continue
        value = data[name]
        if section is not None:
            values[name] = _build(section, value, f"{where}.{name}")
            continue
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise InvalidCatalog(f"{where}.{name} must be a number (got {value!r}).")
        if f.type == "int" or f.type is int:
            if float(value) != int(value):
                raise InvalidCatalog(f"{where}.{name} must be a whole number (got {value!r}).")
            value = int(value)
        values[name] = value
    return replace(defaults, **values) if defaults is not None else cls(**values)


def _dump(obj: Any) -> Any:
    if is_dataclass(obj) and not isinstance(obj, type):
        return {f.name: _dump(getattr(obj, f.name)) for f in fields(obj)}
    return obj
