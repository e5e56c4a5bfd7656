"""Who a clinician should look at first (DESIGN.md §8): the order of the clinician's list.

Why: a clinician following many people reads the list from the top. An unresolved
emergency outranks everything until a clinician records an assessment, then an urgent
lock, then new symptoms the person reported, then worsening pain or a program paused
for another reason, the six-week rule, and last low adherence and inactivity. A list
item always carries its reason, in the clinician's voice; "nothing needs attention"
is said only when there is truly nothing, never while a lock holds.

Pure: the services pass in what they read (the lock, the new-symptom report, whether
the program is paused and why, the monitoring alerts).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Any, Iterable, Optional

__all__ = ["ATTENTION_ORDER", "AttentionItem", "Attention", "LockSummary", "NewSymptoms", "clinician_attention",
           "clinician_voice", "tone_of"]

# Highest first. Codes are the monitoring alert codes plus "new_symptoms" and "program_paused".
ATTENTION_ORDER: tuple[str, ...] = (
    "emergency", "urgent", "new_symptoms", "worsening", "program_paused", "six_week_rule", "urgent_cleared",
    "see_clinician", "rescreen_due", "low_adherence", "no_recent_activity",
)
LABELS: dict[str, str] = {
    "emergency": "Emergency screen: paused until checked",
    "urgent": "Urgent screen: paused until checked",
    "new_symptoms": "New symptoms reported",
    "worsening": "Worsening pain",
    "program_paused": "Program paused",
    "six_week_rule": "Six-week rule",
    "urgent_cleared": "Urgent screen, assessed",
    "see_clinician": "Review recommended",
    "rescreen_due": "Safety screen due",
    "low_adherence": "Low adherence",
    "no_recent_activity": "No recent activity",
}
_BAD = {"emergency", "urgent", "new_symptoms", "worsening", "program_paused"}
_WARN = {"six_week_rule", "see_clinician", "rescreen_due", "urgent_cleared"}


def tone_of(code: str) -> str:
    """'bad' (act now), 'warn' (act soon) or 'info': the one rule every renderer (web, CLI) uses."""
    return "bad" if code in _BAD else "warn" if code in _WARN else "info"


_VOICE = (
    (r"\bplease answer the screening questions again\b", "they need to answer the safety questions again"),
    (r"\bplease answer the screening questions\b", "they need to answer the safety questions"),
    (r"\bPlease book a consultation\b", "A consultation is recommended"),
    (r"\bplease arrange a review\b", "a review is recommended"),
    (r"\bremind you\b", "remind them"),
    (r"\bYou reported\b", "They reported"),
    (r"\byour\b", "their"),
    (r"\bYour\b", "Their"),
    (r"\b(for|to|with|tell|ask|help) you\b", r"\1 them"),
    (r"\bYou\b", "They"),
    (r"\byou\b", "they"),
)


def clinician_voice(text: str) -> str:
    """A message written to the person, reworded for the clinician reading about them."""
    for pattern, repl in _VOICE:
        text = re.sub(pattern, repl, text)
    return text


@dataclass(frozen=True)
class LockSummary:
    """The standing lock: the urgent/emergency screen no clearance covers yet."""

    level: str  # "emergency" | "urgent"
    on: date
    findings: tuple[str, ...]  # plain-language reasons of that screen
    later_level: Optional[str] = None  # a later, better screen (which does not lift the lock)
    later_on: Optional[date] = None


@dataclass(frozen=True)
class NewSymptoms:
    """A check-in that reported new symptoms after the latest screen."""

    on: date
    nprs: Optional[int]
    note: Optional[str]


@dataclass(frozen=True)
class AttentionItem:
    code: str
    label: str
    message: str
    tone: str

    @property
    def rank(self) -> int:
        return ATTENTION_ORDER.index(self.code) if self.code in ATTENTION_ORDER else len(ATTENTION_ORDER)

    def to_dict(self) -> dict[str, Any]:
        return {"code": self.code, "label": self.label, "message": self.message, "tone": self.tone}


@dataclass(frozen=True)
class Attention:
    """What a clinician should know about one person, most pressing first."""

    items: tuple[AttentionItem, ...]

    @property
    def rank(self) -> int:
        """Position of the most pressing item in ATTENTION_ORDER (smaller = sooner); nothing = last."""
        return min((i.rank for i in self.items), default=len(ATTENTION_ORDER) + 1)

    @property
    def top(self) -> Optional[AttentionItem]:
        return self.items[0] if self.items else None

    @property
    def nothing(self) -> bool:
        return not self.items

    def to_dict(self) -> dict[str, Any]:
        return {"rank": self.rank, "items": [i.to_dict() for i in self.items]}


def _item(code: str, message: str) -> AttentionItem:
    return AttentionItem(code=code, label=LABELS.get(code, code.replace("_", " ")), message=message, tone=tone_of(code))


def _lock_message(lock: LockSummary) -> str:
    what = "emergency care" if lock.level == "emergency" else "a doctor within 24 hours"
    text = f"Paused until a clinician has checked them: the {lock.level} screen on {lock.on.isoformat()} found signs that need {what}"
    findings = [f.strip().rstrip(".") for f in lock.findings if f.strip()]
    text += f": {'; '.join(findings)}." if findings else "."
    if lock.later_level is not None and lock.later_on is not None:
        later = "no warning sign" if lock.later_level == "clear" else lock.later_level.replace("_", " ")
        text += (f" A later screen on {lock.later_on.isoformat()} ({later}) does not lift this; record the "
                 "assessment once they have been seen.")
    return text


def clinician_attention(
    lock: Optional[LockSummary],
    new_symptoms: Optional[NewSymptoms],
    paused_reasons: Iterable[str],
    alerts: Iterable[Any],
) -> Attention:
    """The person's items for the clinician's list, most pressing first.

    `paused_reasons`: why the program is paused, when it is and neither the lock nor the
    new symptoms explain it (e.g. the weekly screen is overdue). `alerts`: the monitoring
    alerts (objects with `code` and `message`); their urgent/emergency ones are replaced by
    the lock, which names the screen that set it.
    """
    items: list[AttentionItem] = []
    if lock is not None:
        items.append(_item(lock.level, _lock_message(lock)))
    if new_symptoms is not None:
        parts = [f"They reported new symptoms on {new_symptoms.on.isoformat()}"]
        if new_symptoms.nprs is not None:
            parts.append(f"with pain {new_symptoms.nprs}/10")
        text = " ".join(parts)
        text += f": “{new_symptoms.note.strip()}”." if new_symptoms.note and new_symptoms.note.strip() else "."
        text += " The program is paused until they answer the safety questions again."
        items.append(_item("new_symptoms", text))
    reasons = [r for r in paused_reasons if r]
    if reasons and lock is None and new_symptoms is None:
        items.append(_item("program_paused", "Program paused: " + " ".join(clinician_voice(r) for r in reasons)))
    for a in alerts:
        code = getattr(a, "code", "")
        if code in ("emergency", "urgent") and lock is not None:
            continue  # the lock says it, with the screen that set it
        if code == "rescreen_due" and any(i.code == "program_paused" for i in items):
            continue  # the pause already says the screen is due
        items.append(_item(code, clinician_voice(getattr(a, "message", ""))))
    items.sort(key=lambda i: i.rank)  # stable: equal ranks keep their order
    return Attention(items=tuple(items))
