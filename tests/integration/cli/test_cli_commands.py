"""The `backcoach` commands in process (CliRunner), each on its own SQLite file."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from cli_helpers import ASSESSMENT, CLEAR, CLINICIAN_PASSWORD, LEVELS, clinician_account, session_file, write

MON = "2026-03-02T08:00:00+00:00"


def at(day: int, hour: int = 8) -> str:
    return f"2026-03-{2 + day:02d}T{hour:02d}:00:00+00:00"


def one_error_line(result) -> str:
    assert result.exit_code == 2, (result.exit_code, result.stdout, result.stderr)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("error: ")
    assert result.stdout == ""
    return lines[0]


@pytest.mark.parametrize("level", ["clear", "see_clinician", "urgent", "emergency"])
def test_screen_json_for_each_level(cli, tmp_path, level):
    result = cli("screen", "--answers", str(write(tmp_path, "a.json", LEVELS[level])), "--json")
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["level"] == level
    assert data["program_allowed"] is (level in ("clear", "see_clinician"))
    assert data["reasons"] and all(set(r) >= {"item", "level", "message"} for r in data["reasons"])
    if level != "clear":
        assert {r["level"] for r in data["reasons"]} >= {level}


V2_VIGNETTES = [
    # (answers changed from all-clear, level): the issue 8 mis-triages and each new key
    ({"cancer_history": True, "leg_numbness_or_tingling": True, "radiation": "thigh", "legs_affected": "one"},
     "emergency"),
    ({"immunosuppressed_or_injects_drugs": True, "fever_or_chills": True}, "emergency"),
    ({"fever_or_chills": True, "recent_infection_or_spinal_procedure": True}, "emergency"),
    ({"walking_unsteady": True, "legs_affected": "both"}, "emergency"),
    ({"age": 81, "recent_trauma": "minor"}, "urgent"),
    ({"age": 72, "sudden_onset": True}, "urgent"),
    ({"radiation": "thigh", "legs_affected": "one", "leg_weakness": "stable"}, "urgent"),
    ({"walking_unsteady": True}, "urgent"),
    ({"recent_infection_or_spinal_procedure": True}, "urgent"),
    ({"pain_now": 6, "pain_worst_24h": 6, "relieved_by_rest": False, "worse_at_night": True}, "see_clinician"),
    ({"age": 13}, "see_clinician"),
    ({"radiation": "buttock", "legs_affected": "both"}, "see_clinician"),
    ({"thoracic_pain": True}, "see_clinician"),
    ({"morning_stiffness_over_30_min": True}, "see_clinician"),
    ({"sudden_onset": True}, "clear"),
]


@pytest.mark.parametrize(("changes", "level"), V2_VIGNETTES)
def test_screen_json_gives_the_version_2_level_and_rule_version(cli, tmp_path, changes, level):
    result = cli("screen", "--answers", str(write(tmp_path, "v.json", {**CLEAR, **changes})), "--json", "--no-save")
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["level"] == level
    assert data["rule_version"] == 2
    assert set(data) == {"level", "program_allowed", "reasons", "next_step", "rule_version"}


def test_screen_json_with_the_new_keys_missing_is_not_clear_and_names_them(cli, tmp_path):
    old = {k: v for k, v in CLEAR.items() if k not in ("walking_unsteady", "thoracic_pain")}
    data = json.loads(cli("screen", "--answers", str(write(tmp_path, "o.json", old)), "--json", "--no-save").stdout)
    assert data["level"] == "see_clinician"
    assert {r["item"] for r in data["reasons"]} == {"walking_unsteady", "thoracic_pain"}


def test_screen_text_says_what_to_do(cli, tmp_path):
    result = cli("screen", "--answers", str(write(tmp_path, "a.json", LEVELS["urgent"])))
    assert result.exit_code == 0
    assert "URGENT" in result.stdout and "within 24 hours" in result.stdout
    assert "does not replace a clinician" in result.stdout


def test_screen_interactively(cli):
    from backcoach.domain.screening import QUESTIONS

    lines = []
    for q in QUESTIONS:
        value = CLEAR[q.key]
        lines.append("y" if value is True else "n" if value is False else str(value))
    result = cli("screen", "--json", input="\n".join(lines) + "\n")
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout[result.stdout.index("{"):])["level"] == "clear"


def test_screen_interactive_skipping_a_serious_question_is_not_clear(cli):
    from backcoach.domain.screening import QUESTIONS

    lines = []
    for q in QUESTIONS:
        value = CLEAR[q.key]
        if q.key == "saddle_numbness":
            lines.append("")  # skipped
        else:
            lines.append("y" if value is True else "n" if value is False else str(value))
    result = cli("screen", "--json", input="\n".join(lines) + "\n")
    assert json.loads(result.stdout[result.stdout.index("{"):])["level"] != "clear"


@pytest.mark.parametrize(
    "content, fragment",
    [
        ("{not json", "not valid JSON"),
        (json.dumps({**CLEAR, "age": "forty"}), "age: Enter a whole number from 0 to 120."),
        (json.dumps({**CLEAR, "pain_now": 11}), "pain_now: Enter a whole number from 0 to 10."),
        (json.dumps({**CLEAR, "bladder_change": "no"}), "bladder_change: Answer yes or no."),
        (json.dumps({**CLEAR, "radiation": "foot"}), "radiation: Choose one of: none, buttock, thigh, below_knee."),
        (json.dumps({**CLEAR, "favourite_colour": "blue"}), "favourite_colour"),
        (json.dumps([1, 2]), "screening answers"),
    ],
)
def test_bad_answers_are_one_line_and_exit_2(cli, tmp_path, content, fragment):
    line = one_error_line(cli("screen", "--answers", str(write(tmp_path, "a.json", content)), "--json"))
    assert fragment in line


def test_missing_file_typo_and_bad_option_exit_2(cli, tmp_path):
    assert "not found" in one_error_line(cli("screen", "--answers", str(tmp_path / "nope.json")))
    assert "No such command" in one_error_line(cli("scren"))
    assert "No such option" in one_error_line(cli("screen", "--answer", "x"))
    assert "pain" in one_error_line(cli("checkin"))  # missing required --pain
    one_error_line(cli("checkin", "--pain", "lots"))
    assert "There is no exercise" in one_error_line(cli("exercises", "show", "squat"))


def test_assess_json(cli, tmp_path):
    result = cli("assess", "--answers", str(write(tmp_path, "as.json", ASSESSMENT)), "--json")
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert set(data["starting_levels"]) == {"hip_extension", "hip_abduction", "core_stability", "functional"}
    assert data["profile"]["gluteus_maximus"] in ("none", "mild", "moderate", "severe")
    bad = cli("assess", "--answers", str(write(tmp_path, "bad.json", {**ASSESSMENT, "bridge_hold_s": -1})), "--json")
    one_error_line(bad)


def test_exercises_list_and_show(cli):
    listed = cli("exercises")
    assert listed.exit_code == 0 and "glute_bridge" in listed.stdout and "side_plank" in listed.stdout
    as_json = json.loads(cli("exercises", "--json").stdout)
    assert len(as_json) == 19
    standing = cli("exercises", "show", "sit_to_stand")
    assert standing.exit_code == 0 and "No camera check" in standing.stdout and "Sources" in standing.stdout
    shown = cli("exercises", "show", "clamshell")
    assert shown.exit_code == 0
    for part in ("Cues", "Common faults", "Dose", "Harder (progression): banded_clamshell", "Camera view",
                 "If your hip hurts lying on your side"):
        assert part in shown.stdout
    assert json.loads(cli("exercises", "show", "clamshell", "--json").stdout)["id"] == "clamshell"


def test_commands_before_onboarding_explain_what_to_do(cli):
    assert "backcoach start" in one_error_line(cli("today"))
    assert "backcoach start" in one_error_line(cli("status"))


def start(cli, tmp_path: Path, screening: dict = CLEAR, now: str = MON):
    return cli("start", "--screening", str(write(tmp_path, "s.json", screening)),
               "--assessment", str(write(tmp_path, "as.json", ASSESSMENT)), "--json", now=now)


def test_start_today_log_checkin_status(cli, tmp_path):
    started = start(cli, tmp_path)
    assert started.exit_code == 0, started.stderr
    program = json.loads(started.stdout)["program"]
    assert program["phase"] == "activation" and program["prescriptions"]

    today = cli("today", "--json", now=at(0, 9))
    assert today.exit_code == 0, today.stderr
    today_json = json.loads(today.stdout)
    assert [e["exercise_id"] for e in today_json["exercises"]] == [p["exercise_id"] for p in program["prescriptions"]]
    assert today_json["exercises"][0]["exercise"]["cues"]

    logged = cli("log", "--file", str(session_file(tmp_path, today_json, pain_now=2)), "--json", now=at(0, 18))
    assert logged.exit_code == 0, logged.stderr
    decisions = json.loads(logged.stdout)["decisions"]
    assert {d["exercise_id"] for d in decisions} == {e["exercise_id"] for e in today_json["exercises"]}
    assert all(d["action"] in ("progress", "hold", "regress") and d["reasons"] for d in decisions)

    morning = cli("checkin", "--pain", "2", "--next-morning", "--json", now=at(1, 7))
    assert morning.exit_code == 0 and json.loads(morning.stdout)["kind"] == "next_morning"

    second = cli("log", "--file", str(session_file(tmp_path, json.loads(cli("today", "--json", now=at(1, 9)).stdout))),
                 "--json", now=at(1, 18))
    assert "progress" in {d["action"] for d in json.loads(second.stdout)["decisions"]}

    status = cli("status", "--json", now=at(1, 19))
    assert status.exit_code == 0
    data = json.loads(status.stdout)
    assert data["program_allowed"] and data["program"]["phase"] == "activation"
    assert data["decisions"][0]["reasons"] and data["sessions_logged"] == 2
    assert data["monitoring"]["adherence"]
    text = cli("status", now=at(1, 19))
    assert "Latest decisions" in text.stdout and "Pain:" in text.stdout


def test_log_bad_session_file_is_one_line_and_stores_nothing(cli, tmp_path):
    start(cli, tmp_path)
    bad = write(tmp_path, "bad.json", {"exercises": [{"exercise_id": "squat", "sets": 2, "reps": 8, "hold_s": 2,
                                                      "pain_during": 1, "rpe": 5, "form": "good"}]})
    assert "not in your program" in one_error_line(cli("log", "--file", str(bad), now=at(0, 18)))
    assert json.loads(cli("status", "--json", now=at(0, 19)).stdout)["sessions_logged"] == 0


def test_the_same_session_twice_with_a_key_changes_nothing(cli, tmp_path):
    start(cli, tmp_path)
    today_json = json.loads(cli("today", "--json", now=at(0, 9)).stdout)
    path = session_file(tmp_path, today_json, idempotency_key="phone-1")
    first = json.loads(cli("log", "--file", str(path), "--json", now=at(0, 18)).stdout)
    again = json.loads(cli("log", "--file", str(path), "--json", now=at(0, 18)).stdout)
    assert again["duplicate"] and again["session_id"] == first["session_id"]
    assert json.loads(cli("status", "--json", now=at(0, 19)).stdout)["sessions_logged"] == 1


def clear_as(cli, email: str, note: str, now: str, ruled_out: str = "Spinal infection", seen_where: str = "GP surgery"):
    """`backcoach clearance` by the clinician's account (password as an option, so stdout stays clean)."""
    return cli("clearance", "--clinician", email, "--clinician-password", CLINICIAN_PASSWORD, "--note", note,
               "--ruled-out", ruled_out, "--seen-where", seen_where, now=now)


def test_urgent_screen_locks_until_clearance(cli, env, tmp_path):
    start(cli, tmp_path)
    doc = clinician_account(env["DATABASE_URL"])
    cli("screen", "--answers", str(write(tmp_path, "u.json", LEVELS["urgent"])), now=at(1))
    locked = cli("today", "--json", now=at(1, 9))
    assert locked.exit_code == 3
    assert json.loads(locked.stdout)["program_allowed"] is False
    assert cli("log", "--file", str(write(tmp_path, "x.json", {"exercises": []})), now=at(1, 9)).exit_code == 3
    assert json.loads(cli("status", "--json", now=at(1, 9)).stdout)["program_allowed"] is False
    one_error_line(clear_as(cli, doc, " ", at(1, 12)))
    assert "ruled out" in one_error_line(clear_as(cli, doc, "ok", at(1, 12), ruled_out=" ", seen_where="GP"))
    cleared = clear_as(cli, doc, "Examined; no infection.", at(1, 12))
    assert cleared.exit_code == 0 and "may continue" in cleared.stdout
    assert "Clearance by Dr Rivera recorded." in cleared.stdout
    assert cli("today", now=at(1, 13)).exit_code == 0


def test_start_with_an_urgent_screen_stops_before_the_program(cli, tmp_path):
    result = start(cli, tmp_path, LEVELS["urgent"])
    assert result.exit_code == 3
    data = json.loads(result.stdout)
    assert data["program_allowed"] is False and data["screening"]["level"] == "urgent"
    assert json.loads(cli("status", "--json", now=at(0, 9)).stdout)["program"] is None


def test_emergency_cannot_be_cleared_until_a_new_screen_below_emergency(cli, env, tmp_path):
    start(cli, tmp_path)
    doc = clinician_account(env["DATABASE_URL"])
    cli("screen", "--answers", str(write(tmp_path, "e.json", LEVELS["emergency"])), now=at(1))
    assert "emergency care" in one_error_line(clear_as(cli, doc, "seen", at(1, 2)))
    assert cli("today", now=at(1, 3)).exit_code == 3
    rescreen = cli("screen", "--answers", str(write(tmp_path, "c.json", CLEAR)), now=at(2))
    assert "paused until a clinician has checked you" in rescreen.stdout and "You can start" not in rescreen.stdout
    assert "Program allowed: no" in rescreen.stdout
    still = cli("today", "--json", now=at(2, 1))
    reasons = " ".join(json.loads(still.stdout)["reasons"])
    assert still.exit_code == 3 and "paused until a clinician has checked you" in reasons and "emergency" in reasons
    text = cli("today", now=at(2, 1)).stdout
    assert "paused until a clinician has checked you" in text and "You can start" not in text
    status = cli("status", now=at(2, 1)).stdout
    assert "Paused until a clinician has checked you (emergency screen on" in status
    assert clear_as(cli, doc, "MRI normal.", at(2, 2)).exit_code == 0
    assert cli("today", now=at(2, 3)).exit_code == 0


def test_rescreen_due_after_seven_days(cli, tmp_path):
    start(cli, tmp_path)
    assert cli("today", now=at(6)).exit_code == 0
    late = cli("today", "--json", now=at(8))
    assert late.exit_code == 3 and "again" in " ".join(json.loads(late.stdout)["reasons"])
    codes = {a["code"] for a in json.loads(cli("status", "--json", now=at(8)).stdout)["escalations"]}
    assert "rescreen_due" in codes
    cli("screen", "--answers", str(write(tmp_path, "c.json", CLEAR)), now=at(8, 9))
    assert cli("today", now=at(8, 10)).exit_code == 0


def test_new_symptoms_checkin_asks_for_a_new_screen(cli, tmp_path):
    start(cli, tmp_path)
    done = cli("checkin", "--pain", "5", "--new-symptoms", "--note", "foot tingling", now=at(1))
    assert done.exit_code == 0 and "backcoach screen" in done.stdout
    assert cli("today", now=at(1, 1)).exit_code == 3


def test_several_people_need_person(cli, tmp_path):
    start(cli, tmp_path)
    cli("start", "--name", "Ben", "--screening", str(write(tmp_path, "s2.json", CLEAR)),
        "--assessment", str(write(tmp_path, "a2.json", ASSESSMENT)), now=MON)
    assert "--person" in one_error_line(cli("today", now=at(0, 9)))
    assert cli("today", "--person", "Ben", now=at(0, 9)).exit_code == 0
    assert cli("today", "--person", "1", now=at(0, 9)).exit_code == 0
    assert "no person" in one_error_line(cli("today", "--person", "Zed", now=at(0, 9)))


def test_bad_now_is_an_input_error(cli):
    assert "BACKCOACH_NOW" in one_error_line(cli("exercises", now="yesterday"))


def test_unreachable_database_is_one_line(cli, env):
    env["DATABASE_URL"] = "postgresql+psycopg://postgres@127.0.0.1:1/none"
    line = one_error_line(cli("status"))
    assert "cannot reach the database" in line and "DATABASE_URL" in line


def test_db_upgrade(cli, env, tmp_path):
    from backcoach.storage.database import table_names

    env["DATABASE_URL"] = f"sqlite:///{tmp_path / 'empty.sqlite3'}"
    result = cli("db", "upgrade")
    assert result.exit_code == 0 and "revision" in result.stdout
    assert {"people", "screenings"} <= set(table_names(env["DATABASE_URL"]))


def test_simulate_each_example_course(cli, tmp_path):
    from backcoach import catalog

    names = catalog.example_course_names()
    assert set(names) >= {"steady_improvement", "flare_up", "red_flag"}
    for name in names:
        path = write(tmp_path, f"{name}.json", catalog.load_example_course(name))
        result = cli("simulate", "--days", "60", "--profile", str(path), "--json", now=MON)
        assert result.exit_code == 0, result.stderr
        data = json.loads(result.stdout)
        assert len(data["days"]) == 60 and data["days"][0]["date"] == "2026-03-02"
        assert data["summary"]["sessions"] > 0
        if name == "red_flag":
            assert data["summary"]["days_locked"] > 0 and "emergency" in data["summary"]["alerts_raised"]
            assert all(not d["session_done"] for d in data["days"] if d["locked"])
        if name == "steady_improvement":
            assert data["summary"]["decisions"]["progress"] > 0
    text = cli("simulate", "--days", "20", "--profile", "flare_up", now=MON)
    assert text.exit_code == 0 and "day   1 2026-03-02" in text.stdout and "Summary" in text.stdout


def test_simulate_shows_the_ladders_walking_and_questionnaires_over_12_weeks(cli):
    data = json.loads(cli("simulate", "--days", "85", "--profile", "steady_improvement", "--json", now=MON).stdout)
    functional = data["summary"]["ladders"]["functional"]
    assert [s["exercise_id"] for s in functional][:2] == ["sit_to_stand", "split_squat"]
    assert functional[0]["phase"] == "strengthening" and functional[0]["camera_check"] == "none"
    assert list(data["summary"]["walking_goals"].values()) == [10, 15, 20, 25, 30]
    assert len(data["summary"]["questionnaire_days"]) == 7  # baseline, every 2 weeks, 12 weeks
    text = cli("simulate", "--days", "85", "--profile", "steady_improvement", now=MON).stdout
    assert "functional: Sit to stand (day 15, no camera check) → Split squat" in text
    assert "outcome questionnaires due on days 1, 15, 29, 43, 57, 71, 85" in text
    assert "walking goal: 10 min" in text


def test_checkin_logs_walking_and_today_shows_the_goal(cli, tmp_path):
    assert start(cli, tmp_path).exit_code == 0
    done = json.loads(cli("checkin", "--pain", "3", "--walked", "25", "--json", now=at(1, 9)).stdout)
    assert done["walked_minutes"] == 25
    text = cli("checkin", "--pain", "3", "--walked", "12", now=at(2, 9)).stdout
    assert "Walking yesterday: 12 minutes" in text and "Walking goal: 10 minutes a day" in text
    today = json.loads(cli("today", "--json", now=at(2, 10)).stdout)
    assert today["walking"]["minutes"] == 10 and today["walking"]["yesterday"] == 12
    assert "effort" in today and today["rest_days_between"] == 0
    bad = cli("checkin", "--pain", "3", "--walked", "-5", now=at(3, 9))
    assert "whole number from 0 to 1440" in one_error_line(bad)


@pytest.mark.parametrize("ref", ["course_flare_up.json", "course_flare_up", "flare_up.json", "flare_up"])
def test_simulate_takes_an_example_by_its_file_name_or_name(cli, ref):
    result = cli("simulate", "--days", "5", "--profile", ref, "--json", now=MON)
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["name"] == "flare-up with regressions"


def test_the_shipped_example_answer_files_are_accepted(cli):
    from importlib import resources

    from backcoach.domain.screening import ALL_KEYS

    folder = resources.files("backcoach.catalog").joinpath("examples")
    screening = folder.joinpath("screening_answers.json")
    assert set(json.loads(screening.read_text())) == set(ALL_KEYS)  # every question answered
    result = cli("screen", "--answers", str(screening), "--json", "--no-save")
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["level"] == "clear" and json.loads(result.stdout)["rule_version"] == 2
    result = cli("assess", "--answers", str(folder.joinpath("assessment.json")), "--json")
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["starting_levels"]


def test_screen_never_takes_a_bare_example_name(cli, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert "not found" in one_error_line(cli("screen", "--answers", "screening_answers.json", "--json", "--no-save"))


def test_simulate_bad_profiles(cli, tmp_path):
    assert "not found" in one_error_line(cli("simulate", "--profile", str(tmp_path / "none.json")))
    assert "needs 'assessment'" in one_error_line(
        cli("simulate", "--profile", str(write(tmp_path, "c.json", {"screening": CLEAR, "days": []}))))
    one_error_line(cli("simulate", "--days", "0", "--profile", "flare_up"))


def _screen_input(answers: dict) -> list[str]:
    from backcoach.domain.screening import QUESTIONS

    return ["y" if answers[q.key] is True else "n" if answers[q.key] is False else str(answers[q.key])
            for q in QUESTIONS]


def test_start_and_log_interactively(cli):
    from backcoach.cli.prompts import ASSESSMENT_QUESTIONS

    assessment = [str(ASSESSMENT.get(key, "")) if not isinstance(ASSESSMENT.get(key), bool)
                  else ("y" if ASSESSMENT[key] else "n") for key, *_ in ASSESSMENT_QUESTIONS]
    lines = ["Ana"] + _screen_input(CLEAR) + assessment
    started = cli("start", input="\n".join(lines) + "\n", now=MON)
    assert started.exit_code == 0, started.stdout + started.stderr
    assert "Your program" in started.stdout
    today = json.loads(cli("today", "--json", now=at(0, 9)).stdout)
    answers = []
    for item in today["exercises"]:
        p = item["prescription"]
        answers += ["y", str(p["sets"])]
        if p.get("reps") is not None:
            answers += [" ".join([str(p["reps"])] * p["sets"]), str(p["hold_s"])]
        else:
            answers += [" ".join([str(p["hold_s"])] * p["sets"])]
        answers += ["1", "5", "good"]
    answers.append("2")  # pain now
    logged = cli("log", input="\n".join(answers) + "\n", now=at(0, 18))
    assert logged.exit_code == 0, logged.stdout + logged.stderr
    assert "Session saved" in logged.stdout
    status = json.loads(cli("status", "--json", now=at(0, 19)).stdout)
    assert status["sessions_logged"] == 1 and status["person"]["display_name"] == "Ana"


def test_exports(cli, tmp_path):
    start(cli, tmp_path)
    bundle = cli("export", "fhir", now=at(0, 9))
    assert bundle.exit_code == 0 and json.loads(bundle.stdout)["resourceType"] == "Bundle"
    pdf = tmp_path / "r.pdf"
    assert cli("export", "report", "--out", str(pdf), now=at(0, 9)).exit_code == 0
    assert pdf.read_bytes().startswith(b"%PDF")
    from fhir.resources.R4B.bundle import Bundle

    assert Bundle.model_validate_json(bundle.stdout).model_dump(mode="json") == json.loads(bundle.stdout)
    png = tmp_path / "pain.png"
    assert cli("export", "chart", "--out", str(png), now=at(0, 9)).exit_code == 0
    assert png.read_bytes().startswith(b"\x89PNG")
    assert "cannot write" in one_error_line(cli("export", "chart", "--out", str(tmp_path / "no" / "x.png"), now=at(0, 9)))


def test_screen_still_shows_the_result_when_the_database_is_down(cli, env, tmp_path):
    env["DATABASE_URL"] = "postgresql+psycopg://postgres@127.0.0.1:1/none"
    result = cli("screen", "--answers", str(write(tmp_path, "e.json", LEVELS["emergency"])), "--json")
    assert result.exit_code == 2
    assert json.loads(result.stdout)["level"] == "emergency"
    assert "NOT saved" in result.stderr and "cannot reach the database" in result.stderr


@pytest.mark.parametrize("url, fragment", [
    ("nonsense", "not a valid database URL"),
    ("sqlite:////proc/backcoach-nope/x.db", "cannot create the folder"),
    ("mysql://u@h/db", "cannot use"),
])
def test_bad_database_urls_are_one_line(cli, env, url, fragment):
    env["DATABASE_URL"] = url
    assert fragment in one_error_line(cli("status"))


def test_today_shows_a_step_back_and_a_resting_exercise(cli, tmp_path):
    # A step back at the gentlest step rests the exercise; `today` says so, and the week
    # count agrees with "already logged a session today".
    start(cli, tmp_path)
    today_json = json.loads(cli("today", "--json", now=at(0, 9)).stdout)
    logged = cli("log", "--file", str(session_file(tmp_path, today_json, pain=8)), "--json", now=at(0, 18))
    assert logged.exit_code == 0, logged.stderr
    text = cli("today", now=at(1, 9))
    assert text.exit_code == 0, text.stderr
    assert "Resting today:" in text.stdout and "comes back on" in text.stdout
    assert "Changed after your last session:" in text.stdout
    same_day = cli("today", now=at(0, 19))
    assert "(1 of 5 sessions done this week)" in same_day.stdout and "already logged a session today" in same_day.stdout
    rested = json.loads(cli("today", "--json", now=at(1, 9)).stdout)
    assert {r["exercise_id"] for r in rested["resting"]} == {"glute_bridge", "clamshell"}
    assert not {"glute_bridge", "clamshell"} & {e["exercise_id"] for e in rested["exercises"]}
