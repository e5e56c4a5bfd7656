"""FHIR bundle structure and the PDF/PNG reports, from records built in memory."""
from __future__ import annotations

import io
import json
from datetime import date, datetime, timedelta, timezone

import pytest

from backcoach.exports import fhir, report
from backcoach.exports.record import (
    DecisionEntry,
    OutcomeEntry,
    OutcomeSeries,
    PainPoint,
    PersonRecord,
    ScreeningEntry,
)

T0 = datetime(2026, 11, 2, 8, 0, tzinfo=timezone.utc)

# Required elements of each R4 resource we emit (from the FHIR R4 resource definitions).
REQUIRED = {
    "Patient": (),
    "QuestionnaireResponse": ("status",),
    "RiskAssessment": ("status", "subject"),
    "Observation": ("status", "code"),
    "CarePlan": ("status", "intent", "subject"),
    "Flag": ("status", "code", "subject"),
}


def make_record(**overrides) -> PersonRecord:
    values = dict(
        person_id=7,
        display_name="Alex",
        generated_at=T0 + timedelta(days=14),
        screenings=(
            ScreeningEntry(T0, {"age": 44, "bladder_change": False, "pain_now": 5, "onset_weeks": 2.5,
                                "radiation": "buttock"}, "see_clinician",
                           ({"item": "onset_weeks", "level": "see_clinician", "message": "Pain for a while."},)),
        ),
        pain=tuple(PainPoint(T0 + timedelta(days=i), max(0, 6 - i // 3)) for i in range(14))
        + (PainPoint(T0 + timedelta(days=3, hours=10), 2, "during"),),
        decisions=(DecisionEntry(T0 + timedelta(days=4), "glute_bridge", "progress", ("Two good sessions.",),
                                 before="2 x 10", after="2 x 11"),),
        phase="activation",
        prescriptions=({"exercise_id": "glute_bridge", "description": "2 x 11 reps, 3 s squeeze"},),
        program_started=T0.date(),
        baseline=6.0,
        adherence=((date(2026, 11, 2), 4, 5), (date(2026, 11, 9), 5, 5)),
        alerts=({"code": "rescreen_due", "message": "Time for the weekly safety check."},),
    )
    values.update(overrides)
    return PersonRecord(**values)


def test_bundle_holds_every_resource_with_its_required_elements_and_resolvable_references():
    bundle = fhir.person_bundle(make_record())
    assert bundle["resourceType"] == "Bundle" and bundle["type"] == "collection"
    urls = {entry["fullUrl"] for entry in bundle["entry"]}
    assert len(urls) == len(bundle["entry"])
    kinds = [entry["resource"]["resourceType"] for entry in bundle["entry"]]
    assert kinds.count("Patient") == 1
    assert kinds.count("Observation") == 15
    assert {"QuestionnaireResponse", "RiskAssessment", "CarePlan", "Flag"} <= set(kinds)
    for entry in bundle["entry"]:
        resource = entry["resource"]
        for element in REQUIRED[resource["resourceType"]]:
            assert resource.get(element), (resource["resourceType"], element)
        for ref in [resource.get("subject", {}).get("reference")] + [b["reference"] for b in resource.get("basis", [])]:
            assert ref is None or ref in urls


def test_pain_observations_use_loinc_and_keep_values():
    bundle = fhir.person_bundle(make_record())
    observations = [e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == "Observation"]
    assert all(o["code"]["coding"][0] == {**o["code"]["coding"][0], "system": "http://loinc.org", "code": "72514-3"}
               for o in observations)
    assert [o["valueInteger"] for o in observations][:4] == [6, 6, 6, 5]
    assert observations[-1]["code"]["text"] == "Pain during exercise"


def test_screening_answers_keep_their_types_and_risk_follows_level():
    bundle = fhir.person_bundle(make_record())
    response = next(e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == "QuestionnaireResponse")
    answers = {item["linkId"]: item["answer"][0] for item in response["item"]}
    assert answers["bladder_change"] == {"valueBoolean": False}
    assert answers["age"] == {"valueInteger": 44}
    assert answers["onset_weeks"] == {"valueDecimal": 2.5}
    assert answers["radiation"] == {"valueString": "buttock"}
    risk = next(e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == "RiskAssessment")
    assert risk["prediction"][0]["qualitativeRisk"]["coding"][0]["code"] == "moderate"


def _empties(value, path="$"):
    """Paths of empty strings, arrays and objects: FHIR JSON allows none of them."""
    if value in ("", [], {}) or (isinstance(value, str) and not value.strip()):
        yield path
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _empties(item, f"{path}.{key}")
    elif isinstance(value, list):
        for n, item in enumerate(value):
            yield from _empties(item, f"{path}[{n}]")


def test_an_unanswered_question_is_an_item_without_an_answer():
    """An answer of None used to be sent as the text "None", and an empty one as "" (invalid)."""
    screening = ScreeningEntry(T0, {"age": 40, "radiation": None, "notes": "  "}, "clear", ())
    bundle = fhir.person_bundle(make_record(screenings=(screening,)))
    response = next(e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == "QuestionnaireResponse")
    assert response["item"] == [{"linkId": "age", "answer": [{"valueInteger": 40}]},
                                {"linkId": "notes"}, {"linkId": "radiation"}]


def test_a_record_fhir_cannot_carry_fails_loudly_instead_of_exporting_malformed_data():
    from pydantic import ValidationError

    with pytest.raises(ValidationError, match="effectiveDateTime"):
        fhir.person_bundle(make_record(pain=(PainPoint(datetime(2026, 11, 2, 8, 0), 4),)))  # no time zone


def test_export_is_stable_and_omits_care_plan_without_program():
    assert fhir.person_bundle(make_record()) == fhir.person_bundle(make_record())
    bundle = fhir.person_bundle(make_record(phase=None, alerts=()))
    assert "CarePlan" not in {e["resource"]["resourceType"] for e in bundle["entry"]}


def test_pdf_report_has_four_pages_and_png_chart_is_an_image():
    pdf = report.report_pdf(make_record())
    assert pdf.startswith(b"%PDF")
    assert pdf.count(b"/Type /Page") - pdf.count(b"/Type /Pages") == 4
    png = report.pain_chart_png(make_record())
    assert png.startswith(b"\x89PNG")
    from matplotlib.image import imread

    from backcoach.exports import charts

    height, width = imread(io.BytesIO(png)).shape[:2]
    assert width == 700 and abs(height - 700 * charts.H / charts.W) <= 1  # the pages' chart, 7 inches at 100 dpi


def test_reports_render_for_a_person_with_no_data_yet():
    empty = make_record(screenings=(), pain=(), decisions=(), phase=None, prescriptions=(), adherence=(),
                        alerts=(), baseline=None, program_started=None)
    assert report.report_pdf(empty).startswith(b"%PDF")
    assert report.pain_chart_png(empty).startswith(b"\x89PNG")


def test_pdf_report_prints_dollar_signs_in_names_and_notes_as_typed():
    """Issue 10, finding 8: a `$…$` pair in a name or note went to matplotlib's formula parser (500)."""
    record = make_record(
        display_name=r"Ana $\notacommand{x}$ 50$",
        decisions=(DecisionEntry(T0 + timedelta(days=4), "glute_bridge", "hold",
                                 (r"Clinician note: costs $5 and $\frac{1}{$ too", "^_{}$$"), source="clinician"),),
        alerts=({"code": "x", "message": r"$\alpha$ lower"},),
        prescriptions=({"exercise_id": "glute_bridge", "description": r"2 x $10$ \bad"},),
    )
    pdf = report.report_pdf(record)
    assert pdf.startswith(b"%PDF")
    assert pdf.count(b"/Type /Page") - pdf.count(b"/Type /Pages") >= 3
    series = (OutcomeSeries("x", r"Title $\nope$", 0, 10, True, ((T0, 4.0), (T0 + timedelta(weeks=2), 6.5)),
                            2.0, 6.0, r"Walking $\frac{$ better"),)
    assert report.report_pdf(make_record(display_name="$x$", outcome_series=series)).startswith(b"%PDF")


OUTCOMES = (
    OutcomeEntry(T0, "psfs", "Activities that matter to you", 1,
                 {"activities": [{"name": "Lifting my son", "rating": 3}, {"name": "Gardening", "rating": 5}]}, 4.0),
    OutcomeEntry(T0, "pain_score", "Usual pain", 1, {"usual_pain": 6}, 6.0, "moderate"),
)
SERIES = (OutcomeSeries("psfs", "Activities score", 0, 10, True,
                        ((T0, 4.0), (T0 + timedelta(weeks=2), 6.5)), 2.0, 6.0, "Activities score: 6.5, from 4."),)


def test_outcomes_export_as_questionnaire_responses_with_a_score_observation():
    bundle = fhir.person_bundle(make_record(outcomes=OUTCOMES, outcome_series=SERIES))
    by_url = {e["fullUrl"]: e["resource"] for e in bundle["entry"]}
    scores = [r for r in by_url.values() if r["resourceType"] == "Observation" and "valueQuantity" in r]
    assert [s["valueQuantity"]["value"] for s in scores] == [4.0, 6.0]
    for s in scores:
        response = by_url[s["derivedFrom"][0]["reference"]]
        assert response["resourceType"] == "QuestionnaireResponse" and response["status"] == "completed"
        assert response["questionnaire"].endswith(("psfs|1", "pain_score|1"))
    psfs = by_url[scores[0]["derivedFrom"][0]["reference"]]
    nested = psfs["item"][0]["item"]
    assert [(i["text"], i["answer"][0]["valueInteger"]) for i in nested] == [("Lifting my son", 3), ("Gardening", 5)]
    assert scores[1]["interpretation"] == [{"text": "moderate"}]
    assert {"system": "http://loinc.org", "code": "72514-3"} in scores[1]["code"]["coding"]


def test_pdf_report_draws_outcome_trends():
    with_outcomes = report.report_pdf(make_record(outcomes=OUTCOMES, outcome_series=SERIES))
    without = report.report_pdf(make_record())
    assert with_outcomes.startswith(b"%PDF") and len(with_outcomes) > len(without)


EMPTY = dict(screenings=(), pain=(), decisions=(), phase=None, prescriptions=(), adherence=(), alerts=(),
             baseline=None, program_started=None)


@pytest.mark.parametrize("overrides", [
    {},
    {"outcomes": OUTCOMES, "outcome_series": SERIES},
    EMPTY,
    {"decisions": (), "prescriptions": ()},
], ids=["full", "with-outcomes", "empty", "program-without-decisions"])
def test_every_bundle_parses_as_fhir_and_holds_no_empty_element(overrides):
    """The bundle read back by an independent parse (fhir.resources' Bundle from the JSON text)
    gives the same data, and has no empty string or array (a program with no decisions yet
    used to send `"note": []`, which FHIR JSON forbids)."""
    from fhir.resources.R4B.bundle import Bundle

    bundle = fhir.person_bundle(make_record(**overrides))
    text = json.dumps(bundle)
    assert Bundle.model_validate_json(text).model_dump(mode="json") == bundle
    assert list(_empties(bundle)) == []
