"""Exporting a person's stored record: FHIR bundle and PDF report from real service data."""

from __future__ import annotations

from backcoach import services
from backcoach.services import exports
from svc_helpers import URGENT, days, session_for


def test_record_gathers_screenings_pain_program_and_decisions(uow, onboarded):
    services.log_session(uow, onboarded, session_for(uow, onboarded, days(1), pain_now=4), days(1))
    services.check_in_pain(uow, onboarded, 3, days(2))
    record = exports.person_record(uow, onboarded, days(2, 1))
    assert record.display_name == "Ana"
    assert [s.level for s in record.screenings] == ["clear"]
    assert record.phase == "activation" and record.prescriptions
    assert all(p["description"] for p in record.prescriptions)
    assert {p.nprs for p in record.pain} >= {3, 4}
    assert record.decisions and all(d.reasons for d in record.decisions)


def test_fhir_bundle_reflects_an_urgent_screen_as_high_risk_and_an_alert(uow, onboarded):
    services.record_screening(uow, onboarded, URGENT, days(3))
    bundle = exports.fhir_bundle(uow, onboarded, days(3, 1))
    risks = [e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == "RiskAssessment"]
    assert [r["prediction"][0]["qualitativeRisk"]["coding"][0]["code"] for r in risks] == ["low", "high"]
    flags = [e["resource"]["code"]["coding"][0]["code"] for e in bundle["entry"]
             if e["resource"]["resourceType"] == "Flag"]
    assert "urgent" in flags
    from fhir.resources.R4B.bundle import Bundle

    assert Bundle.model_validate(bundle).model_dump(mode="json") == bundle  # valid FHIR, nothing lost


def test_pdf_report_for_a_stored_person(uow, onboarded):
    assert exports.report_pdf(uow, onboarded, days(1)).startswith(b"%PDF")
    assert exports.pain_chart_png(uow, onboarded, days(1)).startswith(b"\x89PNG")
