"""Outcome questionnaires through the services: due on the schedule, stored with the point they
answer, trends, and the activities named at the baseline carried forward."""

from __future__ import annotations

import datetime as dt

import pytest

from backcoach import services
from backcoach.domain.errors import InvalidAnswers
from backcoach.services.outcomes import UnknownInstrument, outcome_history
from svc_helpers import T0

PEG = {"average_pain": 6, "enjoyment": 5, "activity": 7}
ACTIVITIES = {"activities": [{"name": "Lifting my son", "rating": 3}, {"name": "Gardening", "rating": 4}]}


def test_baseline_questionnaires_are_due_once_the_program_starts(uow, onboarded):
    overview = services.outcomes_overview(uow, onboarded, T0)
    assert {d.instrument_id for d in overview.due} == {"psfs", "pain_interference", "pain_score"}
    assert all(d.week == 0 for d in overview.due)
    assert overview.start == T0.date()
    assert overview.next_due == T0.date() + dt.timedelta(weeks=2)


def test_recording_answers_stores_the_point_and_clears_it_from_due(uow, onboarded):
    rec = services.record_outcome(uow, onboarded, "pain_interference", PEG, T0)
    assert rec.score.score == 6.0 and rec.week == 0 and rec.trend.change == "baseline_only"
    assert "pain_interference" not in {d.instrument_id for d in services.outcomes_overview(uow, onboarded, T0).due}
    two_weeks = T0 + dt.timedelta(weeks=2)
    assert "pain_interference" in {d.instrument_id for d in services.outcomes_overview(uow, onboarded, two_weeks).due}
    follow_up = services.record_outcome(uow, onboarded, "pain_interference",
                                        {"average_pain": 3, "enjoyment": 2, "activity": 4}, two_weeks)
    assert follow_up.week == 2 and follow_up.score.score == 3.0
    assert follow_up.trend.change == "better"
    stored = outcome_history(uow, onboarded)
    assert [(r.instrument, r.week, r.version) for r in stored] == [("pain_interference", 0, 1),
                                                                     ("pain_interference", 2, 1)]


def test_an_answer_outside_the_schedule_is_kept_without_a_point(uow, onboarded):
    services.record_outcome(uow, onboarded, "pain_score", {"usual_pain": 4}, T0)
    extra = services.record_outcome(uow, onboarded, "pain_score", {"usual_pain": 5}, T0 + dt.timedelta(days=3))
    assert extra.week is None


def test_baseline_activities_are_offered_again(uow, onboarded):
    services.record_outcome(uow, onboarded, "psfs", ACTIVITIES, T0)
    overview = services.outcomes_overview(uow, onboarded, T0 + dt.timedelta(weeks=2))
    assert overview.activities == ("Lifting my son", "Gardening")


def test_bad_answers_and_unknown_questionnaires_store_nothing(uow, onboarded):
    with pytest.raises(InvalidAnswers):
        services.record_outcome(uow, onboarded, "pain_interference", {"average_pain": 6}, T0)
    with pytest.raises(UnknownInstrument, match="no questionnaire"):
        services.record_outcome(uow, onboarded, "oswestry", {}, T0)
    assert outcome_history(uow, onboarded) == []
