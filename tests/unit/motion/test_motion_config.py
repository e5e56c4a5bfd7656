"""catalog/motion.yaml: it loads, the checks read their numbers from it, and a broken
file is refused with an error naming the key."""

from __future__ import annotations

import dataclasses
from importlib import resources

import numpy as np
import pytest
import yaml
from motion_synth import Noise, Tempo, bridge_pose, make_frames, rep_timeline

from backcoach.motion import LandmarkSequence
from backcoach.motion import signals as S
from backcoach.motion.checks import EXERCISES, CheckOptions, family_of, get_check
from backcoach.motion.config import (
    MotionConfig,
    MotionConfigError,
    load_motion_config,
    motion_config,
    parse_motion_config,
)
from backcoach.motion.segmentation import HoldSettings, RepetitionCounter, SegmenterSettings

SECTION = {"bridge": "bridge", "clamshell": "clamshell", "leg_raise": "leg_raise", "hold": "hold", "dead_bug": "dead_bug"}


def _section(exercise_id: str) -> str:
    return "marching_bridge" if exercise_id == "marching_bridge" else SECTION[family_of(exercise_id)]


def _raw() -> dict:
    text = resources.files("backcoach.catalog").joinpath("motion.yaml").read_text(encoding="utf-8")
    return yaml.safe_load(text)


def _with(config: MotionConfig, path: str, value) -> MotionConfig:
    """A copy of `config` with the setting at dotted `path` replaced."""
    head, _, rest = path.partition(".")
    if not rest:
        return dataclasses.replace(config, **{head: value})
    return dataclasses.replace(config, **{head: _with(getattr(config, head), rest, value)})


def test_shipped_file_loads_once_into_frozen_settings():
    config = motion_config()
    assert isinstance(config, MotionConfig)
    assert motion_config() is config  # read once
    with pytest.raises(dataclasses.FrozenInstanceError):
        config.cleaning.cutoff_hz = 3.0  # type: ignore[misc]
    assert parse_motion_config(_raw()) == config


def test_defaults_come_from_the_file():
    config = motion_config()
    assert CheckOptions().hold_target_s is None  # a hold is judged only when prescribed
    assert CheckOptions().hold_tolerance == config.options.hold_tolerance
    assert (CheckOptions().lift_s, CheckOptions().lower_s) == (config.tempo.lift_s, config.tempo.lower_s)
    assert HoldSettings().min_hold_s == config.segmentation.hold.min_hold_s
    assert SegmenterSettings(1.0, 2.0).rest_window_s == config.segmentation.repetition_defaults.rest_window_s


@pytest.mark.parametrize("exercise_id", EXERCISES)
def test_every_check_takes_its_numbers_from_the_config(exercise_id):
    config = motion_config()
    section = getattr(config.checks, _section(exercise_id))
    check = get_check(exercise_id, config)
    assert check.thresholds == dataclasses.asdict(section.thresholds)
    if check.segmenter is not None:
        assert dataclasses.asdict(check.segmenter) == dataclasses.asdict(section.segmenter)
        assert check.max_trunk_incline_deg == section.max_trunk_incline_deg
    for key, value in check.thresholds.items():
        changed = get_check(exercise_id, _with(config, f"checks.{_section(exercise_id)}.thresholds.{key}", value + 1.0))
        assert changed.thresholds[key] == value + 1.0
        assert get_check(exercise_id).thresholds[key] == value  # the shipped settings are untouched


def _decisions(exercise_id: str, key: str, value: float, metrics: dict, opts: CheckOptions = CheckOptions()):
    config = motion_config()
    before = get_check(exercise_id, config)
    after = get_check(exercise_id, _with(config, f"checks.{_section(exercise_id)}.thresholds.{key}", value))
    return before.rep_faults(metrics, before, opts), after.rep_faults(metrics, after, opts)


BRIDGE_REP = {"peak_hip_angle_deg": 170.0, "hold_s": 2.0, "duration_s": 4.0, "knee_angle_at_top_deg": 90.0,
              "pelvis_drop_deg": None}


@pytest.mark.parametrize(("exercise_id", "key", "value", "metrics", "fault"), [
    ("glute_bridge", "straight_min_deg", 175.0, BRIDGE_REP, "incomplete_extension"),
    ("marching_bridge", "straight_min_deg", 175.0,
     {**BRIDGE_REP, "support_hip_angle_deg": 170.0, "peak_hip_angle_deg": 172.0}, "incomplete_extension"),
    ("clamshell", "min_opening_deg", 50.0,
     {"opening_gained_deg": 40.0, "feet_gap_ratio": 0.1, "pelvis_roll_deg": 5.0, "lift_s": 2.0, "lower_s": 2.0},
     "small_range"),
    ("side_lying_leg_raise", "max_abduction_deg", 30.0,
     {"abduction_deg": 40.0, "trunk_bend_deg": 2.0, "trunk_roll_deg": 2.0, "foot_path_forward_deg": 2.0,
      "toe_rise_ratio": 0.0, "duration_s": 2.0}, "excess_range"),
    ("side_plank", "fault_fraction", 0.1, {"hold_s": 20.0, "sag_share": 0.2}, "hip_sag"),
    ("bird_dog", "bird_dog_hip_drop_deg", 5.0,
     {"hold_s": 3.0, "lift_share_high": 0.0, "trunk_drop_deg": 8.0}, "hip_sag"),
])
def test_changing_a_number_in_the_config_changes_the_decision(exercise_id, key, value, metrics, fault):
    before, after = _decisions(exercise_id, key, value, metrics)
    assert fault not in before
    assert fault in after


def test_segmenter_settings_from_the_config_change_the_count():
    t, u, _ = rep_timeline(3, Tempo(), 30.0)
    seq = S.clean(LandmarkSequence.from_frames(make_frames(bridge_pose, u, t, Noise(sigma_px=0))))
    config = motion_config()

    def count(cfg: MotionConfig) -> int:
        check = get_check("glute_bridge", cfg)
        counter = RepetitionCounter(check.segmenter)
        reps = [counter.update(float(ti), float(x)) for ti, x in zip(seq.t, check.signals(seq)["hip_angle"])]
        return sum(r is not None for r in reps) + (counter.finish() is not None)

    assert count(config) == 3
    assert count(_with(config, "checks.bridge.segmenter.min_amplitude", 90.0)) == 0


def test_a_config_passed_to_the_entry_points_changes_what_they_do():
    """No number is frozen at import: a different `MotionConfig` given to the recorded path
    and to the live stream changes the count, the tempo judged and the cleaning, without
    reloading a module, and the shipped settings are untouched."""
    from backcoach.motion import StreamingAnalyzer, analyze_landmarks

    t, u, _ = rep_timeline(3, Tempo(), 30.0)
    frames = make_frames(bridge_pose, u, t, Noise(sigma_px=0))
    config = motion_config()
    deaf = _with(config, "checks.bridge.segmenter.min_amplitude", 90.0)  # no bridge is that high

    def streamed(cfg: MotionConfig | None) -> int:
        stream = StreamingAnalyzer("glute_bridge", config=cfg)
        for f in frames:
            stream.push(f)
        return len(stream.finish())

    assert analyze_landmarks(frames, "glute_bridge").reps == 3
    assert analyze_landmarks(frames, "glute_bridge", config=deaf).reps == 0
    assert streamed(None) == 3
    assert streamed(deaf) == 0
    # the tempo cue in the config becomes the options' default: 10 s to lift makes every lift rushed
    slow_cue = _with(config, "tempo.lift_s", 10.0)
    assert "rushed" not in analyze_landmarks(frames, "glute_bridge").fault_counts
    assert analyze_landmarks(frames, "glute_bridge", config=slow_cue).fault_counts.get("rushed") == 3
    assert analyze_landmarks(frames, "glute_bridge").reps == 3  # and the shipped settings still count


def test_signal_numbers_from_the_config_are_used():
    """make_signals reads the config too: a knee limit below the bridge's knee angle blanks the counted signal."""
    t, u, _ = rep_timeline(1, Tempo(), 30.0)
    seq = S.clean(LandmarkSequence.from_frames(make_frames(bridge_pose, u, t, Noise(sigma_px=0))))
    config = motion_config()
    assert np.isfinite(get_check("glute_bridge", config).signals(seq)["hip_angle"]).any()
    strict = _with(config, "checks.bridge.thresholds.bridge_max_knee_deg", 30.0)
    assert not np.isfinite(get_check("glute_bridge", strict).signals(seq)["hip_angle"]).any()


# ---------------------------------------------------------------- broken files


def _write(tmp_path, data) -> str:
    path = tmp_path / "motion.yaml"
    path.write_text(data if isinstance(data, str) else yaml.safe_dump(data), encoding="utf-8")
    return str(path)


def test_a_copy_of_the_file_loads_from_a_path(tmp_path):
    assert load_motion_config(_write(tmp_path, _raw())) == motion_config()


def test_missing_key_is_named(tmp_path):
    data = _raw()
    del data["checks"]["bridge"]["thresholds"]["arch_deg"]
    with pytest.raises(MotionConfigError, match=r"missing key 'checks\.bridge\.thresholds\.arch_deg'"):
        load_motion_config(_write(tmp_path, data))


def test_missing_section_is_named(tmp_path):
    data = _raw()
    del data["cleaning"]
    with pytest.raises(MotionConfigError, match=r"missing key 'cleaning'"):
        load_motion_config(_write(tmp_path, data))


@pytest.mark.parametrize("bad", ["steep", True, None, [1, 2]])
def test_wrong_type_is_named(tmp_path, bad):
    data = _raw()
    data["checks"]["clamshell"]["thresholds"]["min_opening_deg"] = bad
    with pytest.raises(MotionConfigError, match=r"'checks\.clamshell\.thresholds\.min_opening_deg' must be a number"):
        load_motion_config(_write(tmp_path, data))


def test_whole_number_settings_refuse_fractions(tmp_path):
    data = _raw()
    data["sampling"]["max_side"] = 640.5
    with pytest.raises(MotionConfigError, match=r"'sampling\.max_side' must be a whole number"):
        load_motion_config(_write(tmp_path, data))


def test_unknown_key_is_named(tmp_path):
    data = _raw()
    data["view"]["side_view_max_ratoi"] = 0.4
    with pytest.raises(MotionConfigError, match=r"unknown key 'view\.side_view_max_ratoi'"):
        load_motion_config(_write(tmp_path, data))


def test_section_that_is_not_a_mapping_is_named(tmp_path):
    data = _raw()
    data["checks"]["leg_raise"]["segmenter"] = 12
    with pytest.raises(MotionConfigError, match=r"'checks\.leg_raise\.segmenter' must be a mapping"):
        load_motion_config(_write(tmp_path, data))


def test_invalid_yaml_and_empty_file_are_refused(tmp_path):
    with pytest.raises(MotionConfigError, match="not valid YAML"):
        load_motion_config(_write(tmp_path, "sampling: [unclosed\n"))
    with pytest.raises(MotionConfigError, match="the top level"):
        load_motion_config(_write(tmp_path, ""))


def test_a_broken_shipped_file_fails_on_load(monkeypatch):
    """The cached loader reads the packaged file; a broken one gives the clear error, not a default."""
    from backcoach.motion import config as config_module

    class Broken:
        def joinpath(self, name):
            return self

        def read_text(self, encoding="utf-8"):
            return "cleaning: {}\n"

    monkeypatch.setattr(config_module.resources, "files", lambda package: Broken())
    config_module.motion_config.cache_clear()
    try:
        with pytest.raises(MotionConfigError, match=r"motion\.yaml: missing key 'sampling'"):
            config_module.motion_config()
    finally:
        monkeypatch.undo()
        config_module.motion_config.cache_clear()
    assert config_module.motion_config() == parse_motion_config(_raw())
