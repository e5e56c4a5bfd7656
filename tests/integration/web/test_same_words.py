"""The same mistake gives the same words on every surface (issue 13): the web form, the JSON
API, the CLI prompt and an answer file all check an input with its one declared spec
(``domain.inputs``), so a bad value gets the field's rule, word for word, wherever it was typed.

Each case names the input, the field, the bad value (as JSON and as typed) and the words; the
words are also checked against the spec's own rule, so a spec change cannot leave a surface behind.
"""

from __future__ import annotations

import html
import json
import re
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from answers import CLEAR
from backcoach.cli import app as cli_app
from backcoach.domain.fields import by_name
from backcoach.domain.inputs import ASSESSMENT, CHECKIN, SCREENING, SESSION_ENTRY
from backcoach.domain.screening import QUESTIONS

from .conftest import ASSESSMENT as ASSESSMENT_ANSWERS
from .conftest import full_session, person_with_program, sign_up

SPECS = {"screening": by_name(SCREENING), "assessment": by_name(ASSESSMENT), "session": by_name(SESSION_ENTRY),
         "checkin": by_name(CHECKIN)}

CASES = [
    ("screening", "pain_now", 11, "11", "Enter a whole number from 0 to 10."),
    ("screening", "age", "forty", "forty", "Enter a whole number from 0 to 120."),
    ("screening", "onset_weeks", -1, "-1", "Enter a number from 0 to 1040."),
    ("screening", "bladder_change", "maybe", "maybe", "Answer yes or no."),
    ("screening", "radiation", "foot", "foot", "Choose one of: none, buttock, thigh, below_knee."),
    ("assessment", "pain_worst_24h", 12, "12", "Enter a whole number from 0 to 10."),
    ("assessment", "side", "middle", "middle", "Choose one of: left, right, central, both."),
    ("assessment", "bridge_hold_s", -5, "-5", "Enter a number, 0 or more."),
    ("session", "pain_during", 11, "11", "Enter a whole number from 0 to 10."),
    ("session", "rpe", 2.5, "2.5", "Enter a whole number from 0 to 10."),
    ("session", "form", "great", "great", "Choose one of: good, some_faults, poor."),
]
MON = "2026-03-02T08:00:00+00:00"


def test_the_expected_words_are_the_specs_rules():
    for what, key, _, _, words in CASES:
        assert SPECS[what][key].rule() == words


# -- the web form ---------------------------------------------------------------------------------

def _typed(value: Any) -> str:
    return "yes" if value is True else "no" if value is False else str(value)


def _post_form(user, path: str, page: str, fields: dict[str, str]):
    data = user.page_tokens(user.client.get(page).text)
    data.update(fields)
    return user.client.post(path, data=data)


def _form_words(app, what: str, key: str, typed: str) -> str:
    if what == "screening":
        user = sign_up(app)
        r = _post_form(user, "/screening", "/screening", {**{k: _typed(v) for k, v in CLEAR.items()}, key: typed})
    elif what == "assessment":
        user = sign_up(app)
        user.post("/api/screenings", json={"answers": CLEAR})
        answers = {k: _typed(v) for k, v in ASSESSMENT_ANSWERS.items()}
        r = _post_form(user, "/assessment", "/assessment", {**answers, key: typed})
    else:
        user = person_with_program(app)
        page = user.client.get("/today").text
        ex_id = re.findall(r'name="ex0_id" value="([^"]+)"', page)[0]
        card = next(c for c in user.get("/api/today").json()["cards"] if c["exercise_id"] == ex_id)
        names = {"pain_during": "pain", "rpe": "rpe", "form": "form"}
        fields = {"ex0_id": ex_id, "ex0_sets": str(card["sets"]), "ex0_holds": str(card["hold_s"]),
                  "ex0_pain": "1", "ex0_rpe": "5", "ex0_form": "good"}
        if card["reps"]:
            fields["ex0_reps"] = str(card["reps"])
        fields[f"ex0_{names[key]}"] = typed
        r = _post_form(user, "/today/log", "/today", fields)
    assert r.status_code == 400, r.text[:300]
    return html.unescape(r.text)


# -- the API --------------------------------------------------------------------------------------

def _api_words(app, what: str, key: str, value: Any) -> str:
    if what == "screening":
        user = sign_up(app)
        r = user.post("/api/screenings", json={"answers": {**CLEAR, key: value}})
        field = f"answers.{key}"
    elif what == "assessment":
        user = sign_up(app)
        user.post("/api/screenings", json={"answers": CLEAR})
        r = user.post("/api/assessments", json={"answers": {**ASSESSMENT_ANSWERS, key: value}})
        field = f"answers.{key}"
    else:
        user = person_with_program(app)
        session = full_session(user.get("/api/today").json())
        session["exercises"][0][key] = value
        r = user.post("/api/sessions", json=session)
        field = f"exercises.0.{key}"
    assert r.status_code == 422, r.text
    messages = [e["message"] for e in r.json()["errors"] if e["field"] == field]
    assert len(messages) == 1, r.json()
    return messages[0]


# -- the CLI: prompts and answer files ------------------------------------------------------------

class _Cli:
    def __init__(self, tmp_path: Path) -> None:
        self.tmp = tmp_path
        self.env = {"DATABASE_URL": f"sqlite:///{tmp_path / 'cli.sqlite3'}", "HOME": str(tmp_path / "home"),
                    "XDG_DATA_HOME": str(tmp_path / "data"), "BACKCOACH_PERSON": None, "BACKCOACH_NOW": MON}

    def __call__(self, *args: str, input: str | None = None):
        return CliRunner().invoke(cli_app, list(args), env=self.env, input=input)

    def file(self, name: str, data: Any) -> str:
        path = self.tmp / name
        path.write_text(json.dumps(data), encoding="utf-8")
        return str(path)

    def start(self) -> list[dict[str, Any]]:
        started = self("start", "--screening", self.file("s.json", CLEAR), "--assessment",
                       self.file("a.json", ASSESSMENT_ANSWERS), "--json")
        assert started.exit_code == 0, started.stderr
        return json.loads(self("today", "--json").stdout)["exercises"]


def _session_lines(exercises: list[dict[str, Any]], key: str | None = None, typed: str = "") -> list[str]:
    """What `backcoach log` is told at its prompts; the first exercise's `key` gets `typed` first."""
    lines: list[str] = []
    for i, item in enumerate(exercises):
        p = item["prescription"]
        lines += ["y", str(p["sets"])]
        if p.get("reps") is not None:
            lines += [str(p["reps"]), str(p["hold_s"])]
        else:
            lines += [str(p["hold_s"])]
        answers = {"pain_during": "1", "rpe": "5", "form": "good"}
        for name in ("pain_during", "rpe", "form"):
            lines += [typed, answers[name]] if (i == 0 and name == key) else [answers[name]]
    return lines + ["2"]


def _cli_prompt_words(tmp_path: Path, what: str, key: str, typed: str) -> str:
    cli = _Cli(tmp_path)
    if what == "screening":
        lines = []
        for q in QUESTIONS:
            lines += [typed, _typed(CLEAR[q.key])] if q.key == key else [_typed(CLEAR[q.key])]
        result = cli("screen", "--no-save", input="\n".join(lines) + "\n")
    elif what == "assessment":
        from backcoach.cli.prompts import ASSESSMENT_QUESTIONS

        lines = []
        for k, _ in ASSESSMENT_QUESTIONS:
            good = _typed(ASSESSMENT_ANSWERS.get(k, "")) if k in ASSESSMENT_ANSWERS else ""
            lines += [typed, good] if k == key else [good]
        result = cli("assess", input="\n".join(lines) + "\n")
    else:
        exercises = cli.start()
        result = cli("log", input="\n".join(_session_lines(exercises, key, typed)) + "\n")
    assert result.exit_code == 0, result.stdout + result.stderr
    return result.stdout


def _file_words(tmp_path: Path, what: str, key: str, value: Any) -> str:
    cli = _Cli(tmp_path)
    if what == "screening":
        result = cli("screen", "--no-save", "--answers", cli.file("bad.json", {**CLEAR, key: value}))
        place = key
    elif what == "assessment":
        result = cli("assess", "--answers", cli.file("bad.json", {**ASSESSMENT_ANSWERS, key: value}))
        place = key
    else:
        exercises = cli.start()
        entries = []
        for item in exercises:
            p = item["prescription"]
            e = {"exercise_id": p["exercise_id"], "sets": p["sets"], "hold_s": p["hold_s"], "pain_during": 1,
                 "rpe": 5, "form": "good"}
            if p.get("reps") is not None:
                e["reps"] = p["reps"]
            entries.append(e)
        entries[0][key] = value
        result = cli("log", "--file", cli.file("bad.json", {"exercises": entries}))
        place = f"exercises[0].{key}"
    assert result.exit_code == 2, result.stdout + result.stderr
    line = result.stderr.strip()
    assert f"{place}: " in line, line
    return line


each_case = pytest.mark.parametrize("what, key, value, typed, words", CASES, ids=[f"{c[0]}-{c[1]}" for c in CASES])


@pytest.mark.parametrize("edge", ("form", "api"))
@each_case
def test_the_same_bad_value_gets_the_same_words_on_the_web(app, edge, what, key, value, typed, words):
    if edge == "form":
        assert words in _form_words(app, what, key, typed)
    else:
        assert _api_words(app, what, key, value) == words  # exactly the rule; the field is named apart


@pytest.mark.parametrize("edge", ("cli_prompt", "file"))
@each_case
def test_the_same_bad_value_gets_the_same_words_at_the_cli(tmp_path, edge, what, key, value, typed, words):
    """The CLI edges do not depend on the web's database backend: run once."""
    shown = _cli_prompt_words(tmp_path, what, key, typed) if edge == "cli_prompt" else _file_words(tmp_path, what, key, value)
    assert words in shown


def test_a_pain_check_in_of_11_gets_the_same_words_in_the_form_the_api_and_the_cli(app, tmp_path):
    words = SPECS["checkin"]["nprs"].rule()
    assert words == "Enter a whole number from 0 to 10."
    user = sign_up(app)
    page = _post_form(user, "/checkin", "/checkin", {"nprs": "11", "kind": "daily"})
    assert page.status_code == 400 and f": {words}" in html.unescape(page.text)
    api = user.post("/api/pain", json={"nprs": 11})
    assert api.status_code == 422 and api.json()["errors"] == [{"field": "nprs", "message": words}]
    cli = _Cli(tmp_path)
    cli.start()
    result = cli("checkin", "--pain", "11")
    assert result.exit_code == 2 and words in result.stderr
    assert user.get("/api/pain").json() == []


def test_the_log_form_takes_its_bounds_from_the_spec(app):
    """The browser's limits are the server's: the sets box used to stop at 10 while 20 were accepted."""
    page = person_with_program(app).client.get("/today").text
    spec = SPECS["session"]
    for name, field in (("sets", "sets"), ("pain", "pain_during"), ("rpe", "rpe")):
        found = re.search(rf'name="ex0_{name}" type="number" min="(\d+)" max="(\d+)"', page)
        assert found is not None, name
        assert (int(found[1]), int(found[2])) == (spec[field].low, spec[field].high)
        assert f'for="ex0_{name}">{html.escape(spec[field].label)}<' in page
    assert spec["sets"].high == 20


@pytest.mark.parametrize("what, key", [("screening", "onset_weeks"), ("assessment", "bridge_hold_s"),
                                       ("session", "hold_s")])
def test_a_huge_whole_number_gets_the_rule_not_a_server_error(app, what, key):
    """10**400 is valid JSON; turning it into a float used to overflow (a 500) for number answers."""
    assert _api_words(app, what, key, 10**400) == SPECS[what][key].rule()
