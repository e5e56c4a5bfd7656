"""Reading HTML forms into plain values with messages a person can act on.

The rules and their words are the declared fields of ``domain.fields``; a form message
is the field's label, then the same words the API, the CLI and the files use."""

from __future__ import annotations

from typing import Any

from fastapi import Request

from backcoach.domain.fields import MISSING, FieldProblem, FieldSpec
from backcoach.domain.text import InvalidText, is_text


async def form_data(request: Request) -> dict[str, str]:
    """The posted form as str -> str (the last value wins; files are ignored).

    URL-encoded forms were checked for control characters at the edge (web/limits.py);
    multipart ones are checked here, by the same rule."""
    form = await request.form()
    out: dict[str, str] = {}
    for k, v in form.multi_items():
        if isinstance(v, str):
            if not (is_text(k) and is_text(v)):
                raise InvalidText(k)
            out[k] = v.strip()
    return out


def read_field(f: dict[str, str], spec: FieldSpec, key: str | None = None) -> tuple[Any, str | None]:
    """One field of a posted form: (value or None, the message when it needs attention)."""
    raw = f.get(key or spec.name, "")
    try:
        value = spec.parse_text_per_set(raw) if spec.per_set else spec.parse_text(raw)
    except FieldProblem as exc:
        return None, exc.message
    if value is None and spec.required:
        return None, MISSING
    return value, None


class FormProblems(list):
    """Collects one plain message per bad field: "<label>: <the field's rule>"."""

    def field(self, f: dict[str, str], spec: FieldSpec, label: str | None = None) -> Any:
        value, message = read_field(f, spec)
        if message is not None:
            self.append(f"{label or spec.label}: {message}")
        return value
