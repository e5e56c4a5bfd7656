"""One check per catalog exercise with a camera analysis; ids are the catalog's."""

from __future__ import annotations

from ..config import MotionConfig
from ..errors import UnknownExerciseError
from . import bridge, clamshell, dead_bug, holds, leg_raise, marching
from .base import CheckOptions, ExerciseCheck, Finding, options_from_dose

FAMILIES = {
    "bridge": ("glute_bridge", "banded_glute_bridge", "marching_bridge", "single_leg_glute_bridge"),
    "clamshell": ("clamshell", "banded_clamshell"),
    "leg_raise": ("side_lying_leg_raise", "banded_side_lying_leg_raise"),
    "hold": ("side_plank_knees", "side_plank", "bird_dog"),
    "dead_bug": ("dead_bug",),
}
_MAKERS = {"bridge": bridge.make, "clamshell": clamshell.make, "leg_raise": leg_raise.make, "hold": holds.make,
           "dead_bug": dead_bug.make}
EXERCISES: tuple[str, ...] = tuple(e for ids in FAMILIES.values() for e in ids)


def family_of(exercise_id: str) -> str:
    for fam, ids in FAMILIES.items():
        if exercise_id in ids:
            return fam
    raise UnknownExerciseError(
        f"There is no camera check for '{exercise_id}'. Choose one of: {', '.join(EXERCISES)}, or 'auto'."
    )


def get_check(exercise_id: str, config: MotionConfig | None = None) -> ExerciseCheck:
    """The check for a catalog exercise, with its numbers from `config` (default: the
    shipped ``catalog/motion.yaml``)."""
    if exercise_id == "marching_bridge":
        return marching.make(exercise_id, config)
    return _MAKERS[family_of(exercise_id)](exercise_id, config)


__all__ = ["CheckOptions", "Finding", "options_from_dose", "EXERCISES", "ExerciseCheck", "FAMILIES", "family_of", "get_check"]
