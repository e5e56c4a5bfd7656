"""Every rule family follows `catalog/thresholds.yaml`: change a value in a copy of the file,
load it, and the behaviour changes (DESIGN.md §5: thresholds only from the file, passed in).

Why: the services used to call some rules without the loaded thresholds, so numbers in the
code won (with `rescreen_days: 1` loaded, a session three days after a screen was still
allowed). Each test runs the same course twice, with the shipped file and with the copy.
"""

from __future__ import annotations

import datetime as dt
from importlib import resources
from typing import Any, Callable

import pytest
import yaml

import backcoach.catalog as catalog_module
from backcoach import services
from backcoach.domain.errors import ProgramLocked
from backcoach.domain.thresholds import Thresholds
from backcoach.services import common
from fakes import FakeUnitOfWork
from svc_helpers import ASSESSMENT, CLEAR, T0, days, session_for


@pytest.fixture
def use_yaml(monkeypatch: pytest.MonkeyPatch, tmp_path) -> Callable[..., Thresholds]:
    """use_yaml(**{"monitoring.rescreen_days": 1}): write a changed copy of thresholds.yaml,
    load it, and make it the thresholds the services read (as if it were the shipped file)."""

    def use(**changes: Any) -> Thresholds:
        data = yaml.safe_load(resources.files("backcoach.catalog").joinpath("thresholds.yaml").read_text())
        for path, value in changes.items():
            *parents, key = path.split(".")
            node = data
            for p in parents:
                node = node[p]
            assert key in node, path
            node[key] = value
        copy = tmp_path / "thresholds.yaml"
        copy.write_text(yaml.safe_dump(data))
        loaded = Thresholds.from_dict(yaml.safe_load(copy.read_text()))
        monkeypatch.setattr(catalog_module, "load_thresholds", lambda: loaded)
        common.thresholds.cache_clear()
        return loaded

    yield use
    common.thresholds.cache_clear()


def onboard(assessment: dict[str, Any] = ASSESSMENT) -> tuple[FakeUnitOfWork, int]:
    uow = FakeUnitOfWork()
    pid = services.create_person(uow, "Ana", T0)
    services.record_screening(uow, pid, CLEAR, T0)
    services.record_assessment(uow, pid, assessment, T0)
    services.start_program(uow, pid, T0)
    return uow, pid


def actions(logged: Any) -> set[str]:
    return {d.action for d in logged.decisions}


# ---- rescreen --------------------------------------------------------------------------------


def _three_days_after_the_screen() -> tuple[bool, bool]:
    from backcoach.web.usecases import rescreen_soon

    uow, pid = onboard()
    try:
        today = services.todays_session(uow, pid, days(3))
        return True, rescreen_soon(today.gate, days(3))
    except ProgramLocked:
        return False, True


def test_rescreen_days_from_the_file_lock_the_program(use_yaml) -> None:
    assert _three_days_after_the_screen() == (True, False)
    use_yaml(**{"monitoring.rescreen_days": 1})
    allowed, soon = _three_days_after_the_screen()
    assert not allowed and soon
    use_yaml(**{"monitoring.rescreen_days": 4})  # due in a day: the reminder shows, the program is open
    assert _three_days_after_the_screen() == (True, True)


# ---- progression -----------------------------------------------------------------------------


def test_the_pain_during_limit_comes_from_the_file(use_yaml) -> None:
    uow, pid = onboard()
    assert actions(services.log_session(uow, pid, session_for(uow, pid, days(0, 2), pain=4), days(0, 2))) == {"hold"}
    use_yaml(**{"progression.regress_pain_during_above": 3})
    uow, pid = onboard()
    assert actions(services.log_session(uow, pid, session_for(uow, pid, days(0, 2), pain=4), days(0, 2))) == {"regress"}


def test_the_rest_at_the_gentlest_step_lasts_the_days_in_the_file(use_yaml) -> None:
    use_yaml(**{"progression.rest_days_at_bottom": 5})
    uow, pid = onboard()
    logged = services.log_session(uow, pid, session_for(uow, pid, days(0, 2), pain=8), days(0, 2))
    rested = [d for d in logged.decisions if d.after.rest_until is not None]
    assert rested and all(d.after.rest_until == days(5).date() for d in rested)


# ---- next-morning rule -----------------------------------------------------------------------


def _morning_after_with(delta_pain: int) -> set[str]:
    uow, pid = onboard()
    for n in range(1, 4):
        services.check_in_pain(uow, pid, 3, days(n, -1))  # usual pain 3
    services.log_session(uow, pid, session_for(uow, pid, days(3, 2)), days(3, 2))
    checked = services.check_in_pain(uow, pid, 3 + delta_pain, days(4, -1), next_morning=True)
    return {d.action for d in checked.decisions}


def test_the_next_morning_delta_comes_from_the_file(use_yaml) -> None:
    assert _morning_after_with(1) == set()
    use_yaml(**{"progression.regress_next_morning_delta": 1})
    assert _morning_after_with(1) == {"regress"}


# ---- worsening -------------------------------------------------------------------------------


def _alerts_after(pains: list[int]) -> set[str]:
    uow, pid = onboard()
    for n, nprs in enumerate(pains):
        services.check_in_pain(uow, pid, nprs, days(n, 1))
    services.record_screening(uow, pid, CLEAR, days(len(pains) - 1, 2))
    return {a.code for a in services.get_status(uow, pid, days(len(pains) - 1, 3)).report.alerts}


def test_the_worsening_delta_comes_from_the_file(use_yaml) -> None:
    pains = [3, 3, 3, 4, 4, 4, 4, 4, 4, 4]  # 7-day mean 4, baseline 3
    assert "worsening" not in _alerts_after(pains)
    use_yaml(**{"monitoring.worsening_delta": 1})
    assert "worsening" in _alerts_after(pains)


def test_the_best_week_window_comes_from_the_file(use_yaml) -> None:
    # 6/10 at first, a week of 2/10, then 4/10: worse than the best week (2 + 2) only while
    # that week is inside the window.
    pains = [6, 6, 6, 2, 2, 2, 2, 2, 2, 2] + [4] * 9
    assert "worsening" in _alerts_after(pains)
    use_yaml(**{"monitoring.worsening_best_window_days": 3})
    assert "worsening" not in _alerts_after(pains)


# ---- monitoring: six-week rule ---------------------------------------------------------------


def test_the_six_week_rule_counts_the_weeks_in_the_file(use_yaml) -> None:
    assert "six_week_rule" not in _alerts_after([4, 4, 4])  # onset two weeks before T0
    use_yaml(**{"monitoring.six_week_rule_weeks": 2})
    assert "six_week_rule" in _alerts_after([4, 4, 4])


# ---- phases ----------------------------------------------------------------------------------


def test_the_earliest_week_of_a_phase_comes_from_the_file(use_yaml) -> None:
    def phase_after_a_good_week() -> str:
        uow, pid = onboard()
        for n in range(5):
            services.check_in_pain(uow, pid, 2, days(n, -1), next_morning=n > 0)
            logged = services.log_session(uow, pid, session_for(uow, pid, days(n, 2)), days(n, 2))
        return logged.phase

    assert phase_after_a_good_week() == "activation"
    use_yaml(**{"phases.strengthening_from_week": 0.5})
    assert phase_after_a_good_week() == "strengthening"


# ---- assessment caps -------------------------------------------------------------------------


def test_the_self_test_caps_come_from_the_file_in_the_rules_the_cli_and_the_web(use_yaml) -> None:
    from backcoach.cli.prompts import assessment_questions
    from backcoach.web import views

    def state() -> tuple[Any, ...]:
        uow = FakeUnitOfWork()
        pid = services.create_person(uow, "Ana", T0)
        recorded = services.record_assessment(uow, pid, {**ASSESSMENT, "bridge_hold_s": 55}, T0)
        cli = next(q for q in assessment_questions() if q[0] == "bridge_hold_s")
        web = next(f for t in views.self_tests() for f in t["fields"] if f[0] == "bridge_hold_s")
        answers, problems = views.assessment_answers_from_form(
            {"pain_now": "2", "pain_worst_24h": "3", "onset_weeks": "2", "side": "left", "radiation": "none",
             "bridge_hold_s": "55"})
        text = next(t["instructions"] for t in views.self_tests() if t["match"] == "bridge_hold")
        with uow:
            stored = uow.assessments.get(recorded.assessment_id).answers
        return stored.get("bridge_hold_s"), cli[1], cli[5], web[1], web[4], bool(problems), text

    stored, cli_text, cli_max, web_label, web_max, refused, instructions = state()
    assert (stored, cli_max, web_max, refused) == (55, 180, 180, False)
    assert "(max 180)" in cli_text and "(0 to 180)" in web_label and "180 seconds" in instructions
    use_yaml(**{"assessment.bridge_hold_s": {"cap": 40, "none": 35, "mild": 25, "moderate": 10}})
    stored, cli_text, cli_max, web_label, web_max, refused, instructions = state()
    # above the cap: every surface accepts it and the rules count it as the cap (one spec, one rule;
    # the form used to refuse what the API and the files accepted)
    assert (stored, cli_max, web_max, refused) == (40, 40, 40, False)
    assert "(max 40)" in cli_text and "(0 to 40)" in web_label and "40 seconds" in instructions
