"""Reading HTML forms into plain values with messages a person can act on."""

from __future__ import annotations

from typing import Any

from fastapi import Request

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


class FormProblems(list):
    """Collects one plain message per bad field."""

    def int_field(self, f: dict[str, str], key: str, label: str, lo: int, hi: int, required: bool = True) -> int | None:
        raw = f.get(key, "")
        if raw == "":
            if required:
                self.append(f"{label}: please enter a whole number from {lo} to {hi}.")
            return None
        try:
            value = int(raw)
        except ValueError:
            self.append(f"{label}: “{raw[:20]}” is not a whole number; enter one from {lo} to {hi}.")
            return None
        if not lo <= value <= hi:
            self.append(f"{label}: {value} is outside the range {lo} to {hi}.")
            return None
        return value

    def float_field(self, f: dict[str, str], key: str, label: str, lo: float, hi: float, required: bool = True) -> float | None:
        raw = f.get(key, "").replace(",", ".")
        if raw == "":
            if required:
                self.append(f"{label}: please enter a number from {lo:g} to {hi:g}.")
            return None
        try:
            value = float(raw)
        except ValueError:
            self.append(f"{label}: “{raw[:20]}” is not a number; enter one from {lo:g} to {hi:g}.")
            return None
        if not (lo <= value <= hi) or value != value:
            self.append(f"{label}: {raw} is outside the range {lo:g} to {hi:g}.")
            return None
        return value

    def choice_field(self, f: dict[str, str], key: str, label: str, choices: tuple[str, ...], required: bool = True) -> str | None:
        raw = f.get(key, "")
        if raw == "":
            if required:
                self.append(f"{label}: please choose one option.")
            return None
        if raw not in choices:
            self.append(f"{label}: choose one of the options shown.")
            return None
        return raw

    def bool_field(self, f: dict[str, str], key: str, label: str, required: bool = True) -> bool | None:
        raw = f.get(key, "")
        if raw == "":
            if required:
                self.append(f"{label}: please answer yes or no.")
            return None
        if raw not in ("yes", "no", "true", "false"):
            self.append(f"{label}: please answer yes or no.")
            return None
        return raw in ("yes", "true")


def as_dict(values: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in values.items() if v is not None}
