"""HL7 FHIR R4 export of one person's record, as a `collection` Bundle.

Other clinical systems read FHIR, so a clinician can bring backcoach data into the
record they already keep. Codes: pain scores use LOINC 72514-3 (pain severity 0-10,
reported); everything backcoach-specific uses codes under our own system URL.
"""
from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from backcoach.exports.record import PersonRecord

BACKCOACH_SYSTEM = "https://backcoach.example/fhir/CodeSystem"
LOINC = "http://loinc.org"
PAIN_LOINC = "72514-3"
_SCREENING_RISK = {
    "emergency": ("high", "Seek emergency care now"),
    "urgent": ("high", "See a doctor within 24 hours"),
    "see_clinician": ("moderate", "Book a review with a clinician"),
    "clear": ("low", "No warning sign found"),
}
SURVEY = [{"coding": [{"system": "http://terminology.hl7.org/CodeSystem/observation-category", "code": "survey"}]}]
_PAIN_KIND_TEXT = {
    "daily": "Pain now (daily check-in)",
    "during": "Pain during exercise",
    "next_morning": "Pain the morning after exercise",
}


def _iso(at: datetime) -> str:
    return at.isoformat()


def _urn(namespace: str, *parts: object) -> str:
    """A stable urn:uuid, so exporting the same record twice gives the same ids."""
    return "urn:uuid:" + str(uuid.uuid5(uuid.NAMESPACE_URL, "/".join([namespace, *map(str, parts)])))


def _entry(full_url: str, resource: dict[str, Any]) -> dict[str, Any]:
    return {"fullUrl": full_url, "resource": resource}


def person_bundle(record: PersonRecord) -> dict[str, Any]:
    """Build the Bundle: Patient, screenings (QuestionnaireResponse + RiskAssessment),
    pain scores (Observation), outcome questionnaires (QuestionnaireResponse + an Observation
    of the score), the program (CarePlan) and open alerts (Flag)."""
    ns = f"backcoach/person/{record.person_id}"
    patient_url = _urn(ns, "patient")
    subject = {"reference": patient_url, "display": record.display_name}
    entries = [
        _entry(patient_url, {
            "resourceType": "Patient",
            "identifier": [{"system": f"{BACKCOACH_SYSTEM}/person-id", "value": str(record.person_id)}],
            "name": [{"text": record.display_name}],
        })
    ]
    for index, screening in enumerate(record.screenings):
        response_url = _urn(ns, "screening", index)
        entries.append(_entry(response_url, _questionnaire_response(
            "red-flag-screening", subject, screening.at,
            [_answer_item(key, value) for key, value in sorted(screening.answers.items())])))
        risk, text = _SCREENING_RISK[screening.level]
        entries.append(_entry(_urn(ns, "risk", index), {
            "resourceType": "RiskAssessment",
            "status": "final",
            "subject": subject,
            "occurrenceDateTime": _iso(screening.at),
            "basis": [{"reference": response_url}],
            "prediction": [{
                "outcome": {"text": "Serious spinal pathology needing medical care"},
                "qualitativeRisk": {
                    "coding": [{"system": "http://terminology.hl7.org/CodeSystem/risk-probability", "code": risk}],
                    "text": text,
                },
            }],
            "note": [{"text": f"[{r['level']}] {r['item']}: {r['message']}"} for r in screening.reasons],
        }))
    for index, point in enumerate(record.pain):
        entries.append(_entry(_urn(ns, "pain", index), {
            "resourceType": "Observation",
            "status": "final",
            "category": SURVEY,
            "code": {
                "coding": [{"system": LOINC, "code": PAIN_LOINC,
                            "display": "Pain severity - 0-10 verbal numeric rating [Score] - Reported"}],
                "text": _PAIN_KIND_TEXT.get(point.kind, "Pain score"),
            },
            "subject": subject,
            "effectiveDateTime": _iso(point.at),
            "valueInteger": point.nprs,
        }))
    for index, outcome in enumerate(record.outcomes):
        response_url = _urn(ns, "outcome", index)
        entries.append(_entry(response_url, _questionnaire_response(
            f"{outcome.instrument}|{outcome.version}", subject, outcome.at, _outcome_items(outcome.answers))))
        code = {"coding": [{"system": f"{BACKCOACH_SYSTEM}/outcome", "code": outcome.instrument,
                            "display": outcome.title}], "text": outcome.title}
        if outcome.instrument == "pain_score":
            code["coding"].append({"system": LOINC, "code": PAIN_LOINC})
        observation: dict[str, Any] = {
            "resourceType": "Observation",
            "status": "final",
            "category": SURVEY,
            "code": code,
            "subject": subject,
            "effectiveDateTime": _iso(outcome.at),
            "valueQuantity": {"value": outcome.score, "unit": "score", "system": "http://unitsofmeasure.org",
                              "code": "{score}"},
            "derivedFrom": [{"reference": response_url}],
        }
        if outcome.band:
            observation["interpretation"] = [{"text": outcome.band}]
        entries.append(_entry(_urn(ns, "outcome-score", index), observation))
    if record.phase is not None:
        entries.append(_entry(_urn(ns, "careplan"), _care_plan(record, subject)))
    for index, alert in enumerate(record.alerts):
        entries.append(_entry(_urn(ns, "flag", index), {
            "resourceType": "Flag",
            "status": "active",
            "code": {
                "coding": [{"system": f"{BACKCOACH_SYSTEM}/alert", "code": str(alert.get("code", "alert"))}],
                "text": str(alert.get("message", "")),
            },
            "subject": subject,
        }))
    return {
        "resourceType": "Bundle",
        "type": "collection",
        "timestamp": _iso(record.generated_at),
        "entry": entries,
    }


def _questionnaire_response(questionnaire: str, subject: dict[str, Any], at: datetime,
                            items: list[dict[str, Any]]) -> dict[str, Any]:
    return {"resourceType": "QuestionnaireResponse", "status": "completed",
            "questionnaire": f"{BACKCOACH_SYSTEM}/Questionnaire/{questionnaire}", "subject": subject,
            "authored": _iso(at), "item": items}


def _answer_item(key: str, value: Any) -> dict[str, Any]:
    if isinstance(value, bool):
        answer = {"valueBoolean": value}
    elif isinstance(value, int):
        answer = {"valueInteger": value}
    elif isinstance(value, float):
        answer = {"valueDecimal": value}
    else:
        answer = {"valueString": str(value)}
    return {"linkId": key, "answer": [answer]}


def _outcome_items(answers: dict[str, Any]) -> list[dict[str, Any]]:
    """Questionnaire items; the activities questionnaire nests each named activity with its rating."""
    items = []
    for key, value in answers.items():
        if isinstance(value, list):
            items.append({"linkId": key, "item": [
                {"linkId": f"{key}.{n}", "text": str(a["name"]), "answer": [{"valueInteger": int(a["rating"])}]}
                for n, a in enumerate(value, start=1)]})
        else:
            items.append(_answer_item(key, value))
    return items


def _care_plan(record: PersonRecord, subject: dict[str, Any]) -> dict[str, Any]:
    plan: dict[str, Any] = {
        "resourceType": "CarePlan",
        "status": "active",
        "intent": "plan",
        "title": f"Glute rehabilitation, {record.phase} phase",
        "subject": subject,
        "activity": [
            {"detail": {
                "status": "in-progress",
                "code": {"coding": [{"system": f"{BACKCOACH_SYSTEM}/exercise",
                                     "code": str(p.get("exercise_id"))}]},
                "description": str(p.get("description") or p.get("exercise_id")),
            }}
            for p in record.prescriptions
        ],
        "note": [
            {"time": _iso(d.at), "text": f"{d.exercise_id}: {d.action} ({d.source}) - " + "; ".join(d.reasons)}
            for d in record.decisions
        ],
    }
    if record.program_started is not None:
        plan["period"] = {"start": record.program_started.isoformat()}
    return plan
