"""The same mistake gives the same words on every surface (issue 13): the web form, the JSON
API, the CLI prompt and an answer file all check an input with its one declared spec
(``domain.inputs``), so a bad value gets the field's rule, word for word, wherever it was typed.

Each case names the input, the field, the bad value (as JSON and as typed) and the words; the
words are also checked against the spec's own rule, so a spec change cannot leave a surface behind.
"""

from __future__ import annotations

import html
import inspect
import json
import re
import typing
from pathlib import Path
from typing import Any

import pytest
import typer
from typer.testing import CliRunner

from answers import CLEAR
from backcoach.cli import app as cli_app
from backcoach.cli.analyze import FPS, HOLD, PRESCRIBED_HOLD, TEMPO
from backcoach.cli.serve import PORT, WORKERS
from backcoach.cli.simulate import DAYS
from backcoach.domain.fields import MISSING, by_name
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


# -- typed command-line options and needed fields left out ---------------------------------------

CHECKIN_CASES = [  # (field, its CLI option, the bad value as JSON, as typed)
    ("nprs", "--pain", "abc", "abc"),
    ("walked_minutes", "--walked", "abc", "abc"),
    ("walked_minutes", "--walked", -5, "-5"),
    ("walked_minutes", "--walked", 1441, "1441"),
]


@pytest.mark.parametrize("key, option, value, typed", CHECKIN_CASES, ids=[f"{c[1]}={c[3]}" for c in CHECKIN_CASES])
def test_a_bad_check_in_gets_the_same_words_in_the_form_the_api_and_the_cli_option(app, tmp_path, key, option, value,
                                                                                     typed):
    """`checkin --walked abc` used to get click's (pydantic's) "Input should be a valid integer"."""
    words = SPECS["checkin"][key].rule()
    user = sign_up(app)
    page = _post_form(user, "/checkin", "/checkin", {"nprs": "3", "kind": "daily", key: typed})
    assert page.status_code == 400 and f": {words}" in html.unescape(page.text)
    api = user.post("/api/pain", json={"nprs": 3, key: value})
    assert api.status_code == 422 and api.json()["errors"] == [{"field": key, "message": words}]
    assert user.get("/api/pain").json() == []
    cli = _Cli(tmp_path)
    cli.start()
    before = cli("status", "--json").stdout
    options = {"--pain": "3", option: typed}
    result = cli("checkin", *[part for item in options.items() for part in item])
    assert result.exit_code == 2, result.stdout + result.stderr
    assert f"error: {option}: {words}" in result.stderr
    assert cli("status", "--json").stdout == before  # nothing was saved


def test_a_needed_answer_left_out_gets_the_same_words_in_the_form_the_api_and_the_cli(app, tmp_path):
    """The API used to say pydantic's "Field required" for a needed field outside the specs
    (a session's exercises, a screening's answers), and the CLI click's "Missing option '--pain'"."""
    assert MISSING == "Please fill this in."
    user = person_with_program(app)
    page = _post_form(user, "/checkin", "/checkin", {"nprs": "", "kind": "daily"})
    assert page.status_code == 400 and f"{SPECS['checkin']['nprs'].label}: {MISSING}" in html.unescape(page.text)
    for path, body, field in (("/api/pain", {}, "nprs"), ("/api/pain", {"nprs": None}, "nprs"),
                              ("/api/sessions", {}, "exercises"), ("/api/screenings", {}, "answers"),
                              ("/api/assessments", {}, "answers")):
        r = user.post(path, json=body)
        assert r.status_code == 422, (path, r.text)
        assert r.json()["errors"] == [{"field": field, "message": MISSING}], (path, body)
    session = full_session(user.get("/api/today").json())
    del session["exercises"][0]["rpe"]
    r = user.post("/api/sessions", json=session)
    assert r.status_code == 422 and r.json()["errors"] == [{"field": "exercises.0.rpe", "message": MISSING}]
    cli = _Cli(tmp_path)
    cli.start()
    for args in (("checkin",), ("checkin", "--pain", ""), ("checkin", "--pain", "  ")):
        result = cli(*args)
        assert result.exit_code == 2 and f"error: --pain: {MISSING}" in result.stderr, (args, result.stderr)


OPTION_CASES = [  # (command line before the option, the option, its field, bad values)
    (("simulate", "--profile", "flare_up"), "--days", DAYS, ("abc", "0", "731", "2.5")),
    (("serve",), "--port", PORT, ("abc", "0", "65536")),
    (("serve",), "--workers", WORKERS, ("many", "0", "65")),
    (("analyze", "clip.mp4"), "--hold-seconds", HOLD, ("long", "-1", "nan")),
    (("analyze", "clip.mp4"), "--prescribed-hold", PRESCRIBED_HOLD, ("abc", "-3")),  # -3 was taken (a bug)
    (("analyze", "clip.mp4"), "--lift-seconds", TEMPO, ("slow", "0", "inf")),
    (("analyze", "clip.mp4"), "--lower-seconds", TEMPO, ("slow", "0.05")),
    (("analyze", "clip.mp4"), "--fps", FPS, ("abc", "0.5", "61")),
]


@pytest.mark.parametrize("before, option, field, bad", OPTION_CASES, ids=[c[1] for c in OPTION_CASES])
def test_every_typed_option_gets_its_fields_words(tmp_path, before, option, field, bad):
    """Options outside the input specs (days, a port, frames per second) are declared as fields
    beside their command, so their mistakes are worded like every other: not click's own."""
    cli = _Cli(tmp_path)
    for typed in bad:
        result = cli(*before, option, typed)
        assert result.exit_code == 2, (option, typed, result.stdout)
        assert result.stderr.startswith(f"error: {option}: {field.rule()}"), (typed, result.stderr)
    assert HOLD.rule() == "Enter a number, 0 or more." and FPS.rule() == "Enter a number from 1 to 60."


def _commands(group: typer.Typer):
    for command in group.registered_commands:
        yield command.callback
    for sub in group.registered_groups:
        yield from _commands(sub.typer_instance)


def test_no_option_is_a_bare_number():
    """Every int or float option of every command is read by a declared field (``cli.options.field_option``):
    a new `typer.Option(..., min=1)` would bring click's wording back."""
    numeric = []
    for callback in _commands(cli_app):
        hints = typing.get_type_hints(callback)
        for name, param in inspect.signature(callback).parameters.items():
            kinds = set(typing.get_args(hints[name])) | {hints[name]}
            if kinds & {int, float}:
                numeric.append(f"{callback.__name__} {name}")
                assert getattr(param.default, "parser", None) is not None, f"{callback.__name__} {name}"
    assert {"checkin pain", "checkin walked", "simulate days", "serve port", "analyze fps"} <= set(numeric)
