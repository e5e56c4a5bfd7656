"""/docs: the OpenAPI description rendered as a plain HTML page (no CDN, no JavaScript)."""

from __future__ import annotations

import json
from typing import Any

from fastapi import APIRouter

from backcoach.web.pages import AnyPage

router = APIRouter()


def _ref_name(schema: dict[str, Any]) -> str | None:
    ref = schema.get("$ref")
    return ref.rsplit("/", 1)[-1] if ref else None


def _type_text(schema: dict[str, Any]) -> str:
    if not schema:
        return "any"
    if "$ref" in schema:
        return _ref_name(schema) or "object"
    if "anyOf" in schema:
        return " or ".join(_type_text(s) for s in schema["anyOf"])
    if "enum" in schema:
        return " | ".join(json.dumps(v) for v in schema["enum"])
    if "const" in schema:
        return json.dumps(schema["const"])
    t = schema.get("type", "object")
    if t == "array":
        return f"list of {_type_text(schema.get('items', {}))}"
    bounds = []
    for k, sym in (("minimum", "≥"), ("maximum", "≤"), ("minLength", "min length"), ("maxLength", "max length")):
        if k in schema:
            bounds.append(f"{sym} {schema[k]}")
    return t + (f" ({', '.join(bounds)})" if bounds else "")


@router.get("/docs")
def docs(ctx: AnyPage):
    spec = ctx.request.app.openapi()
    ops = []
    for path, item in spec.get("paths", {}).items():
        for method, op in item.items():
            body = (op.get("requestBody") or {}).get("content", {}).get("application/json", {}).get("schema")
            ops.append({
                "method": method.upper(), "path": path, "summary": op.get("summary", ""),
                "description": op.get("description", ""), "tag": (op.get("tags") or ["other"])[0],
                "params": [{"name": p["name"], "in": p["in"], "required": p.get("required", False),
                            "type": _type_text(p.get("schema", {})), "description": p.get("description", "")}
                           for p in op.get("parameters", [])],
                "body": _ref_name(body) if body else None,
                "responses": sorted(op.get("responses", {}).keys()),
            })
    schemas = []
    for name, schema in spec.get("components", {}).get("schemas", {}).items():
        if name in ("HTTPValidationError", "ValidationError"):
            continue
        required = set(schema.get("required", []))
        schemas.append({"name": name, "fields": [
            {"name": f, "type": _type_text(s), "required": f in required, "description": s.get("description", "")}
            for f, s in schema.get("properties", {}).items()]})
    return ctx.render("docs.html", info=spec.get("info", {}), ops=ops, schemas=schemas)
