"""How outcome questionnaires look on a page: form fields from the definitions, form input
back to answers, and a small trend chart with the meaningful-change band.

Shared by the person's page and the clinician's person page, so both draw the same chart.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Mapping

from markupsafe import Markup, escape

from backcoach.domain import outcomes as o

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


def trend_chart(instrument: o.Instrument, trend: o.Trend, width: int = 320, height: int = 160) -> Chart | None:
    """An inline SVG: the scores over time, the baseline and the band of changes too small to
    tell from day-to-day variation. Its text alternative is the trend's summary; the table of
    points beside it carries the numbers."""
    if not trend.points:
        return None
    pad = 24
    span = instrument.score_max - instrument.score_min or 1
    first, last = trend.points[0][0], trend.points[-1][0]
    seconds = (last - first).total_seconds() or 1

    def x(at: Any) -> float:
        return pad + (width - 2 * pad) * ((at - first).total_seconds() / seconds if len(trend.points) > 1 else 0.5)

    def y(value: float) -> float:
        return height - pad - (height - 2 * pad) * (value - instrument.score_min) / span

    parts = [f'<svg class="trend" viewBox="0 0 {width} {height}" role="img" aria-label="{escape(trend.summary)}">']
    if trend.band_low is not None and trend.band_high is not None:
        top, bottom = y(trend.band_high), y(trend.band_low)
        parts.append(f'<rect class="band" x="{pad}" y="{top:.1f}" width="{width - 2 * pad}" '
                     f'height="{max(bottom - top, 1):.1f}"><title>No meaningful change</title></rect>')
        parts.append(f'<line class="baseline" x1="{pad}" x2="{width - pad}" y1="{y(trend.baseline or 0):.1f}" '
                     f'y2="{y(trend.baseline or 0):.1f}"/>')
    for value in (instrument.score_min, instrument.score_max):
        parts.append(f'<text x="2" y="{y(value) + 4:.1f}" class="axis">{value:g}</text>')
    coords = " ".join(f"{x(at):.1f},{y(score):.1f}" for at, score in trend.points)
    if len(trend.points) > 1:
        parts.append(f'<polyline class="line" points="{coords}"/>')
    for at, score in trend.points:
        parts.append(f'<circle class="point" cx="{x(at):.1f}" cy="{y(score):.1f}" r="3.5"/>')
    parts.append("</svg>")
    rows = [(at.date().isoformat(), f"{score:g}") for at, score in trend.points]
    return Chart(Markup("".join(parts)), rows)
