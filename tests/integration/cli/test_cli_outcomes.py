"""`backcoach outcomes`: what is due, answering from a file or at the prompt, bad answers refused."""

from __future__ import annotations

import json

from cli_helpers import ASSESSMENT, CLEAR, write

MON = "2026-03-02T08:00:00+00:00"
TWO_WEEKS = "2026-03-16T08:00:00+00:00"


def onboard(cli, tmp_path) -> None:
    result = cli("start", "--screening", str(write(tmp_path, "s.json", CLEAR)),
                 "--assessment", str(write(tmp_path, "a.json", ASSESSMENT)), "--name", "Ana", now=MON)
    assert result.exit_code == 0, result.stderr


def test_outcomes_due_answer_from_a_file_and_trend(cli, tmp_path):
    onboard(cli, tmp_path)
    due = json.loads(cli("outcomes", "--json", now=MON).stdout)
    assert {d["instrument"] for d in due["due"]} == {"psfs", "pain_interference", "pain_score"}
    peg = write(tmp_path, "peg.json", {"average_pain": 7, "enjoyment": 6, "activity": 8})
    first = cli("outcomes", "answer", "pain_interference", "--answers", str(peg), "--json", now=MON)
    assert first.exit_code == 0, first.stderr
    assert json.loads(first.stdout)["score"] == 7.0
    better = write(tmp_path, "peg2.json", {"average_pain": 4, "enjoyment": 3, "activity": 5})
    second = cli("outcomes", "answer", "pain_interference", "--answers", str(better), now=TWO_WEEKS)
    assert second.exit_code == 0, second.stderr
    assert "Pain and interference score: 4" in second.stdout and "meaningful improvement" in second.stdout
    text = cli("outcomes", now=TWO_WEEKS).stdout
    assert "Due now: " in text and "pain_interference" not in text.split("\n")[0]


def test_outcomes_answer_at_the_prompt(cli, tmp_path):
    onboard(cli, tmp_path)
    result = cli("outcomes", "answer", "psfs", now=MON, input="Carrying shopping\n4\nGardening\n6\n\n")
    assert result.exit_code == 0, result.stderr
    assert "Activities score: 5" in result.stdout


def test_bad_outcome_answers_are_one_line_and_exit_2(cli, tmp_path):
    onboard(cli, tmp_path)
    bad = write(tmp_path, "bad.json", {"average_pain": 12, "enjoyment": 1, "activity": 1})
    result = cli("outcomes", "answer", "pain_interference", "--answers", str(bad), now=MON)
    assert result.exit_code == 2 and "from 0 to 10" in result.stderr
    unknown = cli("outcomes", "answer", "oswestry", "--answers", str(bad), now=MON)
    assert unknown.exit_code == 2 and "no questionnaire 'oswestry'" in unknown.stderr
    assert json.loads(cli("outcomes", "--json", now=MON).stdout)["trends"][0]["points"] == []


def test_simulate_shows_the_outcome_schedule_over_twelve_weeks(cli):
    result = cli("simulate", "--days", "85", "--profile", "steady_improvement", "--start", "2026-03-02", "--json")
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    weeks = sorted({q["week"] for d in data["days"] for q in d.get("questionnaires", [])})
    assert weeks == [0, 2, 4, 6, 8, 10, 12]
    assert len(data["summary"]["questionnaire_days"]) == 7
    text = cli("simulate", "--days", "15", "--profile", "steady_improvement", "--start", "2026-03-02").stdout
    assert "questionnaires due (baseline): " in text and "questionnaires due (week 2)" in text


def test_outcomes_text_names_each_questionnaire_before_any_answer(cli, tmp_path):
    onboard(cli, tmp_path)
    text = cli("outcomes", now=MON).stdout
    assert "- Activities score: No answers yet." in text
