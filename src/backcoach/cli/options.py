"""Typed command options, read by a declared field (``domain.fields``).

Why: an option such as ``checkin --pain`` is the same answer as the form's and the API's
pain field, so a wrong value must get the same words ("Enter a whole number from 0 to 10."),
not click's or pydantic's own ("Input should be a valid integer"). Options that are not part
of an input (``simulate --days``, ``serve --port``) declare a field beside their command, so
their mistakes are worded the same way too.
"""

from __future__ import annotations

from typing import Any

import typer

from backcoach.cli.prompts import hint
from backcoach.domain.fields import MISSING, FieldProblem, FieldSpec


def field_option(field: FieldSpec, default: Any, *names: str, **kw: Any) -> Any:
    """A ``typer.Option`` whose text is parsed by ``field.parse_text``; a mistake ends the command
    with the field's rule (exit status 2). An empty value is "not given": ``MISSING`` for a needed field."""

    def parse(raw: Any) -> Any:
        if not isinstance(raw, str):  # the default, not something typed
            return raw
        try:
            value = field.parse_text(raw)
        except FieldProblem as exc:
            raise typer.BadParameter(exc.message) from None
        if value is None and field.required:
            raise typer.BadParameter(MISSING)
        return value

    return typer.Option(default, *names, parser=parse, metavar=hint(field), **kw)
