"""Per-exercise progression after each session (DESIGN.md §4, pain-monitoring model).

Why: pain during and after exercise is the guide. A little pain that settles by the next
morning is acceptable; more pain, a flare the next morning, lower-back arching or a dose
that could not be done means stepping back. Progress is earned by two good sessions in a
row at the same dose, and moves one notch at a time in a fixed order (repetitions, sets,
hold time, band, next exercise), so no ladder step is ever skipped.

Decisions taken here:

* Next-morning pain is judged on the latest session only (the morning after an earlier
  session was judged when it was reported), so one bad morning steps back once.
* A serious fault (``lumbar_hyperextension``) with no measured share of repetitions but
  rated ``poor`` form is counted as present in at least 30 % of repetitions.
* A qualifying session needs its next-morning pain known and settled, except the latest
  session, whose morning has not come yet.
* With a ``phase`` (given, or carried by the prescription as the program sets it), the
  dose moves within the phase caps and progression does not move onto an exercise of a
  later phase; without one, the exercise's own range applies.
* Regression goes one notch back in the reverse order: hold time, sets, repetitions, band,
  then the previous exercise at the bottom of its range. At the gentlest step (the first
  exercise of a ladder at the bottom of its range) a step back rests that exercise for
  ``rest_days_at_bottom`` days: a step back always changes what is prescribed next.
* The next-morning rule and "settled" compare with the person's usual pain (the rolling
  median of their daily scores, :func:`backcoach.domain.monitoring.usual_pain`).
* One session a day counts: several logs of an exercise on one day count as one day
  toward the run of qualifying sessions.
* Strength work counts sessions, not calendar days, and wants rest between: in a phase
  with ``rest_days_between`` (strengthening, integration; thresholds.yaml ``phases``), a
  good session done less than that many days after the previous counted one does not
  count toward the run (it does not break it either). So progress comes after N sessions
  with rest days between them, never after N days in a row.

Rule numbers come from ``catalog/thresholds.yaml`` (``progression``).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, timedelta
from typing import Any, Literal, Mapping, Sequence

from .catalog import BANDS, PHASES, Catalog
from .errors import InvalidAnswers
from .program import Prescription, dose_range_for, starting_prescription
from .thresholds import Thresholds

__all__ = [
    "FormRating", "ExerciseLog", "Action", "Decision", "progress_decision", "progress_prescription",
    "regress_prescription", "regress", "hold", "worsening_decision", "next_morning_decision",
    "WORSENING_PAUSE", "WORSENING_STEP",
]

WORSENING_PAUSE = "Progression paused: your pain over the last week is clearly higher than when you started."
WORSENING_STEP = ("Your pain over the last week is clearly higher than when you started: this exercise steps "
                  "back, and a review with a doctor or physiotherapist is recommended.")

FormRating = Literal["good", "some_faults", "poor"]
Action = Literal["progress", "hold", "regress"]
FORMS: tuple[str, ...] = ("good", "some_faults", "poor")


@dataclass(frozen=True)
class ExerciseLog:
    exercise_id: str
    performed_on: date
    prescription: Prescription
    sets_done: int
    reps_per_set: tuple[int, ...]
    hold_s_per_set: tuple[float, ...]
    pain_during: int
    rpe: int
    form: FormRating
    faults: tuple[str, ...] = ()
    serious_fault_fraction: float | None = None
    next_morning_pain: int | None = None

    @property
    def dose_fraction(self) -> float:
        """Share of the prescribed dose done (0..1); the top squeeze is judged by the ``no_hold`` fault."""
        p = self.prescription
        sets = max(p.sets, 0)
        if p.reps is not None:
            planned = sets * p.reps
            if self.reps_per_set:
                done = sum(min(max(r, 0), p.reps) for r in self.reps_per_set[:sets])
            else:
                done = min(self.sets_done, sets) * p.reps
        else:
            planned = sets * p.hold_s
            if self.hold_s_per_set:
                done = sum(min(max(h, 0), p.hold_s) for h in self.hold_s_per_set[:sets])
            else:
                done = min(self.sets_done, sets) * p.hold_s
        if planned <= 0:
            return 1.0
        return max(0.0, min(1.0, done / planned))

    @property
    def full_dose(self) -> bool:
        return self.dose_fraction >= 1.0 - 1e-9

    def to_dict(self) -> dict[str, Any]:
        return {
            "exercise_id": self.exercise_id, "performed_on": self.performed_on.isoformat(),
            "prescription": self.prescription.to_dict(), "sets_done": self.sets_done,
            "reps_per_set": list(self.reps_per_set), "hold_s_per_set": list(self.hold_s_per_set),
            "pain_during": self.pain_during, "rpe": self.rpe, "form": self.form, "faults": list(self.faults),
            "serious_fault_fraction": self.serious_fault_fraction, "next_morning_pain": self.next_morning_pain,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> "ExerciseLog":
        try:
            performed = data["performed_on"]
            form = data["form"]
            if form not in FORMS:
                raise ValueError(f"form {form!r}")
            fraction = data.get("serious_fault_fraction")
            morning = data.get("next_morning_pain")
            return cls(
                exercise_id=str(data["exercise_id"]),
                performed_on=performed if isinstance(performed, date) else date.fromisoformat(performed),
                prescription=(data["prescription"] if isinstance(data["prescription"], Prescription)
                              else Prescription.from_dict(data["prescription"])),
                sets_done=int(data["sets_done"]),
                reps_per_set=tuple(int(r) for r in data.get("reps_per_set") or ()),
                hold_s_per_set=tuple(float(h) for h in data.get("hold_s_per_set") or ()),
                pain_during=int(data["pain_during"]),
                rpe=int(data["rpe"]),
                form=form,
                faults=tuple(str(f) for f in data.get("faults") or ()),
                serious_fault_fraction=None if fraction is None else float(fraction),
                next_morning_pain=None if morning is None else int(morning),
            )
        except (KeyError, TypeError, ValueError) as error:
            raise InvalidAnswers(f"An exercise log is incomplete or malformed ({error}).") from None


@dataclass(frozen=True)
class Decision:
    exercise_id: str
    action: Action
    before: Prescription
    after: Prescription
    reasons: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        return {"exercise_id": self.exercise_id, "action": self.action, "before": self.before.to_dict(),
                "after": self.after.to_dict(), "reasons": list(self.reasons)}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> "Decision":
        return cls(exercise_id=str(data["exercise_id"]), action=data["action"],
                   before=Prescription.from_dict(data["before"]), after=Prescription.from_dict(data["after"]),
                   reasons=tuple(data.get("reasons") or ()))


def _t(catalog: Catalog, thresholds: Thresholds | None) -> Thresholds:
    """The thresholds passed in, else the ones the catalog was loaded with; never a code copy."""
    chosen = thresholds or catalog.thresholds
    if chosen is None:
        raise ValueError("No thresholds: pass the ones loaded from catalog/thresholds.yaml.")
    return chosen


def _key(p: Prescription) -> tuple[Any, ...]:
    return (p.exercise_id, p.sets, p.reps, p.hold_s, p.band)


def _phase_allows(exercise_phase: str, phase: str | None) -> bool:
    return phase is None or PHASES.index(exercise_phase) <= PHASES.index(phase)


def progress_prescription(prescription: Prescription, catalog: Catalog, phase: str | None = None,
                          thresholds: Thresholds | None = None) -> tuple[Prescription | None, str]:
    """One notch up: reps, then sets, then hold time, then band, then the next exercise.

    Returns ``(None, why)`` when there is nowhere to go (top of the ladder, or the next
    exercise belongs to a later phase).
    """
    t = _t(catalog, thresholds).progression
    phase = phase if phase is not None else prescription.phase
    exercise = catalog.get(prescription.exercise_id)
    dose = dose_range_for(exercise, phase, _t(catalog, thresholds))
    p = prescription
    if dose.unit == "reps" and p.reps is not None and p.reps < dose.reps_max:
        reps = min(max(p.reps + t.reps_step, dose.reps_min), dose.reps_max)
        return replace(p, reps=reps, phase=phase), f"More repetitions: {p.reps} → {reps}."
    if p.sets < dose.sets_max:
        sets = min(p.sets + t.sets_step, dose.sets_max)
        return replace(p, sets=sets, phase=phase), f"One more set: {p.sets} → {sets}."
    step = t.squeeze_step_s if dose.unit == "reps" else t.timed_hold_step_s
    if p.hold_s < dose.hold_s_max:
        hold_s = min(p.hold_s + step, dose.hold_s_max)
        what = "squeeze at the top" if dose.unit == "reps" else "hold"
        return replace(p, hold_s=hold_s, phase=phase), f"Longer {what}: {p.hold_s} s → {hold_s} s."
    if exercise.banded:
        current = BANDS.index(p.band) if p.band in BANDS else 0
        if current + 1 < len(BANDS):
            band = BANDS[current + 1]
            base = starting_prescription(exercise, phase, _t(catalog, thresholds))
            return (replace(base, band=band),
                    f"Stronger band: {BANDS[current]} → {band}, starting again at the bottom of the range.")
    following = catalog.next_on_ladder(exercise.id)
    if following is None:
        return None, (f"{exercise.name} at its top dose is the top of the {exercise.ladder.replace('_', ' ')} "
                      "ladder: keep it up at this dose.")
    if not _phase_allows(following.phase, phase):
        return None, (f"{exercise.name} is at its top dose for the {phase} phase; {following.name} comes in the "
                      f"{following.phase} phase.")
    return (starting_prescription(following, phase, _t(catalog, thresholds)),
            f"Next exercise on the ladder: {exercise.name} → {following.name}, at the bottom of its range.")


def regress_prescription(prescription: Prescription, catalog: Catalog, phase: str | None = None,
                         thresholds: Thresholds | None = None, today: date | None = None) -> Prescription:
    """One notch down, in the reverse order: hold time, sets, reps, band, previous exercise.

    At the very bottom of the first exercise: with ``today``, the exercise rests (``rest_until``);
    without it (a clinician's manual step back) the prescription is returned unchanged.
    """
    return _regress(prescription, catalog, phase, thresholds, today)[0]


regress = regress_prescription


def _regress(prescription: Prescription, catalog: Catalog, phase: str | None,
             thresholds: Thresholds | None, today: date | None = None) -> tuple[Prescription, str]:
    t = _t(catalog, thresholds).progression
    phase = phase if phase is not None else prescription.phase
    exercise = catalog.get(prescription.exercise_id)
    dose = dose_range_for(exercise, phase, _t(catalog, thresholds))
    p = prescription
    step = t.squeeze_step_s if dose.unit == "reps" else t.timed_hold_step_s
    if p.hold_s > dose.hold_s_min:
        hold_s = max(min(p.hold_s - step, dose.hold_s_max), dose.hold_s_min)
        what = "squeeze at the top" if dose.unit == "reps" else "hold"
        return replace(p, hold_s=hold_s, phase=phase), f"Shorter {what}: {p.hold_s} s → {hold_s} s."
    if p.sets > dose.sets_min:
        sets = max(min(p.sets - t.sets_step, dose.sets_max), dose.sets_min)
        return replace(p, sets=sets, phase=phase), f"One set fewer: {p.sets} → {sets}."
    if dose.unit == "reps" and p.reps is not None and p.reps > dose.reps_min:
        reps = max(min(p.reps - t.reps_step, dose.reps_max), dose.reps_min)
        return replace(p, reps=reps, phase=phase), f"Fewer repetitions: {p.reps} → {reps}."
    if exercise.banded and p.band in BANDS and BANDS.index(p.band) > 0:
        band = BANDS[BANDS.index(p.band) - 1]
        return replace(p, band=band, phase=phase), f"Lighter band: {p.band} → {band}."
    previous = catalog.previous_on_ladder(exercise.id)
    if previous is None:
        if today is None:
            return p, (f"{exercise.name} at this dose is already the gentlest step: rest from it until the pain "
                       "settles, and see a clinician if it does not.")
        days = t.rest_days_at_bottom
        rest_until = today + timedelta(days=days)
        back_on = rest_until + timedelta(days=1)
        return (replace(p, phase=phase, rest_until=rest_until),
                f"{exercise.name} at this dose is already the gentlest step: it rests for {days} day(s) and comes "
                f"back on {back_on.isoformat()} at this dose. See a clinician if the pain does not settle.")
    after = starting_prescription(previous, phase, _t(catalog, thresholds))
    return after, f"Back one step on the ladder: {exercise.name} → {previous.name}, at the bottom of its range."


def hold(prescription: Prescription, reasons: Sequence[str]) -> Decision:
    return Decision(prescription.exercise_id, "hold", prescription, prescription, tuple(reasons))


def _settled(log: ExerciseLog, baseline: float | None, t: Any) -> bool | None:
    if log.next_morning_pain is None:
        return None
    limit = (baseline + t.settled_margin) if baseline is not None else t.progress_pain_during_max
    return log.next_morning_pain <= limit


def _morning_flare(log: ExerciseLog, baseline: float | None, t: Any) -> str | None:
    """The next-morning rule: pain the morning after at least ``delta`` above usual pain."""
    if log.next_morning_pain is None or baseline is None:
        return None
    if log.next_morning_pain >= baseline + t.regress_next_morning_delta:
        return (f"Pain the next morning was {log.next_morning_pain}/10, {t.regress_next_morning_delta:g} or more "
                f"above your usual {baseline:.1f}/10.")
    return None


def next_morning_decision(current: Prescription, session_log: ExerciseLog, baseline_pain: float | None,
                          catalog: Catalog, phase: str | None = None,
                          thresholds: Thresholds | None = None, today: date | None = None) -> Decision | None:
    """The morning after a session, once its next-morning pain is known: step back at once on a flare.

    ``current`` is the prescription now in the program for that exercise (it may already
    have changed after the session); ``session_log`` is the session's log with
    ``next_morning_pain`` filled in. Returns ``None`` when the morning raises nothing.
    """
    flare = _morning_flare(session_log, baseline_pain, _t(catalog, thresholds).progression)
    if flare is None:
        return None
    after, change = _regress(current, catalog, phase, thresholds,
                             today if today is not None else session_log.performed_on + timedelta(days=1))
    return Decision(current.exercise_id, "regress", current, after, (flare, change))


def _has_fault(log: ExerciseLog) -> bool:
    return bool(log.faults) or log.form != "good"


def _qualifies(log: ExerciseLog, baseline: float | None, t: Any, latest: bool) -> bool:
    settled = _settled(log, baseline, t)
    return (log.full_dose and log.rpe <= t.progress_rpe_max and log.pain_during <= t.progress_pain_during_max
            and not _has_fault(log) and (settled is True or (latest and settled is None)))


def _rest_days_between(phase: str | None, thresholds: Thresholds) -> int:
    """Rest days wanted between two counted sessions in this phase (0 without a phase)."""
    return getattr(thresholds.phases, phase).rest_days_between if phase in PHASES else 0


def history_needed(catalog: Catalog, thresholds: Thresholds | None = None) -> int:
    """How many of an exercise's newest logs `progress_decision` looks at: the latest, the one
    before it, and the run of qualifying sessions. Passing only these gives the same decision,
    so a caller need not read a long history. Sessions too close together to count (strength
    work wants rest days between) may sit inside the run, so room is left for one per counted session."""
    th = _t(catalog, thresholds)
    most_rest = max(getattr(th.phases, phase).rest_days_between for phase in PHASES)
    return max(2, th.progression.qualifying_sessions) * (1 + min(most_rest, 1))


def progress_decision(prescription: Prescription, logs: Sequence[ExerciseLog], baseline_pain: float | None,
                      catalog: Catalog, phase: str | None = None,
                      thresholds: Thresholds | None = None, today: date | None = None) -> Decision:
    """Regress, hold or progress this exercise after the latest session, with the reasons.

    ``baseline_pain``: the person's usual pain (what next-morning pain is compared with);
    ``today``: the day the decision is taken (a rest at the gentlest step counts from it;
    default the latest session's day)."""
    th = _t(catalog, thresholds)
    t = th.progression
    phase = phase if phase is not None else prescription.phase
    exercise = catalog.get(prescription.exercise_id)
    logs = [log for log in logs if log.exercise_id == prescription.exercise_id]
    if not logs:
        return hold(prescription, (f"No session of {exercise.name} recorded yet: keep the current dose.",))
    latest = logs[-1]

    # Regress.
    regress_reasons: list[str] = []
    if latest.pain_during > t.regress_pain_during_above:
        regress_reasons.append(f"Pain during the exercise was {latest.pain_during}/10, above "
                               f"{t.regress_pain_during_above}/10.")
    flare = _morning_flare(latest, baseline_pain, t)
    if flare:
        regress_reasons.append(flare)
    serious = [f for f in latest.faults if f in exercise.serious_fault_ids]
    fraction = latest.serious_fault_fraction
    if fraction is None and serious and latest.form == "poor":
        fraction = 1.0
    if fraction is not None and fraction >= t.regress_serious_fault_fraction:
        names = ", ".join((exercise.fault(f).name.lower() if exercise.fault(f) else f)
                          for f in (serious or sorted(exercise.serious_fault_ids))) or "arching the lower back"
        regress_reasons.append(f"A fault that loads the lower back ({names}) showed in {fraction:.0%} of "
                               f"repetitions ({t.regress_serious_fault_fraction:.0%} or more).")
    if latest.dose_fraction < t.regress_dose_fraction_below:
        regress_reasons.append(f"Only {latest.dose_fraction:.0%} of the dose was done (less than "
                               f"{t.regress_dose_fraction_below:.0%}).")
    if regress_reasons:
        after, change = _regress(prescription, catalog, phase, th, today if today is not None else latest.performed_on)
        return Decision(prescription.exercise_id, "regress", prescription, after, tuple(regress_reasons + [change]))

    # Hold.
    hold_reasons: list[str] = []
    if t.hold_pain_during_min <= latest.pain_during <= t.regress_pain_during_above:
        hold_reasons.append(f"Pain during the exercise was {latest.pain_during}/10: acceptable, but too much to "
                            "add more yet.")
    elif latest.pain_during > t.progress_pain_during_max:
        hold_reasons.append(f"Pain during the exercise was {latest.pain_during}/10: more than "
                            f"{t.progress_pain_during_max}/10, so no progression yet.")
    if latest.rpe >= t.hold_rpe_min:
        hold_reasons.append(f"Effort was {latest.rpe}/10: hard work; stay at this dose until it feels easier.")
    elif latest.rpe > t.progress_rpe_max:
        hold_reasons.append(f"Effort was {latest.rpe}/10: stay at this dose until it feels easier.")
    if _has_fault(latest):
        names = [exercise.fault(f).name.lower() if exercise.fault(f) else f for f in latest.faults]
        detail = f" ({', '.join(names)})" if names else ""
        hold_reasons.append(f"Form was not yet right{detail}: form before resistance.")
    if not latest.full_dose:
        hold_reasons.append(f"{latest.dose_fraction:.0%} of the dose was done: finish the full dose first.")
    settled = _settled(latest, baseline_pain, t)
    if settled is False:
        hold_reasons.append(f"Pain the next morning ({latest.next_morning_pain}/10) had not settled.")
    rest_days = _rest_days_between(phase, th)
    qualifying_days: list[date] = []
    too_close = 0
    for index in range(len(logs) - 1, -1, -1):
        log = logs[index]
        if _key(log.prescription) != _key(prescription):
            break
        if not _qualifies(log, baseline_pain, t, latest=index == len(logs) - 1):
            break
        if qualifying_days and (qualifying_days[-1] - log.performed_on).days <= rest_days:
            if log.performed_on != qualifying_days[-1]:
                too_close += 1
            continue  # one session a day counts, and strength sessions count with rest days between
        qualifying_days.append(log.performed_on)
    qualifying = len(qualifying_days)
    if not hold_reasons and qualifying < t.qualifying_sessions:
        previous = logs[-2] if len(logs) >= 2 else None
        if (previous is not None and _key(previous.prescription) == _key(prescription)
                and previous.next_morning_pain is None and qualifying == 1):
            hold_reasons.append("Next-morning pain after the previous session was not recorded: record it so the "
                                "program can move on.")
        if too_close:
            hold_reasons.append(f"Strength sessions count with at least {rest_days} rest day(s) between them: "
                                f"{too_close} session(s) the day after another did not count.")
        hold_reasons.append(f"{qualifying} good session(s) in a row at this dose; {t.qualifying_sessions} are needed "
                            "before adding more.")
    if hold_reasons:
        return hold(prescription, hold_reasons)

    # Progress.
    rested = f", with {rest_days} rest day(s) between," if rest_days else ""
    good = (f"{t.qualifying_sessions} sessions in a row{rested} with the full dose, effort {t.progress_rpe_max}/10 or "
            f"less, pain {t.progress_pain_during_max}/10 or less that settled, and good form.")
    after, change = progress_prescription(prescription, catalog, phase, th)
    if after is None:
        return hold(prescription, (good, change))
    return Decision(prescription.exercise_id, "progress", prescription, after, (good, change))


def worsening_decision(decision: Decision, catalog: Catalog, step_back: bool, phase: str | None = None,
                       thresholds: Thresholds | None = None, today: date | None = None) -> Decision:
    """Adjust a decision while monitoring reports worsening pain (DESIGN.md §5).

    Progression is paused (a progress becomes a hold); when ``step_back`` is true (the
    caller steps back at most once a week) the exercise also goes one notch down. A
    regression already decided by the session stays as it is.
    """
    if decision.action == "regress":
        return decision
    p = decision.before
    if step_back:
        after, change = _regress(p, catalog, phase, thresholds, today)
        if after != p:
            return Decision(p.exercise_id, "regress", p, after, (WORSENING_STEP, change))
        return Decision(p.exercise_id, "hold", p, p, (WORSENING_STEP, change))
    if decision.action == "progress":
        return Decision(p.exercise_id, "hold", p, p, (WORSENING_PAUSE,))
    return decision
