"""One cue per repetition, and a set's analysis turned into the session log's fields."""

from backcoach.services import coaching


def test_the_motion_analysis_cue_is_used_and_praise_when_nothing_is_wrong():
    rep = {"faults": ["rushed", "lumbar_hyperextension"], "cue": "Stop rising once your body is straight."}
    out = coaching.cue_for_repetition(rep, "glute_bridge", 2.0)
    assert out["cue"] == rep["cue"] and out["fault"] == "lumbar_hyperextension" and out["good"] is False
    assert coaching.cue_for_repetition({"faults": []}, "glute_bridge")["good"] is True
    # without the analysis's own cue, the back comes before tempo
    plain = coaching.cue_for_repetition({"faults": ["rushed", "lumbar_hyperextension"]}, "glute_bridge", 2.0)
    assert plain["fault"] == "lumbar_hyperextension" and "ribs" in plain["cue"]


def test_log_fields_keep_only_the_catalog_faults_and_the_serious_share():
    result = {"reps": 4, "repetitions": [{"faults": ["lumbar_hyperextension", "rushed"]}, {"faults": []},
                                         {"faults": ["feet_position"]}, {"faults": []}]}
    out = coaching.log_fields(result, known_faults=["lumbar_hyperextension", "feet_position"],
                              serious_faults=["lumbar_hyperextension"])
    assert out == {"reps": 4, "faults": ["lumbar_hyperextension", "feet_position"], "form": "some_faults",
                   "serious_fault_fraction": 0.25}
    clean = coaching.log_fields({"reps": 2, "repetitions": [{"faults": []}, {"faults": []}]}, [], [])
    assert clean["form"] == "good" and clean["serious_fault_fraction"] is None
    assert coaching.log_fields({"reps": 0, "repetitions": []}, [], [])["form"] == ""
