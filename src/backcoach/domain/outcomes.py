"""Outcome measures: short questionnaires, scored and compared over time (issue 14).

A pain score alone cannot show whether a person can do more. Services measure function
with short questionnaires at baseline and at fixed points after it; a clinician reads the
change against the smallest change that matters to patients (the "meaningful change").

An instrument is data (``catalog/outcomes/*.yaml``): its items, answer scale, how it is
scored, the score bands, the meaningful change, its source and licence. This module turns
such a mapping into an :class:`Instrument`, checks answers against it, scores them, says
which instruments are due on the schedule, and reads a series of scores as a trend. It does
no I/O. Licensed questionnaires (their wording may not be shipped) use the same engine
when a service supplies their definition file.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, Literal, Mapping, Sequence

from .errors import InvalidAnswers, InvalidCatalog
from .fields import MISSING, FieldSpec, check_value

Direction = Literal["higher_is_better", "lower_is_better"]
Scoring = Literal["mean", "sum", "percent_of_max"]
ItemKind = Literal["scale", "choice", "activities"]

MAX_ACTIVITIES = 5
MAX_ACTIVITY_NAME = 80


@dataclass(frozen=True)
class Choice:
    value: int
    label: str


@dataclass(frozen=True)
class Item:
    """One question. ``scale``: a whole number from ``min`` to ``max`` with anchor words;
    ``choice``: one of the listed answers, each worth its value; ``activities``: up to five
    activities the person names, each rated on the scale (the Patient-Specific Functional
    Scale's design)."""

    id: str
    text: str
    kind: ItemKind
    min: int = 0
    max: int = 10
    min_label: str = ""
    max_label: str = ""
    choices: tuple[Choice, ...] = ()
    required: bool = True

    @property
    def highest(self) -> int:
        return max(c.value for c in self.choices) if self.kind == "choice" else self.max


@dataclass(frozen=True)
class Band:
    """A named score range, ``low`` <= score <= ``high``, with words for the person and the clinician."""

    low: float
    high: float
    label: str


@dataclass(frozen=True)
class MeaningfulChange:
    """The smallest change that matters: at least ``points``, or ``percent`` of the baseline
    when given (either is enough, as in DESIGN §5's "≥ 2 points or ≥ 30 %")."""

    points: float
    percent: float | None = None
    source: str = ""

    def threshold(self, baseline: float) -> float:
        """The size of change that counts as meaningful from this baseline."""
        if self.percent is None or baseline == 0:
            return self.points
        return min(self.points, abs(baseline) * self.percent / 100)


@dataclass(frozen=True)
class Instrument:
    id: str
    version: int
    title: str
    short_title: str
    intro: str
    items: tuple[Item, ...]
    scoring: Scoring
    score_min: float
    score_max: float
    direction: Direction
    meaningful_change: MeaningfulChange
    bands: tuple[Band, ...]
    schedule_weeks: tuple[int, ...]
    source: str
    licence: str
    loinc: str | None = None

    @property
    def item_ids(self) -> tuple[str, ...]:
        return tuple(i.id for i in self.items)

    def band_for(self, score: float) -> Band | None:
        return next((b for b in self.bands if b.low <= score <= b.high), None)


# -- reading a definition -------------------------------------------------------------------------

_TOP_KEYS = {"id", "version", "title", "short_title", "intro", "items", "scoring", "score_range", "direction",
             "meaningful_change", "bands", "schedule_weeks", "source", "licence", "loinc"}
_ITEM_KEYS = {"id", "text", "kind", "min", "max", "min_label", "max_label", "choices", "required"}


def instrument_from_dict(data: Mapping[str, Any], where: str = "outcome definition") -> Instrument:
    """Build an instrument from its data file, refusing anything unclear (unknown keys, gaps)."""
    if not isinstance(data, Mapping):
        raise InvalidCatalog(f"{where}: expected a mapping of keys.")
    unknown = set(data) - _TOP_KEYS
    if unknown:
        raise InvalidCatalog(f"{where}: unknown keys {sorted(unknown)}.")
    missing = {"id", "version", "title", "items", "scoring", "score_range", "direction", "meaningful_change",
               "schedule_weeks", "source", "licence"} - set(data)
    if missing:
        raise InvalidCatalog(f"{where}: missing keys {sorted(missing)}.")
    iid = str(data["id"])
    where = f"{where} {iid!r}"
    items = tuple(_item(raw, where) for raw in data["items"] or ())
    if not items:
        raise InvalidCatalog(f"{where}: at least one item is needed.")
    if len({i.id for i in items}) != len(items):
        raise InvalidCatalog(f"{where}: item ids must be unique.")
    if any(i.kind == "activities" for i in items) and len(items) != 1:
        raise InvalidCatalog(f"{where}: an 'activities' item must be the instrument's only item.")
    scoring = data["scoring"]
    if scoring not in ("mean", "sum", "percent_of_max"):
        raise InvalidCatalog(f"{where}: scoring must be mean, sum or percent_of_max.")
    direction = data["direction"]
    if direction not in ("higher_is_better", "lower_is_better"):
        raise InvalidCatalog(f"{where}: direction must be higher_is_better or lower_is_better.")
    low, high = (float(x) for x in data["score_range"])
    mc = data["meaningful_change"] or {}
    if not isinstance(mc, Mapping) or "points" not in mc or not set(mc) <= {"points", "percent", "source"}:
        raise InvalidCatalog(f"{where}: meaningful_change needs points (and optionally percent and source).")
    change = MeaningfulChange(points=float(mc["points"]),
                              percent=None if mc.get("percent") is None else float(mc["percent"]),
                              source=str(mc.get("source", "")))
    bands = tuple(Band(float(b["low"]), float(b["high"]), str(b["label"])) for b in data.get("bands") or ())
    weeks = tuple(sorted(int(w) for w in data["schedule_weeks"]))
    if not weeks or weeks[0] != 0 or any(w < 0 for w in weeks):
        raise InvalidCatalog(f"{where}: schedule_weeks must start with 0 (the baseline).")
    return Instrument(
        id=iid, version=int(data["version"]), title=str(data["title"]),
        short_title=str(data.get("short_title") or data["title"]), intro=str(data.get("intro", "")).strip(),
        items=items, scoring=scoring, score_min=low, score_max=high, direction=direction,
        meaningful_change=change, bands=bands, schedule_weeks=weeks, source=str(data["source"]).strip(),
        licence=str(data["licence"]).strip(), loinc=None if data.get("loinc") is None else str(data["loinc"]),
    )


def _item(raw: Any, where: str) -> Item:
    if not isinstance(raw, Mapping) or not {"id", "text", "kind"} <= set(raw):
        raise InvalidCatalog(f"{where}: each item needs id, text and kind.")
    unknown = set(raw) - _ITEM_KEYS
    if unknown:
        raise InvalidCatalog(f"{where}: item {raw.get('id')!r} has unknown keys {sorted(unknown)}.")
    kind = raw["kind"]
    if kind not in ("scale", "choice", "activities"):
        raise InvalidCatalog(f"{where}: item {raw['id']!r} kind must be scale, choice or activities.")
    choices = tuple(Choice(int(c["value"]), str(c["label"])) for c in raw.get("choices") or ())
    if kind == "choice" and len(choices) < 2:
        raise InvalidCatalog(f"{where}: choice item {raw['id']!r} needs at least two choices.")
    item = Item(id=str(raw["id"]), text=str(raw["text"]).strip(), kind=kind, min=int(raw.get("min", 0)),
                max=int(raw.get("max", 10)), min_label=str(raw.get("min_label", "")),
                max_label=str(raw.get("max_label", "")), choices=choices, required=bool(raw.get("required", True)))
    if item.min >= item.max:
        raise InvalidCatalog(f"{where}: item {item.id!r} needs min below max.")
    return item


# -- answers and scores ---------------------------------------------------------------------------

@dataclass(frozen=True)
class Activity:
    name: str
    rating: int


@dataclass(frozen=True)
class OutcomeScore:
    """A scored questionnaire: the answers as checked, the score and its band."""

    instrument_id: str
    version: int
    answers: Mapping[str, Any]
    score: float
    band: str | None
    answered_items: int

    def to_dict(self) -> dict[str, Any]:
        return {"instrument": self.instrument_id, "version": self.version, "answers": dict(self.answers),
                "score": self.score, "band": self.band, "answered_items": self.answered_items}


def _whole(value: Any, item: Item, label: str) -> int:
    """A scale answer is a declared whole-number field (``domain.fields``): the same words as every input."""
    return check_value(FieldSpec(item.id, "int", item.text, required=True, low=item.min, high=item.max), value, label)


def check_answers(instrument: Instrument, answers: Mapping[str, Any]) -> dict[str, Any]:
    """The answers in their checked form; the same mistake gets the same words from every surface."""
    if not isinstance(answers, Mapping):
        raise InvalidAnswers(f"The answers to {instrument.short_title} must be a set of item ids with answers.")
    unknown = set(answers) - set(instrument.item_ids)
    if unknown:
        raise InvalidAnswers(f"Unknown question(s) for {instrument.short_title}: {', '.join(sorted(map(str, unknown)))}. "
                             f"Known: {', '.join(instrument.item_ids)}.")
    checked: dict[str, Any] = {}
    for item in instrument.items:
        value = answers.get(item.id)
        if value is None:
            if item.required:
                raise InvalidAnswers(f"{item.text}: {MISSING}")
            continue
        if item.kind == "scale":
            checked[item.id] = _whole(value, item, f"The answer to {item.text!r}")
        elif item.kind == "choice":
            allowed = {c.value for c in item.choices}
            if isinstance(value, bool) or value not in allowed:
                labels = "; ".join(f"{c.value} = {c.label}" for c in item.choices)
                raise InvalidAnswers(f"The answer to {item.text!r}: Choose one of: {labels}.")
            checked[item.id] = int(value)
        else:
            checked[item.id] = _activities(value, item)
    return checked


def _activities(value: Any, item: Item) -> list[dict[str, Any]]:
    if not isinstance(value, Sequence) or isinstance(value, (str, bytes)):
        raise InvalidAnswers("Activities must be a list of activities, each with a name and a rating.")
    if not 1 <= len(value) <= MAX_ACTIVITIES:
        raise InvalidAnswers(f"Name between 1 and {MAX_ACTIVITIES} activities.")
    out: list[dict[str, Any]] = []
    seen: set[str] = set()
    for entry in value:
        if not isinstance(entry, Mapping) or set(entry) != {"name", "rating"}:
            raise InvalidAnswers("Each activity needs a name and a rating (and nothing else).")
        name = entry["name"]
        if not isinstance(name, str) or not name.strip():
            raise InvalidAnswers("Each activity needs a name, for example 'carrying shopping'.")
        name = " ".join(name.split())
        if len(name) > MAX_ACTIVITY_NAME:
            raise InvalidAnswers(f"An activity's name can be at most {MAX_ACTIVITY_NAME} characters.")
        if name.casefold() in seen:
            raise InvalidAnswers(f"The activity {name!r} is named twice.")
        seen.add(name.casefold())
        out.append({"name": name, "rating": _whole(entry["rating"], item, f"The rating for {name!r}")})
    return out


def score(instrument: Instrument, answers: Mapping[str, Any]) -> OutcomeScore:
    """Score the answers by the instrument's published rule (mean, sum or percent of the maximum
    of the items answered). Scores are rounded to one decimal, as the sources report them."""
    checked = check_answers(instrument, answers)
    values: list[int] = []
    highest: list[int] = []
    for item in instrument.items:
        if item.id not in checked:
            continue
        if item.kind == "activities":
            values.extend(a["rating"] for a in checked[item.id])
            highest.extend(item.max for _ in checked[item.id])
        else:
            values.append(checked[item.id])
            highest.append(item.highest)
    if not values:
        raise InvalidAnswers(f"Answer at least one question of {instrument.short_title}.")
    if instrument.scoring == "mean":
        value = sum(values) / len(values)
    elif instrument.scoring == "sum":
        value = float(sum(values))
    else:
        value = 100.0 * sum(values) / sum(highest)
    value = round(value + 0.0, 1)
    band = instrument.band_for(value)
    return OutcomeScore(instrument.id, instrument.version, checked, value, band.label if band else None,
                        answered_items=len(values))


# -- the schedule ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class DueOutcome:
    instrument_id: str
    week: int
    due_on: dt.date
    label: str

    def to_dict(self) -> dict[str, Any]:
        return {"instrument": self.instrument_id, "week": self.week, "due_on": self.due_on.isoformat(),
                "label": self.label}


def _point_label(week: int) -> str:
    return "baseline" if week == 0 else f"week {week}"


def schedule_points(instrument: Instrument, start: dt.date) -> list[tuple[int, dt.date]]:
    return [(w, start + dt.timedelta(weeks=w)) for w in instrument.schedule_weeks]


def due_outcomes(instruments: Sequence[Instrument], start: dt.date, today: dt.date,
                 answered: Mapping[str, Sequence[dt.date]], early_days: int = 3) -> list[DueOutcome]:
    """The questionnaires due today: for each instrument, the latest schedule point reached
    (answering up to ``early_days`` before it counts), unless an answer was given on or after
    that point's window opened. A missed point is replaced by the next one, never piled up."""
    due: list[DueOutcome] = []
    for instrument in instruments:
        reached = [(w, d) for w, d in schedule_points(instrument, start) if d - dt.timedelta(days=early_days) <= today]
        if not reached:
            continue
        week, on = reached[-1]
        opened = on - dt.timedelta(days=early_days)
        if any(day >= opened for day in answered.get(instrument.id, ())):
            continue
        due.append(DueOutcome(instrument.id, week, on, _point_label(week)))
    return due


def schedule_by_date(instruments: Sequence[Instrument], start: dt.date, until: dt.date) -> dict[dt.date, list[DueOutcome]]:
    """Every schedule point from ``start`` to ``until``, by date (what a simulated course shows)."""
    out: dict[dt.date, list[DueOutcome]] = {}
    for instrument in instruments:
        for week, on in schedule_points(instrument, start):
            if on <= until:
                out.setdefault(on, []).append(DueOutcome(instrument.id, week, on, _point_label(week)))
    return dict(sorted(out.items()))


def next_point(instrument: Instrument, start: dt.date, today: dt.date) -> tuple[int, dt.date] | None:
    """The next schedule point after today, if any (for "next questionnaire on ...")."""
    return next(((w, d) for w, d in schedule_points(instrument, start) if d > today), None)


# -- trends ---------------------------------------------------------------------------------------

Change = Literal["better", "worse", "no_meaningful_change", "baseline_only"]


@dataclass(frozen=True)
class Trend:
    """A series of scores read against the baseline and the meaningful-change band."""

    instrument_id: str
    points: tuple[tuple[dt.datetime, float], ...]
    baseline: float | None
    band_low: float | None
    band_high: float | None
    latest: float | None
    change: Change | None
    summary: str

    def to_dict(self) -> dict[str, Any]:
        return {"instrument": self.instrument_id,
                "points": [{"at": at.isoformat(), "score": s} for at, s in self.points],
                "baseline": self.baseline, "band": [self.band_low, self.band_high],
                "latest": self.latest, "change": self.change, "summary": self.summary}


def trend(instrument: Instrument, points: Sequence[tuple[dt.datetime, float]]) -> Trend:
    """Compare the latest score with the first (the baseline). Inside the band (baseline ± the
    meaningful change) the change is too small to tell from day-to-day variation."""
    ordered = tuple(sorted(points, key=lambda p: p[0]))
    if not ordered:
        return Trend(instrument.id, (), None, None, None, None, None,
                     "No answers yet.")
    baseline = ordered[0][1]
    size = instrument.meaningful_change.threshold(baseline)
    low = max(instrument.score_min, baseline - size)
    high = min(instrument.score_max, baseline + size)
    latest = ordered[-1][1]
    if len(ordered) == 1:
        return Trend(instrument.id, ordered, baseline, low, high, latest, "baseline_only",
                     f"{instrument.short_title}: {_fmt(baseline)} (the first answer; later answers are compared "
                     "with it).")
    diff = latest - baseline
    improved = diff if instrument.direction == "higher_is_better" else -diff
    if abs(diff) + 1e-9 < size:
        change: Change = "no_meaningful_change"
        summary = (f"{instrument.short_title}: {_fmt(latest)}, from {_fmt(baseline)} at the start; a change smaller "
                   f"than {_fmt(size)} points is within normal day-to-day variation.")
    elif improved > 0:
        change = "better"
        summary = (f"{instrument.short_title}: {_fmt(latest)}, from {_fmt(baseline)} at the start: a meaningful "
                   "improvement.")
    else:
        change = "worse"
        summary = (f"{instrument.short_title}: {_fmt(latest)}, from {_fmt(baseline)} at the start: meaningfully "
                   "worse.")
    return Trend(instrument.id, ordered, baseline, low, high, latest, change, summary)


def _fmt(value: float) -> str:
    return f"{value:g}" if float(value).is_integer() else f"{value:.1f}"
