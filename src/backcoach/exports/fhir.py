"""HL7 FHIR R4 export of one person's record, as a `collection` Bundle.

Other clinical systems read FHIR, so a clinician can bring backcoach data into the
record they already keep. Codes: pain scores use LOINC 72514-3 (pain severity 0-10,
reported); everything backcoach-specific uses codes under our own system URL.

The resources are built with `fhir.resources` models, so every element is checked
against the FHIR definitions as it is built (required elements, types, no empty
strings or arrays); a record that cannot be exported correctly fails here with a
validation error rather than reaching another system malformed. The models are the
library's R4B (4.3.0) package: the library ships no plain R4 (4.0.1) package for
pydantic 2, and R4B changed none of the resources and data types used here (Patient,
QuestionnaireResponse, RiskAssessment, Observation, CarePlan, Flag, Bundle; Coding,
CodeableConcept, Reference, Identifier, HumanName, Annotation, Quantity, Period): their
element lists are the same as in fhir.resources 6.4.0's R4 4.0.1 models (compared
2026-11-29). Cost: building and validating a year of one person's data (395 resources)
takes about 0.6 s (benchmarks/bench_exports.py), against 15 ms for the unchecked dicts it
replaced; an export is rare, and a malformed one is worse than a slow one.
"""
from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from fhir.resources.R4B.annotation import Annotation
from fhir.resources.R4B.bundle import Bundle, BundleEntry
from fhir.resources.R4B.careplan import CarePlan, CarePlanActivity, CarePlanActivityDetail
from fhir.resources.R4B.codeableconcept import CodeableConcept
from fhir.resources.R4B.coding import Coding
from fhir.resources.R4B.flag import Flag
from fhir.resources.R4B.humanname import HumanName
from fhir.resources.R4B.identifier import Identifier
from fhir.resources.R4B.observation import Observation
from fhir.resources.R4B.patient import Patient
from fhir.resources.R4B.period import Period
from fhir.resources.R4B.quantity import Quantity
from fhir.resources.R4B.questionnaireresponse import (
    QuestionnaireResponse,
    QuestionnaireResponseItem,
    QuestionnaireResponseItemAnswer,
)
from fhir.resources.R4B.reference import Reference
from fhir.resources.R4B.resource import Resource
from fhir.resources.R4B.riskassessment import RiskAssessment, RiskAssessmentPrediction

from backcoach.exports.record import OutcomeEntry, PersonRecord

BACKCOACH_SYSTEM = "https://backcoach.example/fhir/CodeSystem"
LOINC = "http://loinc.org"
PAIN_LOINC = "72514-3"
PAIN_LOINC_DISPLAY = "Pain severity - 0-10 verbal numeric rating [Score] - Reported"
_SCREENING_RISK = {
    "emergency": ("high", "Seek emergency care now"),
    "urgent": ("high", "See a doctor within 24 hours"),
    "see_clinician": ("moderate", "Book a review with a clinician"),
    "clear": ("low", "No warning sign found"),
}
_PAIN_KIND_TEXT = {
    "daily": "Pain now (daily check-in)",
    "during": "Pain during exercise",
    "next_morning": "Pain the morning after exercise",
}


def _survey() -> list[CodeableConcept]:
    return [CodeableConcept(coding=[Coding(
        system="http://terminology.hl7.org/CodeSystem/observation-category", code="survey")])]


def _urn(namespace: str, *parts: object) -> str:
    """A stable urn:uuid, so exporting the same record twice gives the same ids."""
    return "urn:uuid:" + str(uuid.uuid5(uuid.NAMESPACE_URL, "/".join([namespace, *map(str, parts)])))


def _text(value: Any) -> str | None:
    """FHIR forbids empty strings: an empty text is left out rather than sent as ""."""
    text = "" if value is None else str(value)
    return text if text.strip() else None


def person_bundle(record: PersonRecord) -> dict[str, Any]:
    """The Bundle as JSON-ready data: Patient, screenings (QuestionnaireResponse +
    RiskAssessment), pain scores (Observation), outcome questionnaires (QuestionnaireResponse +
    an Observation of the score), the program (CarePlan) and open alerts (Flag)."""
    return person_bundle_model(record).model_dump(mode="json")


def person_bundle_model(record: PersonRecord) -> Bundle:
    """The Bundle as a validated `fhir.resources` model."""
    ns = f"backcoach/person/{record.person_id}"
    patient_url = _urn(ns, "patient")
    subject = Reference(reference=patient_url, display=_text(record.display_name))
    entries: list[tuple[str, Resource]] = [(patient_url, Patient(
        identifier=[Identifier(system=f"{BACKCOACH_SYSTEM}/person-id", value=str(record.person_id))],
        name=[HumanName(text=_text(record.display_name))] if _text(record.display_name) else None,
    ))]
    for index, screening in enumerate(record.screenings):
        response_url = _urn(ns, "screening", index)
        entries.append((response_url, _questionnaire_response(
            "red-flag-screening", subject, screening.at,
            [_answer_item(key, value) for key, value in sorted(screening.answers.items())])))
        risk, text = _SCREENING_RISK[screening.level]
        entries.append((_urn(ns, "risk", index), RiskAssessment(
            status="final",
            subject=subject,
            occurrenceDateTime=screening.at,
            basis=[Reference(reference=response_url)],
            prediction=[RiskAssessmentPrediction(
                outcome=CodeableConcept(text="Serious spinal pathology needing medical care"),
                qualitativeRisk=CodeableConcept(
                    coding=[Coding(system="http://terminology.hl7.org/CodeSystem/risk-probability", code=risk)],
                    text=text),
            )],
            note=[Annotation(text=f"[{r['level']}] {r['item']}: {r['message']}") for r in screening.reasons] or None,
        )))
    for index, point in enumerate(record.pain):
        entries.append((_urn(ns, "pain", index), Observation(
            status="final",
            category=_survey(),
            code=CodeableConcept(
                coding=[Coding(system=LOINC, code=PAIN_LOINC, display=PAIN_LOINC_DISPLAY)],
                text=_PAIN_KIND_TEXT.get(point.kind, "Pain score")),
            subject=subject,
            effectiveDateTime=point.at,
            valueInteger=point.nprs,
        )))
    for index, outcome in enumerate(record.outcomes):
        response_url = _urn(ns, "outcome", index)
        entries.append((response_url, _questionnaire_response(
            f"{outcome.instrument}|{outcome.version}", subject, outcome.at, _outcome_items(outcome.answers))))
        entries.append((_urn(ns, "outcome-score", index), _outcome_score(outcome, subject, response_url)))
    if record.phase is not None:
        entries.append((_urn(ns, "careplan"), _care_plan(record, subject)))
    for index, alert in enumerate(record.alerts):
        entries.append((_urn(ns, "flag", index), Flag(
            status="active",
            code=CodeableConcept(
                coding=[Coding(system=f"{BACKCOACH_SYSTEM}/alert", code=str(alert.get("code") or "alert"))],
                text=_text(alert.get("message"))),
            subject=subject,
        )))
    return Bundle(
        type="collection",
        timestamp=record.generated_at,
        entry=[BundleEntry(fullUrl=url, resource=resource) for url, resource in entries],
    )


def _outcome_score(outcome: OutcomeEntry, subject: Reference, response_url: str) -> Observation:
    coding = [Coding(system=f"{BACKCOACH_SYSTEM}/outcome", code=outcome.instrument, display=_text(outcome.title))]
    if outcome.instrument == "pain_score":
        coding.append(Coding(system=LOINC, code=PAIN_LOINC))
    return Observation(
        status="final",
        category=_survey(),
        code=CodeableConcept(coding=coding, text=_text(outcome.title)),
        subject=subject,
        effectiveDateTime=outcome.at,
        valueQuantity=Quantity(value=outcome.score, unit="score", system="http://unitsofmeasure.org", code="{score}"),
        derivedFrom=[Reference(reference=response_url)],
        interpretation=[CodeableConcept(text=outcome.band)] if _text(outcome.band) else None,
    )


def _questionnaire_response(questionnaire: str, subject: Reference, at: datetime,
                            items: list[QuestionnaireResponseItem]) -> QuestionnaireResponse:
    return QuestionnaireResponse(status="completed", questionnaire=f"{BACKCOACH_SYSTEM}/Questionnaire/{questionnaire}",
                                 subject=subject, authored=at, item=items or None)


def _answer_item(key: str, value: Any) -> QuestionnaireResponseItem:
    """One answer, keeping its type. A question left unanswered (None or empty text) is an
    item without an answer, as FHIR has it (not the text "None" or an empty string)."""
    if isinstance(value, bool):
        answer = QuestionnaireResponseItemAnswer(valueBoolean=value)
    elif isinstance(value, int):
        answer = QuestionnaireResponseItemAnswer(valueInteger=value)
    elif isinstance(value, float):
        answer = QuestionnaireResponseItemAnswer(valueDecimal=value)
    elif _text(value) is None:
        return QuestionnaireResponseItem(linkId=key)
    else:
        answer = QuestionnaireResponseItemAnswer(valueString=str(value))
    return QuestionnaireResponseItem(linkId=key, answer=[answer])


def _outcome_items(answers: dict[str, Any]) -> list[QuestionnaireResponseItem]:
    """Questionnaire items; the activities questionnaire nests each named activity with its rating."""
    items = []
    for key, value in answers.items():
        if isinstance(value, list):
            items.append(QuestionnaireResponseItem(linkId=key, item=[
                QuestionnaireResponseItem(linkId=f"{key}.{n}", text=_text(a["name"]), answer=[
                    QuestionnaireResponseItemAnswer(valueInteger=int(a["rating"]))])
                for n, a in enumerate(value, start=1)] or None))
        else:
            items.append(_answer_item(key, value))
    return items


def _care_plan(record: PersonRecord, subject: Reference) -> CarePlan:
    return CarePlan(
        status="active",
        intent="plan",
        title=f"Glute rehabilitation, {record.phase} phase",
        subject=subject,
        period=Period(start=record.program_started) if record.program_started is not None else None,
        activity=[
            CarePlanActivity(detail=CarePlanActivityDetail(
                status="in-progress",
                code=CodeableConcept(coding=[Coding(system=f"{BACKCOACH_SYSTEM}/exercise",
                                                    code=str(p.get("exercise_id")))]),
                description=str(p.get("description") or p.get("exercise_id")),
            ))
            for p in record.prescriptions
        ] or None,
        note=[
            Annotation(time=d.at, text=f"{d.exercise_id}: {d.action} ({d.source}) - " + "; ".join(d.reasons))
            for d in record.decisions
        ] or None,
    )
