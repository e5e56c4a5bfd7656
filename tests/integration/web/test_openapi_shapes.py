"""Every JSON answer of the API is documented with its shape in /openapi.json (issue 13):
a client generated from the document knows each field, and schemathesis
(test_schemathesis.py) checks the answers against it."""

from __future__ import annotations

from typing import Any

# A JSON object whose keys are data, not names (documented as such on purpose): none today.
FREE_FORM_ON_PURPOSE: set[tuple[str, str, str]] = set()


def _resolve(schema: dict[str, Any], components: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in schema:
        schema = components[schema["$ref"].rsplit("/", 1)[1]]
    return schema


def _untyped(schema: dict[str, Any], components: dict[str, Any]) -> bool:
    """An object with no named properties (``dict[str, Any]``, ``dict``), or an array of them."""
    schema = _resolve(schema, components)
    if "anyOf" in schema or "oneOf" in schema:
        return any(_untyped(s, components) for s in schema.get("anyOf", schema.get("oneOf", [])))
    if schema.get("type") == "array":
        return _untyped(schema.get("items", {}), components)
    if schema.get("type") == "object" or not schema:
        return not schema.get("properties")
    return False


def _json_answers(openapi: dict[str, Any]):
    for path, item in openapi["paths"].items():
        for method, op in item.items():
            for status, answer in op.get("responses", {}).items():
                if status.startswith("2"):
                    for media, content in (answer.get("content") or {}).items():
                        if media == "application/json":
                            yield path, method, status, content.get("schema", {})


def test_every_json_answer_of_the_api_names_its_fields(app):
    openapi = app.openapi()
    components = openapi.get("components", {}).get("schemas", {})
    answers = [(path, method, status, schema) for path, method, status, schema in _json_answers(openapi)
               if path.startswith("/api/")]
    assert len(answers) > 30  # the walk sees the API
    untyped = [f"{method.upper()} {path} {status}" for path, method, status, schema in answers
               if _untyped(schema, components) and (path, method, status) not in FREE_FORM_ON_PURPOSE]
    assert untyped == [], "answers documented as an untyped object:\n" + "\n".join(untyped)


def test_the_documented_models_name_their_fields(app):
    """Each named model of an answer has properties (a model is never an empty object)."""
    openapi = app.openapi()
    components = openapi["components"]["schemas"]
    empty = [name for name, schema in components.items()
             if schema.get("type") == "object" and not schema.get("properties") and "additionalProperties" not in schema]
    assert empty == []


def test_the_walk_would_see_an_untyped_answer():
    """The check itself: ``dict[str, Any]`` (and a list of them, or an optional one) counts as untyped."""
    loose = {"type": "object", "additionalProperties": True}
    assert _untyped(loose, {})
    assert _untyped({"type": "array", "items": loose}, {})
    assert _untyped({"anyOf": [loose, {"type": "null"}]}, {})
    assert _untyped({}, {})
    assert not _untyped({"$ref": "#/components/schemas/X"}, {"X": {"type": "object", "properties": {"a": {}}}})
