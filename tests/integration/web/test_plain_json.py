"""API routes return plain data as PlainJSONResponse (made in the route's thread) instead of
letting FastAPI validate and serialize a ``dict[str, Any]``: the bytes and the documented
schema must stay what FastAPI would have produced."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from pydantic import TypeAdapter

from backcoach.web.deps import PlainJSONResponse


def _fastapi_bytes(annotation: Any, value: Any) -> bytes:
    """What FastAPI sends for a route annotated ``-> annotation`` that returns ``value``."""
    adapter = TypeAdapter(annotation)
    return adapter.dump_json(adapter.validate_python(value, from_attributes=True), by_alias=True)


def test_same_bytes_as_fastapi_for_plain_data():
    value = {"at": dt.datetime(2026, 11, 2, 9, 30, tzinfo=dt.timezone.utc), "on": dt.date(2026, 11, 2),
             "small": 1e-7, "big": 1e16, "half": 0.5, "nan": float("nan"), "pair": (1, 2), "none": None,
             "text": "Grüße \u2028 <b>", "nested": [{"ok": True, "n": 3}]}
    assert PlainJSONResponse(value).body == _fastapi_bytes(dict[str, Any], value)
    assert PlainJSONResponse([value]).body == _fastapi_bytes(list[dict[str, Any]], [value])
    assert json.loads(PlainJSONResponse(value).body)["nan"] is None  # valid JSON, as FastAPI sends it


def test_routes_keep_their_documented_schema_and_status(app):
    paths = app.openapi()["paths"]
    listed = paths["/api/pain"]["get"]["responses"]["200"]["content"]["application/json"]["schema"]
    assert listed["type"] == "array" and listed["items"] == {"type": "object", "additionalProperties": True}
    created = paths["/api/sessions"]["post"]["responses"]
    assert "201" in created and created["201"]["content"]["application/json"]["schema"]["type"] == "object"
    assert paths["/api/progress"]["get"]["responses"]["200"]["content"]["application/json"]["schema"]["type"] == "object"
