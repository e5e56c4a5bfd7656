"""Declared input fields: each input is declared once, and each kind of mistake has one wording.

Why: the same answers come in through the CLI prompts, the web forms, the JSON API and
the data files (screening answers, the assessment, a session log, a pain check-in).
Each field is declared here once (what kind of value, its bounds, whether it is needed,
its plain-language label), and every surface checks it with :meth:`FieldSpec.check`
(JSON values) or :meth:`FieldSpec.parse_text` (what a person typed). A mistake gets the
words of :meth:`FieldSpec.rule` wherever it was made; only the place it names differs
(a form shows the label, a file or the API the key).

A spec is a tuple of :class:`FieldSpec`; adding a question is adding one line to it.
Pure: no I/O, no web or CLI types.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Iterable, Literal, Mapping

from .errors import InvalidAnswers

Kind = Literal["bool", "int", "number", "choice", "text"]

MISSING = "Please fill this in."
"""The words for a needed field left empty or left out, on every surface."""

YES = ("yes", "y", "true")
NO = ("no", "n", "false")


class FieldProblem(InvalidAnswers):
    """One field's value breaks its rule; ``message`` is the rule's words, ``field`` the key."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}" if field else message)
        self.field = field
        self.message = message


@dataclass(frozen=True)
class FieldSpec:
    """One input field.

    ``kind``: ``bool`` (yes/no), ``int`` (a whole number from ``low`` to ``high``),
    ``number`` (any finite number from ``low`` to ``high``), ``choice`` (one of
    ``choices``) or ``text`` (at most ``max_length`` characters). ``high`` None means no
    upper bound. ``per_set``: one value, or a list with one value per set (session logs).
    """

    name: str
    kind: Kind
    label: str
    required: bool = False
    low: float | None = None
    high: float | None = None
    choices: tuple[str, ...] = ()
    max_length: int | None = None
    unit: str = ""
    help: str = ""
    per_set: bool = False

    def rule(self) -> str:
        """What a valid answer looks like, as the one message for a value that breaks it."""
        if self.kind == "bool":
            return "Answer yes or no."
        if self.kind == "choice":
            return f"Choose one of: {', '.join(self.choices)}."
        if self.kind == "text":
            if self.low:
                return f"Enter a text of {self.low:g} to {self.max_length} characters."
            return f"Enter a text of at most {self.max_length} characters."
        what = "a whole number" if self.kind == "int" else "a number"
        low = 0 if self.low is None else self.low
        if self.high is None or math.isinf(self.high):
            return f"Enter {what}, {low:g} or more."
        return f"Enter {what} from {low:g} to {self.high:g}."

    def problem(self, message: str | None = None) -> FieldProblem:
        return FieldProblem(self.name, message or self.rule())

    def check(self, value: Any) -> Any:
        """A JSON value (data files, the API, stored answers) in its checked form; None stays None.

        Strict about types: ``"5"`` is not a number here (a form's text goes through
        :meth:`parse_text`); an integral float such as ``5.0`` is a whole number."""
        if value is None:
            return None
        if self.kind == "bool":
            if not isinstance(value, bool):
                raise self.problem()
            return value
        if self.kind == "choice":
            if not isinstance(value, str) or value not in self.choices:
                raise self.problem()
            return value
        if self.kind == "text":
            if (not isinstance(value, str) or (self.max_length is not None and len(value) > self.max_length)
                    or (self.low is not None and len(value) < self.low)):
                raise self.problem()
            return value
        if isinstance(value, bool) or not isinstance(value, (int, float)) or (
                isinstance(value, float) and not math.isfinite(value)):
            raise self.problem()  # (a huge int is compared as it is: math.isfinite would overflow on it)
        if self.kind == "int" and isinstance(value, float) and not value.is_integer():
            raise self.problem()
        if (self.low is not None and value < self.low) or (self.high is not None and value > self.high):
            raise self.problem()
        if self.kind == "int":
            return int(value)
        try:
            return float(value)
        except OverflowError:  # a whole number too large to be a float (no upper bound was set)
            raise self.problem() from None

    def parse_text(self, raw: str) -> Any:
        """What a person typed (a form field, a CLI answer) in its checked form; empty is None."""
        text = raw.strip()
        if text == "":
            return None
        if self.kind == "bool":
            if text.lower() in YES:
                return True
            if text.lower() in NO:
                return False
            raise self.problem()
        if self.kind in ("choice", "text"):
            return self.check(text)
        try:
            value: Any = int(text) if self.kind == "int" else float(text.replace(",", "."))
        except ValueError:
            raise self.problem() from None
        return self.check(value)

    def check_per_set(self, value: Any, sets: int) -> tuple[Any, ...]:
        """One value for every set, or a list with one value per set (each checked)."""
        if isinstance(value, (list, tuple)):
            if len(value) != sets:
                raise self.problem(per_set_message(sets))
            values = tuple(self.check(v) for v in value)
        else:
            values = tuple(self.check(value) for _ in range(sets))
        if any(v is None for v in values):
            raise self.problem()
        return values

    def parse_text_per_set(self, raw: str) -> Any:
        """Typed values separated by spaces, commas or semicolons (so no decimal comma here): one value, or a list."""
        parts = raw.replace(";", " ").replace(",", " ").split()
        if not parts:
            return None
        values = [self.parse_text(p) for p in parts]
        return values[0] if len(values) == 1 else values


def per_set_message(sets: int) -> str:
    return f"Give one value for each set ({sets} {'set' if sets == 1 else 'sets'}), or one value for all."


def unknown_message(known: Iterable[str]) -> str:
    return f"This is not something we ask for. Known: {', '.join(known)}."


Spec = tuple[FieldSpec, ...]


def by_name(spec: Spec) -> dict[str, FieldSpec]:
    return {f.name: f for f in spec}


def field_of(spec: Spec, name: str) -> FieldSpec:
    for f in spec:
        if f.name == name:
            return f
    raise KeyError(name)


@dataclass(frozen=True)
class Checked:
    """The checked values (only the fields given) and one message per field that needs attention."""

    values: dict[str, Any]
    problems: dict[str, str]

    def raise_problems(self, where: str = "") -> dict[str, Any]:
        """The values, or :class:`InvalidAnswers` naming every field (``where`` prefixes the keys)."""
        if self.problems:
            raise InvalidAnswers(" ".join(f"{where}{k}: {m}" for k, m in self.problems.items()),
                                 problems={f"{where}{k}": m for k, m in self.problems.items()})
        return self.values


def validate(spec: Spec, data: Mapping[str, Any], *, text: bool = False, extra: Iterable[str] = ()) -> Checked:
    """Check a mapping against a spec: unknown keys, needed fields, every value's rule.

    ``text``: the values are what a person typed (a form); empty means not given.
    ``extra``: keys the caller checks itself (they are neither refused nor returned)."""
    if not isinstance(data, Mapping):
        return Checked({}, {"": f"Expected a set of answers: {', '.join(f.name for f in spec)}."})
    fields = by_name(spec)
    allowed = [*fields, *extra]
    values: dict[str, Any] = {}
    problems: dict[str, str] = {}
    for key in data:
        if key not in allowed:
            problems[str(key)] = unknown_message(allowed)
    for f in spec:
        raw = data.get(f.name)
        try:
            if raw is None:
                value = None
            elif text:
                if not isinstance(raw, str):
                    raise f.problem()
                value = f.parse_text_per_set(raw) if f.per_set else f.parse_text(raw)
            elif f.per_set and isinstance(raw, (list, tuple)):
                value = [f.check(v) for v in raw]
                if any(v is None for v in value):
                    raise f.problem()
            else:
                value = f.check(raw)
        except FieldProblem as exc:
            problems[f.name] = exc.message
            continue
        if value is None:
            if f.required:
                problems[f.name] = MISSING
            continue
        values[f.name] = value
    return Checked(values, problems)


def check_value(field: FieldSpec, value: Any, where: str = "") -> Any:
    """``field.check`` with the place named for a data file (``days[2].pain_now``); a needed
    field must not be None."""
    try:
        checked = field.check(value)
    except FieldProblem as exc:
        raise FieldProblem(where or field.name, exc.message) from None
    if checked is None and field.required:
        raise FieldProblem(where or field.name, MISSING)
    return checked
