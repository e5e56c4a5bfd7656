"""What every `backcoach` command shares: how errors end it, the help, the colours of alerts, where files go."""

from __future__ import annotations

import io
import json

import pytest
from rich.console import Console

from backcoach.domain.monitoring import ALERT_SEVERITY

RED, YELLOW = "\x1b[31m", "\x1b[33m"

# What each alert asks of the person: act now (red), act soon (yellow), or a plain note.
ALERT_COLOUR = {
    "emergency": RED, "urgent": RED, "worsening": RED,
    "six_week_rule": YELLOW, "urgent_cleared": YELLOW, "see_clinician": YELLOW, "rescreen_due": YELLOW,
    "low_adherence": None, "no_recent_activity": None,
}


@pytest.fixture
def coloured(monkeypatch) -> io.StringIO:
    """The CLI's console writing ANSI colours into a buffer, as it does on a terminal."""
    from backcoach.cli import render

    buffer = io.StringIO()
    monkeypatch.setattr(render, "out", Console(file=buffer, force_terminal=True, color_system="standard", width=300,
                                               highlight=False, markup=False))
    return buffer


def colour_of(line: str) -> str | None:
    return RED if line.startswith(RED) else YELLOW if line.startswith(YELLOW) else None if "\x1b[" not in line else "?"


def test_every_alert_is_coloured_by_what_it_asks_not_by_a_severity_cut(coloured):
    """The bug: one of two renderers coloured `severity >= 3` red, on a 0-100 scale, so a
    gentle 'no session in a week' (severity 10) read like an emergency. One renderer now."""
    from backcoach.cli.render import render_alerts

    assert set(ALERT_COLOUR) == set(ALERT_SEVERITY)  # a new alert code must be given a colour here
    for code, colour in ALERT_COLOUR.items():
        coloured.seek(0)
        coloured.truncate()
        render_alerts([{"code": code, "severity": ALERT_SEVERITY[code], "message": f"about {code}"}])
        line = coloured.getvalue()
        assert f"! about {code}" in line
        assert colour_of(line) == colour, (code, line)


@pytest.mark.parametrize("course", ["flare_up", "red_flag"])
def test_alerts_in_a_replayed_course_have_the_same_colours(cli, coloured, course):
    args = ("simulate", "--profile", course, "--days", "90", "--start", "2026-11-02")
    days = json.loads(cli(*args, "--json").stdout)["days"]
    code_of = {a["message"]: a["code"] for d in days for a in d["alerts"]}
    result = cli(*args)
    assert result.exit_code == 0, result.stderr
    lines = [ln for ln in coloured.getvalue().splitlines() if "! " in ln]
    assert len(lines) == sum(len(d["alerts"]) for d in days) > 0
    for line in lines:
        message = line.split("! ", 1)[1].removesuffix("\x1b[0m")
        assert colour_of(line) == ALERT_COLOUR[code_of[message]], line


def test_end_of_input_at_a_prompt_stops_in_one_line(cli):
    """Ctrl+D (or a closed pipe) at a question used to end in a traceback."""
    result = cli("screen", input="")
    assert result.exit_code == 1
    assert result.stderr.strip().splitlines() == ["error: stopped (nothing more was saved)"]
    assert result.exception is None or isinstance(result.exception, SystemExit)


def test_no_command_shows_the_help_as_a_success(cli):
    for args in ((), ("export",), ("clinicians",)):
        result = cli(*args)
        assert result.exit_code == 0, (args, result.stderr)
        assert result.stdout.startswith("Usage: ") and "Commands:" in result.stdout


def test_a_bad_option_before_the_command_is_one_line(cli):
    result = cli("--bogus", "today")
    assert result.exit_code == 2
    [line] = result.stderr.strip().splitlines()
    assert line.startswith("error: No such option: --bogus (see: ") and line.endswith(" --help)")


def test_exports_without_out_are_written_here_with_the_date(cli, tmp_path, monkeypatch):
    from cli_helpers import ASSESSMENT, CLEAR, write

    started = cli("start", "--screening", str(write(tmp_path, "s.json", CLEAR)),
                  "--assessment", str(write(tmp_path, "a.json", ASSESSMENT)), now="2026-03-02T08:00:00+00:00")
    assert started.exit_code == 0, started.stderr
    monkeypatch.chdir(tmp_path)
    report = cli("export", "report", now="2026-03-02T09:00:00+00:00")
    chart = cli("export", "chart", now="2026-03-02T09:00:00+00:00")
    assert report.stdout.strip() == "Report written to backcoach-report-2026-03-02.pdf"
    assert chart.stdout.strip() == "Pain chart written to backcoach-pain-2026-03-02.png"
    assert (tmp_path / "backcoach-report-2026-03-02.pdf").read_bytes().startswith(b"%PDF")
    assert (tmp_path / "backcoach-pain-2026-03-02.png").read_bytes().startswith(b"\x89PNG")
