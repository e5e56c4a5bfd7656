"""The API's request models, built from the declared input fields (``domain.inputs``).

Pydantic at the edge, the spec inside: each model's fields (types, bounds, labels) are
generated from the spec, so ``/openapi.json`` documents every answer with its bounds, and
one validator hands the whole body to ``domain.fields.validate``, so a mistake gets the
same words as in the forms, the CLI and the files (each problem keyed by its field).
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal, Mapping, Optional, Union

from pydantic import BaseModel, ConfigDict, Field, ValidationError, create_model, model_validator
from pydantic_core import InitErrorDetails, PydanticCustomError

from backcoach.domain.fields import FieldSpec, Spec, validate
from backcoach.domain.inputs import ADJUSTMENT, ASSESSMENT, CHECKIN, SCREENING, SESSION, SESSION_ENTRY

_BASE: dict[str, Any] = {"bool": bool, "int": int, "number": float, "text": str}


def _annotation(field: FieldSpec) -> Any:
    """The field's type for the schema: bounds, length and choices as JSON Schema keywords.

    Strict, so that pydantic's own (fast) check never accepts what the spec refuses: no
    "5" for a number, no 1 for yes, no NaN or infinity."""
    base = Literal[field.choices] if field.kind == "choice" else _BASE[field.kind]  # type: ignore[valid-type]
    limits: dict[str, Any] = {"strict": True} if field.kind != "choice" else {}  # a Literal is exact already
    if field.kind in ("int", "number"):
        limits.update(ge=field.low, le=field.high)
    if field.kind == "number":
        limits.update(allow_inf_nan=False)
    elif field.kind == "text":
        limits.update(min_length=field.low, max_length=field.max_length)
    one: Any = Annotated[base, Field(**{k: v for k, v in limits.items() if v is not None})]
    kind = Union[one, list[one]] if field.per_set else one  # type: ignore[valid-type]
    return kind if field.required else Optional[kind]


def _description(field: FieldSpec) -> str:
    return field.label + (" One value for every set, or one per set." if field.per_set else "")


def checked_by(spec: Spec, extra: tuple[str, ...] = ()) -> Any:
    """A model validator that gives the spec's words to every mistake in the spec's fields.

    Why pydantic first: a good body (nearly every request) is checked by pydantic's compiled
    validators at no cost over a hand-written model (``benchmarks/bench_web.py`` logs sessions
    through this path); only a body that fails is read again by ``domain.fields.validate``,
    whose problems replace pydantic's for the spec's fields. A whole number sent as 5.0, which
    the spec accepts and strict pydantic does not, is converted by the spec and checked again."""

    def check(cls: type[BaseModel], data: Any, handler: Any) -> Any:
        try:
            return handler(data)
        except ValidationError:
            result = validate(spec, data, extra=extra)
            if not result.problems:
                return handler({**data, **result.values})  # the spec's conversions; other fields' errors stay
            raise ValidationError.from_exception_data(cls.__name__, [
                InitErrorDetails(type=PydanticCustomError("invalid_answer", message),
                                 loc=(key,) if key else (), input=data.get(key) if isinstance(data, Mapping) else data)
                for key, message in result.problems.items()]) from None

    return model_validator(mode="wrap")(classmethod(check))  # type: ignore[arg-type]


def model_from_spec(name: str, spec: Spec, doc: str, extra: dict[str, Any] | None = None) -> type[BaseModel]:
    """A pydantic model whose fields are the spec's (plus ``extra``: name -> (type, default)),
    checked by the spec; unknown keys are refused with the spec's words."""
    fields: dict[str, Any] = {
        f.name: (_annotation(f), Field(... if f.required else None, description=_description(f),
                                       json_schema_extra={"x-unit": f.unit} if f.unit else None))
        for f in spec
    }
    fields.update(extra or {})
    return create_model(  # type: ignore[call-overload,no-any-return]
        name, __config__=ConfigDict(extra="forbid"), __doc__=doc,
        __validators__={"_spec": checked_by(spec, tuple(extra or ()))}, **fields)


ScreeningAnswersIn = model_from_spec(
    "ScreeningAnswersIn", SCREENING,
    "The safety-check answers; leave a question out (or null) if not answered: it is never read as \"no\".")
AssessmentAnswersIn = model_from_spec("AssessmentAnswersIn", ASSESSMENT, "The assessment answers and self-test results.")


class ScreeningIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    answers: ScreeningAnswersIn  # type: ignore[valid-type]


class AssessmentIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    answers: AssessmentAnswersIn  # type: ignore[valid-type]


ExerciseEntry = model_from_spec(
    "ExerciseEntry", SESSION_ENTRY, "One exercise of a logged session.",
    extra={"faults": (list[str], Field(default_factory=list, max_length=20,
                                       description="Fault ids of the exercise (from the catalog or the camera)"))})

SessionIn = model_from_spec(
    "SessionIn", tuple(f for f in SESSION if f.name != "idempotency_key"),
    "A logged session (the idempotency key comes as a header).",
    extra={"performed_on": (Optional[dt.date], None),
           "exercises": (list[ExerciseEntry], Field(min_length=1, max_length=20))})  # type: ignore[valid-type]


PainIn = model_from_spec("PainIn", CHECKIN, "A pain check-in (daily, or the next-morning question).")

AdjustmentIn = model_from_spec(
    "AdjustmentIn", ADJUSTMENT, "A clinician's change to a person's program.",
    extra={"confirm": (bool, Field(default=False, description="Save a change that goes beyond the program's rules "
                                                               "(answered 409 with its warnings when false)"))})


def answers_of(body: BaseModel) -> dict[str, Any]:
    """The checked answers as the services take them (left-out questions stay left out)."""
    return body.model_dump(exclude_none=True, mode="json")
