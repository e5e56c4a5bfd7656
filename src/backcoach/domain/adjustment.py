"""Checks on a clinician's change to a program, before it is saved (DESIGN.md §4).

Why: a clinician may have good reasons to step outside the program's rules, but should
never do it by accident. A change that leaves a muscle group the program is built to
train without any exercise, that jumps ahead of the person's place on a ladder or of the
program's phase, that puts a dose above the exercise's range, or that trains the same
ladder twice, is saved only once the clinician has seen the warning and confirmed it
with a note (kept with the change).

Pure: takes the program's prescriptions, the change, the catalog and the phase.
"""

from __future__ import annotations

from typing import Any, Sequence

from .catalog import PHASES, Catalog
from .program import Prescription, dose_range_for
from .progression import _phase_allows
from .thresholds import Thresholds

__all__ = ["TRAINED_GROUPS", "adjustment_warnings"]

# The muscle groups the program is built to train (DESIGN.md §1): every program keeps at
# least one exercise for each of those it had.
TRAINED_GROUPS: dict[str, str] = {
    "gluteus_maximus": "gluteus maximus (hip extension)",
    "gluteus_medius": "gluteus medius (keeping the pelvis level)",
    "gluteus_minimus": "gluteus minimus",
    "core": "the trunk (core stability)",
}


def _groups(prescriptions: Sequence[Prescription], catalog: Catalog) -> set[str]:
    out: set[str] = set()
    for p in prescriptions:
        out.update(t for t in catalog.get(p.exercise_id).targets if t in TRAINED_GROUPS)
    return out


def adjustment_warnings(
    prescriptions: Sequence[Prescription],
    current: Prescription,
    after: Prescription,
    catalog: Catalog,
    phase: str,
    thresholds: Thresholds,
) -> tuple[str, ...]:
    """Plain-language warnings for replacing `current` by `after` in a program in `phase`
    (empty: nothing outside the program's rules). `thresholds`: the phase dose caps."""
    warnings: list[str] = []
    new = catalog.get(after.exercise_id)
    old = catalog.get(current.exercise_id)
    others = [p for p in prescriptions if p.exercise_id != current.exercise_id]
    changed = after.exercise_id != current.exercise_id

    if changed:
        lost = _groups(list(prescriptions), catalog) - _groups(others + [after], catalog)
        for group in sorted(lost):
            warnings.append(f"{new.name} replaces the only exercise for {TRAINED_GROUPS[group]} ({old.name}): "
                            "the program would no longer train it.")

        def on_ladder(ps: Sequence[Prescription]) -> list[Any]:
            return [catalog.get(p.exercise_id) for p in ps if catalog.get(p.exercise_id).ladder == new.ladder]

        twins = on_ladder(others)
        if twins and len(on_ladder(others + [after])) > len(on_ladder(list(prescriptions))):
            warnings.append(f"{new.name} adds a second exercise on the {new.ladder.replace('_', ' ')} ladder (with "
                            f"{', '.join(t.name for t in twins)}) in place of {old.name}: the program would train the "
                            "same movement twice and drop another.")

        ladder = catalog.ladders[new.ladder]
        placed = [catalog.get(p.exercise_id) for p in prescriptions if catalog.get(p.exercise_id).ladder == new.ladder]
        reference = max((ladder.index(e.id) for e in placed), default=0)
        step = ladder.index(new.id)
        if step > reference + 1 or (not placed and step > 0):
            where = (f"the person's place on that ladder is {catalog.get(ladder[reference]).name}" if placed
                     else "that ladder is not in the program yet, so it would start at its first step")
            warnings.append(f"{new.name} is {step - reference} step(s) up its ladder; {where}. "
                            "The ladder moves one step at a time.")

    if new.phase in PHASES and phase in PHASES and not _phase_allows(new.phase, phase):
        warnings.append(f"{new.name} belongs to the {new.phase} phase; the program is in the {phase} phase "
                        "(the ladder moves on to it only in that phase).")

    dose = dose_range_for(new, phase, thresholds)
    too_much = []
    if after.sets > dose.sets_max:
        too_much.append(f"{after.sets} sets (up to {dose.sets_max})")
    if after.reps is not None and dose.reps_max is not None and after.reps > dose.reps_max:
        too_much.append(f"{after.reps} repetitions (up to {dose.reps_max})")
    if after.hold_s > dose.hold_s_max:
        too_much.append(f"{after.hold_s} s hold (up to {dose.hold_s_max} s)")
    if new.banded and after.band and current.band and after.exercise_id == current.exercise_id:
        bands = list(catalog.bands)
        if after.band in bands and current.band in bands and bands.index(after.band) > bands.index(current.band) + 1:
            too_much.append(f"a {after.band} band straight after a {current.band} band")
    if too_much:
        warnings.append(f"The dose is above what {new.name} allows in the {phase} phase: " + ", ".join(too_much) + ".")
    return tuple(warnings)


def describe_warnings(warnings: Sequence[Any]) -> str:
    """One message for the clinician: what the change would do, and how to go ahead anyway."""
    return ("This change goes beyond the program's rules: " + " ".join(str(w) for w in warnings)
            + " To save it anyway, confirm it and say why in the note.")
