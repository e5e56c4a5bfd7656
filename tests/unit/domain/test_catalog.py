"""The catalog data file and its validation; the thresholds file."""

from __future__ import annotations

import copy
import json
import math
from importlib import resources

import pytest
import yaml

from backcoach.catalog import load_catalog, load_thresholds
from backcoach.domain.catalog import BANDS, FAULT_IDS, JOINTS, LADDERS, Catalog
from backcoach.domain.errors import InvalidCatalog, UnknownExercise
from backcoach.domain.thresholds import Thresholds


@pytest.fixture(scope="module")
def raw() -> dict:
    return yaml.safe_load(resources.files("backcoach.catalog").joinpath("exercises.yaml").read_text())


def test_the_shipped_catalog_loads_with_all_nineteen_exercises() -> None:
    catalog = load_catalog()
    assert set(catalog.exercises) == {i for ladder in LADDERS.values() for i in ladder}
    assert len(catalog.exercises) == 19
    assert dict(catalog.ladders) == dict(LADDERS)
    assert catalog.bands == BANDS
    assert catalog.thresholds == load_thresholds()
    assert load_catalog() is catalog  # cached


EXPECTED_FAULTS = {
    "glute_bridge": {"incomplete_extension", "lumbar_hyperextension", "no_hold", "rushed", "feet_position"},
    "banded_glute_bridge": {"incomplete_extension", "lumbar_hyperextension", "no_hold", "rushed", "feet_position"},
    "marching_bridge": {"incomplete_extension", "lumbar_hyperextension", "no_hold", "rushed", "feet_position",
                        "pelvis_drop"},
    "single_leg_glute_bridge": {"incomplete_extension", "lumbar_hyperextension", "no_hold", "rushed",
                                "feet_position", "pelvis_drop"},
    "clamshell": {"feet_apart", "pelvis_roll_back", "small_range", "rushed"},
    "banded_clamshell": {"feet_apart", "pelvis_roll_back", "small_range", "rushed"},
    "side_lying_leg_raise": {"hip_flexion", "toes_up", "trunk_roll", "excess_range", "rushed"},
    "banded_side_lying_leg_raise": {"hip_flexion", "toes_up", "trunk_roll", "excess_range", "rushed"},
}


@pytest.mark.parametrize("exercise_id", sorted(EXPECTED_FAULTS))
def test_fault_ids_are_the_ones_the_motion_checks_use(exercise_id: str) -> None:
    assert set(load_catalog().get(exercise_id).fault_ids) == EXPECTED_FAULTS[exercise_id]


@pytest.mark.parametrize("exercise_id", ["dead_bug", "bird_dog", "side_plank_knees", "side_plank"])
def test_core_holds_watch_the_lower_back(exercise_id: str) -> None:
    faults = set(load_catalog().get(exercise_id).fault_ids)
    assert "lumbar_hyperextension" in faults
    assert faults <= {"hip_sag", "lumbar_hyperextension", "no_hold", "rushed"}
    if exercise_id.startswith("side_plank"):
        assert {"hip_sag", "no_hold"} <= faults


def test_catalog_objects_are_hashable() -> None:
    catalog = load_catalog()
    assert len(set(catalog.exercises.values())) == 19
    assert hash(catalog) == hash(load_catalog())


def test_every_exercise_is_complete_and_consistent() -> None:
    catalog = load_catalog()
    for exercise in catalog.exercises.values():
        assert exercise.name and exercise.summary and exercise.position and exercise.cues and exercise.targets
        assert exercise.instructions
        assert bool(exercise.camera_views) == exercise.camera_checked
        assert exercise.sources
        assert 2 <= len(exercise.keyframes) <= 4
        for fault in exercise.faults:
            assert fault.id in FAULT_IDS
            assert fault.name and fault.why_it_matters and fault.fix
            assert fault.serious == (fault.id == "lumbar_hyperextension")
        assert exercise.banded == ("resistance_band" in exercise.equipment)
        dose = exercise.dose
        assert dose.sets_min <= dose.sets_max and dose.hold_s_min <= dose.hold_s_max
        if dose.unit == "reps":
            assert dose.reps_min is not None and dose.reps_min <= dose.reps_max
        else:
            assert dose.reps_min is None and dose.reps_max is None
    assert {e.id for e in catalog.by_phase("activation")} == {"glute_bridge", "clamshell", "supine_banded_abduction"}
    assert catalog.get("side_plank").dose.unit == "hold"
    assert catalog.get("banded_clamshell").banded


def test_ladder_navigation() -> None:
    catalog = load_catalog()
    for ladder in LADDERS.values():
        for lower, higher in zip(ladder, ladder[1:]):
            assert catalog.next_on_ladder(lower).id == higher
            assert catalog.previous_on_ladder(higher).id == lower
        assert catalog.previous_on_ladder(ladder[0]) is None
        assert catalog.next_on_ladder(ladder[-1]) is None


def test_unknown_exercise_names_the_valid_ids() -> None:
    with pytest.raises(UnknownExercise) as info:
        load_catalog().get("squat")
    assert "squat" in str(info.value) and "glute_bridge" in str(info.value)


def test_to_dict_is_json_and_round_trips_the_ids() -> None:
    data = json.loads(json.dumps(load_catalog().to_dict()))
    assert [e["id"] for e in data["exercises"]] == list(load_catalog().exercises)
    assert data["exercises"][0]["faults"][0]["why_it_matters"]


def _limb_lengths(joints: dict) -> dict[str, float]:
    pairs = [("shoulder", "hip"), ("hip", "knee"), ("knee", "ankle"), ("shoulder", "elbow"), ("elbow", "wrist")]
    return {f"{a}-{b}": math.dist(joints[a], joints[b]) for a, b in pairs}


def test_side_view_illustrations_keep_their_limb_lengths() -> None:
    for exercise in load_catalog().exercises.values():
        if exercise.illustration_view != "side":
            continue
        lengths = [_limb_lengths(dict(k.joints)) for k in exercise.keyframes]
        for segment in lengths[0]:
            values = [entry[segment] for entry in lengths]
            assert max(values) - min(values) < 0.02, (exercise.id, segment, values)


def test_illustrations_move() -> None:
    for exercise in load_catalog().exercises.values():
        frames = [dict(k.joints) for k in exercise.keyframes]
        assert any(frames[0] != other for other in frames[1:]), exercise.id
        for frame in frames:
            assert set(JOINTS) <= set(frame)


# ---- validation refuses broken data --------------------------------------------------------


def _broken(raw: dict, change) -> dict:
    data = copy.deepcopy(raw)
    change(data)
    return data


def _ex(data: dict, exercise_id: str) -> dict:
    return next(e for e in data["exercises"] if e["id"] == exercise_id)


BREAKAGES = {
    "duplicate id": lambda d: d["exercises"].append(copy.deepcopy(d["exercises"][0])),
    "missing exercise": lambda d: d["exercises"].pop(),
    "ladder changed": lambda d: d["ladders"]["hip_extension"].reverse(),
    "skipped step": lambda d: _ex(d, "glute_bridge").update(progression="marching_bridge"),
    "wrong regression": lambda d: _ex(d, "side_plank").update(regression="dead_bug"),
    "wrong step": lambda d: _ex(d, "bird_dog").update(step=2),
    "unknown fault": lambda d: _ex(d, "clamshell")["faults"].append(
        {"id": "knee_valgus", "name": "x", "why": "x", "fix": "x", "serious": False}),
    "arching not serious": lambda d: [f.update(serious=False) for f in _ex(d, "glute_bridge")["faults"]
                                      if f["id"] == "lumbar_hyperextension"],
    "one keyframe": lambda d: _ex(d, "clamshell").update(keyframes=_ex(d, "clamshell")["keyframes"][:1]),
    "joint outside the box": lambda d: _ex(d, "dead_bug")["keyframes"][0]["joints"].update(head=[1.2, 0.5]),
    "joint missing": lambda d: _ex(d, "dead_bug")["keyframes"][0]["joints"].pop("toe"),
    "keyframes with different joints": lambda d: _ex(d, "glute_bridge")["keyframes"][0]["joints"].update(
        knee_far=[0.5, 0.5]),
    "band without banded": lambda d: _ex(d, "glute_bridge")["equipment"].append("resistance_band"),
    "bad dose": lambda d: _ex(d, "glute_bridge")["dose"].update(reps=[12, 8]),
    "reps on a hold": lambda d: _ex(d, "side_plank")["dose"].update(reps=[8, 12]),
    "unknown field": lambda d: _ex(d, "side_plank").update(colour="red"),
    "bad phase": lambda d: _ex(d, "side_plank").update(phase="warmup"),
    "bad camera view": lambda d: _ex(d, "side_plank").update(camera_views=["ceiling"]),
}


@pytest.mark.parametrize("name", sorted(BREAKAGES))
def test_validation_refuses(raw: dict, name: str) -> None:
    Catalog.from_dict(raw)  # the original is fine
    with pytest.raises(InvalidCatalog):
        Catalog.from_dict(_broken(raw, BREAKAGES[name]))


# ---- thresholds ------------------------------------------------------------------------------


def test_no_second_copy_of_the_thresholds_in_code() -> None:
    # The numbers live only in thresholds.yaml: there is no built-in copy, and a file
    # missing a setting (in any section, screening included) is refused.
    import backcoach.domain.thresholds as module

    assert not hasattr(module, "DEFAULT_THRESHOLDS")
    with pytest.raises(TypeError):
        Thresholds()  # type: ignore[call-arg]
    shipped = load_thresholds().to_dict()
    for section in ("screening", "assessment", "progression", "monitoring", "phases", "walking"):
        for key in shipped[section]:
            partial = {**shipped, section: {k: v for k, v in shipped[section].items() if k != key}}
            with pytest.raises(InvalidCatalog, match=key):
                Thresholds.from_dict(partial)


def test_every_threshold_has_a_source_comment() -> None:
    text = resources.files("backcoach.catalog").joinpath("thresholds.yaml").read_text()
    lines = text.splitlines()
    for i, line in enumerate(lines):
        stripped = line.strip()
        if not stripped or stripped.startswith("#") or stripped.endswith(":") or line.startswith("  " * 2):
            continue
        if not line.startswith("  ") or ":" not in stripped:
            continue
        # a setting line: a comment must appear within the block above it
        above = [l_.strip() for l_ in lines[max(0, i - 12):i]]
        assert any(a.startswith("#") for a in above), stripped


@pytest.mark.parametrize(
    "data",
    [
        {"progression": {"regress_pain_during_above": "five"}},
        {"progression": {"unknown": 1}},
        {"nonsense": {}},
        {"assessment": {"bridge_hold_s": {"cap": 60}}},
        {"monitoring": {"baseline_entries": 2.5}},
        {"screening": {"severe_pain_nprs": True}},
    ],
)
def test_thresholds_refuse_bad_values(data: dict) -> None:
    shipped = load_thresholds().to_dict()
    merged = {**shipped, **{k: ({**shipped[k], **v} if k in shipped else v) for k, v in data.items()}}
    if "assessment" in data:
        merged["assessment"]["bridge_hold_s"] = data["assessment"]["bridge_hold_s"]  # a cut-off left out
    with pytest.raises(InvalidCatalog):
        Thresholds.from_dict(merged)


def test_thresholds_round_trip_and_take_a_changed_value() -> None:
    shipped = load_thresholds().to_dict()
    t = Thresholds.from_dict({**shipped, "progression": {**shipped["progression"], "regress_pain_during_above": 4}})
    assert t.progression.regress_pain_during_above == 4
    assert t.monitoring == load_thresholds().monitoring
    assert Thresholds.from_dict(t.to_dict()) == t
