"""How outcome questionnaires look on a page: form fields from the definitions, form input
back to answers, and a small trend chart with the meaningful-change band.

Shared by the person's page and the clinician's person page, so both draw the same chart.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Mapping

from markupsafe import Markup

from backcoach.domain import outcomes as o
from backcoach.exports.charts import trend_chart as trend_model
from backcoach.web.charts import svg

ACTIVITY_SLOTS = o.MAX_ACTIVITIES


def answers_from_form(instrument: o.Instrument, form: Mapping[str, str]) -> dict[str, Any]:
    """Form fields -> answers for the domain to check (it gives the error messages)."""
    answers: dict[str, Any] = {}
    for item in instrument.items:
        if item.kind == "activities":
            rows = []
            for n in range(1, ACTIVITY_SLOTS + 1):
                name = form.get(f"activity_name_{n}", "").strip()
                rating = form.get(f"activity_rating_{n}", "").strip()
                if not name and not rating:
                    continue
                rows.append({"name": name, "rating": _number(rating)})
            answers[item.id] = rows
        else:
            raw = form.get(item.id, "").strip()
            if raw:
                answers[item.id] = _number(raw)
    return answers


def _number(raw: str) -> Any:
    try:
        return int(raw)
    except ValueError:
        return raw  # the domain says what is wrong with it


@dataclass(frozen=True)
class Chart:
    svg: Markup
    rows: list[tuple[str, str]]


def trend_charts(trends: Any) -> list[tuple[o.Instrument, o.Trend, "Chart | None"]]:
    """(instrument, trend, chart) for each offered instrument, in the order they are offered."""
    from backcoach.services.outcomes import instruments

    offered = {i.id: i for i in instruments()}
    return [(offered[t.instrument_id], t, trend_chart(offered[t.instrument_id], t))
            for t in trends if t.instrument_id in offered]


def trend_chart(instrument: o.Instrument, trend: o.Trend) -> Chart | None:
    """An inline SVG of the shared trend chart (`exports.charts.trend_chart`, which the PDF
    report draws too): scores, baseline and the band of changes too small to matter. Its text
    alternative is the trend's summary; the table of points beside it carries the numbers."""
    band = (trend.band_low, trend.band_high) if trend.band_low is not None and trend.band_high is not None else None
    chart = trend_model(trend.points, instrument.score_min, instrument.score_max, band, trend.baseline, trend.summary)
    if chart is None:
        return None
    rows = [(at.date().isoformat(), f"{score:g}") for at, score in trend.points]
    return Chart(Markup(svg(chart, aria_label=True)), rows)
