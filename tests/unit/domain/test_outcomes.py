"""Outcome questionnaires: the shipped definitions, scoring against worked examples from each
instrument's published scoring rule, the schedule and the trend against the meaningful change."""

from __future__ import annotations

import datetime as dt

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from backcoach.catalog import load_outcome_instruments
from backcoach.domain import outcomes as o
from backcoach.domain.errors import InvalidAnswers, InvalidCatalog

BY_ID = {i.id: i for i in load_outcome_instruments()}
PSFS, PEG, NPRS = BY_ID["psfs"], BY_ID["pain_interference"], BY_ID["pain_score"]
START = dt.date(2026, 1, 5)


def at(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(9), tzinfo=dt.timezone.utc)


def test_shipped_instruments_have_sources_licences_and_the_core_schedule():
    assert set(BY_ID) == {"psfs", "pain_interference", "pain_score"}
    for instrument in BY_ID.values():
        assert instrument.source and instrument.licence and instrument.meaningful_change.source
        assert instrument.schedule_weeks[0] == 0 and {6, 12} <= set(instrument.schedule_weeks)
        assert all(b - a == 2 for a, b in zip(instrument.schedule_weeks, instrument.schedule_weeks[1:]))


# Worked examples, each by the instrument's published rule.
def test_psfs_is_the_mean_of_the_activity_ratings():
    # Stratford et al. 1995: three activities rated 3, 5 and 4 -> (3 + 5 + 4) / 3 = 4.0.
    answers = {"activities": [{"name": "Lifting my son", "rating": 3}, {"name": "Gardening", "rating": 5},
                              {"name": "Sitting  for an hour", "rating": 4}]}
    scored = o.score(PSFS, answers)
    assert scored.score == 4.0
    assert scored.answered_items == 3
    assert scored.answers["activities"][2]["name"] == "Sitting for an hour"


def test_psfs_mean_is_rounded_to_one_decimal():
    scored = o.score(PSFS, {"activities": [{"name": "a", "rating": 2}, {"name": "b", "rating": 3},
                                           {"name": "c", "rating": 3}]})
    assert scored.score == 2.7  # 8 / 3


def test_peg_kind_scale_is_the_mean_of_three_items():
    # Krebs et al. 2009: PEG score = mean of the three 0-10 items; 6, 5 and 7 -> 6.0.
    assert o.score(PEG, {"average_pain": 6, "enjoyment": 5, "activity": 7}).score == 6.0
    assert o.score(PEG, {"average_pain": 3, "enjoyment": 0, "activity": 2}).score == pytest.approx(1.7)


def test_pain_score_band():
    assert o.score(NPRS, {"usual_pain": 0}).band == "no pain"
    assert o.score(NPRS, {"usual_pain": 3}).band == "mild"
    assert o.score(NPRS, {"usual_pain": 5}).band == "moderate"
    assert o.score(NPRS, {"usual_pain": 8}).band == "severe"


def test_percent_of_max_scoring_for_a_supplied_licensed_definition(tmp_path):
    """A service supplies a licensed questionnaire as a file; the engine scores it like any other
    (here six-choice sections scored 0-5, as percent of the maximum of the sections answered, the
    rule of the Oswestry kind; the wording is a placeholder of ours, not the licensed text)."""
    sections = [{"id": f"s{n}", "kind": "choice", "text": f"Section {n}", "required": n <= 9,
                 "choices": [{"value": v, "label": f"level {v}"} for v in range(6)]} for n in range(1, 11)]
    definition = {"id": "licensed_example", "version": 1, "title": "Licensed example", "items": sections,
                  "scoring": "percent_of_max", "score_range": [0, 100], "direction": "lower_is_better",
                  "meaningful_change": {"points": 10}, "schedule_weeks": [0, 6, 12],
                  "source": "supplied by the service", "licence": "licensed to the service"}
    (tmp_path / "licensed_example.yaml").write_text(yaml.safe_dump(definition), encoding="utf-8")
    load_outcome_instruments.cache_clear()
    try:
        found = {i.id: i for i in load_outcome_instruments(str(tmp_path))}
    finally:
        load_outcome_instruments.cache_clear()
    licensed = found["licensed_example"]
    answers = {f"s{n}": 2 for n in range(1, 10)}  # nine sections answered, each 2 of 5
    assert o.score(licensed, answers).score == 40.0  # 18 / 45 * 100
    answers["s10"] = 5
    assert o.score(licensed, answers).score == 46.0  # 23 / 50 * 100


def test_missing_definition_folder_is_a_clear_error():
    with pytest.raises(InvalidCatalog, match="does not exist"):
        load_outcome_instruments("/nonexistent/outcomes")


@pytest.mark.parametrize("answers, words", [
    ({"average_pain": 6, "enjoyment": 5}, "Please fill this in"),
    ({"average_pain": 11, "enjoyment": 5, "activity": 1}, "from 0 to 10"),
    ({"average_pain": 2.5, "enjoyment": 5, "activity": 1}, "whole number"),
    ({"average_pain": True, "enjoyment": 5, "activity": 1}, "whole number"),
    ({"average_pain": 1, "enjoyment": 5, "activity": 1, "mood": 3}, "Unknown question"),
])
def test_bad_answers_are_refused_with_words_for_the_person(answers, words):
    with pytest.raises(InvalidAnswers, match=words):
        o.score(PEG, answers)


@pytest.mark.parametrize("activities, words", [
    ([], "between 1 and 5"),
    ([{"name": f"a{n}", "rating": 1} for n in range(6)], "between 1 and 5"),
    ([{"name": " ", "rating": 1}], "needs a name"),
    ([{"name": "walk", "rating": 1}, {"name": "Walk", "rating": 2}], "named twice"),
    ([{"name": "walk"}], "name and a rating"),
    ([{"name": "x" * 81, "rating": 1}], "at most 80"),
])
def test_bad_activities_are_refused(activities, words):
    with pytest.raises(InvalidAnswers, match=words):
        o.score(PSFS, {"activities": activities})


def test_definitions_are_read_strictly():
    good = {"id": "x", "version": 1, "title": "X", "items": [{"id": "a", "kind": "scale", "text": "A"}],
            "scoring": "mean", "score_range": [0, 10], "direction": "lower_is_better",
            "meaningful_change": {"points": 2}, "schedule_weeks": [0, 2], "source": "s", "licence": "l"}
    assert o.instrument_from_dict(good).id == "x"
    for broken in ({**good, "colour": "red"}, {**good, "scoring": "median"}, {**good, "schedule_weeks": [2, 4]},
                   {**good, "items": []}, {k: v for k, v in good.items() if k != "source"}):
        with pytest.raises(InvalidCatalog):
            o.instrument_from_dict(broken)


# -- schedule ----------------------------------------------------------------------------------

def test_baseline_is_due_on_day_one_then_every_two_weeks():
    due = o.due_outcomes([PEG], START, START, {})
    assert [(d.week, d.label) for d in due] == [(0, "baseline")]
    assert o.due_outcomes([PEG], START, START + dt.timedelta(days=5), {"pain_interference": [START]}) == []
    # Week 2 opens three days early.
    day = START + dt.timedelta(days=11)
    assert [d.week for d in o.due_outcomes([PEG], START, day, {"pain_interference": [START]})] == [2]
    assert o.due_outcomes([PEG], START, START + dt.timedelta(days=10), {"pain_interference": [START]}) == []


def test_a_missed_point_is_replaced_by_the_next_not_piled_up():
    day = START + dt.timedelta(weeks=6, days=1)
    due = o.due_outcomes([PEG], START, day, {"pain_interference": [START]})
    assert [d.week for d in due] == [6]
    assert o.due_outcomes([PEG], START, START + dt.timedelta(weeks=20), {"pain_interference": [START]})[0].week == 12
    later = {"pain_interference": [START, START + dt.timedelta(weeks=12)]}
    assert o.due_outcomes([PEG], START, START + dt.timedelta(weeks=20), later) == []
    assert o.next_point(PEG, START, START + dt.timedelta(weeks=13)) is None


# -- trend -------------------------------------------------------------------------------------

def test_trend_reads_change_against_the_meaningful_change_band():
    d0 = at(START)
    later = at(START + dt.timedelta(weeks=6))
    assert o.trend(PSFS, []).change is None
    assert o.trend(PSFS, [(d0, 3.0)]).change == "baseline_only"
    assert o.trend(PSFS, [(d0, 3.0), (later, 5.0)]).change == "better"       # +2 on a higher-is-better scale
    assert o.trend(PSFS, [(d0, 3.0), (later, 4.5)]).change == "no_meaningful_change"
    assert o.trend(PSFS, [(d0, 5.0), (later, 3.0)]).change == "worse"
    t = o.trend(PEG, [(d0, 8.0), (later, 6.0)])
    assert t.change == "better" and (t.band_low, t.band_high) == (6.0, 10.0)
    # 30 % of a low baseline is less than 2 points: a 1-point fall from 3 is meaningful.
    assert o.trend(PEG, [(d0, 3.0), (later, 2.0)]).change == "better"
    assert o.trend(PEG, [(d0, 3.0), (later, 4.0)]).change == "worse"
    assert o.trend(PEG, [(d0, 6.0), (later, 5.0)]).change == "no_meaningful_change"


@given(st.lists(st.integers(0, 10), min_size=3, max_size=3))
def test_peg_score_is_always_inside_its_range(values):
    result = o.score(PEG, dict(zip(("average_pain", "enjoyment", "activity"), values)))
    assert 0 <= result.score <= 10
    assert abs(result.score - sum(values) / 3) < 0.051
