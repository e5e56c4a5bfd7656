"""What each chart draws, as plain shapes: the one source of the pain, adherence and
outcome-trend charts.

A chart here is a list of lines, circles, rectangles and texts in one coordinate system
(origin top left, y down, the units of an SVG viewBox). The pages draw it as SVG
(`web/charts.py`), the PDF report with reportlab and the PNG export with matplotlib
(`exports/report.py`); none of them decides geometry, colours or which points to show,
so the same chart looks the same everywhere. Pure: no I/O, no drawing library.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Sequence, Union

W, H = 480, 220
PAD_L, PAD_R, PAD_T, PAD_B = 34, 12, 14, 36

INK = "#1a1f2b"
MUTED = "#4a5364"
GRID = "#e3e7ee"
BRAND = "#1d3557"
ACCENT = "#2a6f97"
BAND = "#e8f1f8"
PAIN_COLOUR = "#b3261e"
BASELINE_COLOUR = "#3d5a80"
GOOD = "#1b7a3d"
HOLD = "#8a6d00"
BAD = "#b3261e"

# role -> (font size, bold, colour); the pages' CSS gives the same (app.css, `svg .axis` ...).
TEXT_STYLES = {"axis": (15, False, MUTED), "label": (16, True, INK), "muted": (15, False, MUTED),
               "small": (10, False, MUTED)}


@dataclass(frozen=True)
class Line:
    """A straight line (two points) or a polyline through several."""

    points: tuple[tuple[float, float], ...]
    stroke: str
    width: float = 1.0
    dash: tuple[float, ...] = ()
    cls: str = ""


def _hline(x1: float, x2: float, y: float, stroke: str, width: float = 1.0, dash: tuple[float, ...] = (),
           cls: str = "") -> Line:
    return Line(((x1, y), (x2, y)), stroke, width, dash, cls)


@dataclass(frozen=True)
class Circle:
    cx: float
    cy: float
    r: float
    fill: str
    tip: str = ""
    cls: str = ""
    stroke: str = ""


@dataclass(frozen=True)
class Rect:
    x: float
    y: float
    width: float
    height: float
    fill: str
    tip: str = ""
    cls: str = ""


@dataclass(frozen=True)
class Text:
    x: float
    y: float  # baseline
    text: str
    role: str = "axis"  # a key of TEXT_STYLES
    anchor: str = "start"  # start | middle | end
    fill: str = ""  # overrides the role's colour (on the pages, by the CSS of ``cls``)
    cls: str = ""


Shape = Union[Line, Circle, Rect, Text]


@dataclass(frozen=True)
class Chart:
    """``cls`` names the chart on the page (CSS and tests find it by that name); ``title`` and
    ``desc`` are its text alternative; ``legend`` lists (colour, label) pairs a printed copy
    shows under the chart, where the page has its own words and table instead."""

    cls: str
    width: float
    height: float
    title: str
    desc: str
    shapes: tuple[Shape, ...]
    legend: tuple[tuple[str, str], ...] = ()


def _empty(cls: str, title: str, message: str) -> Chart:
    return Chart(cls, W, 60, title, message, (Text(W / 2, 34, message, "muted", "middle"),))


@dataclass(frozen=True)
class PainDay:
    on: date
    nprs: float
    kind: str = "daily"


# kind -> (colour, dash, label), drawn in this order: how the back feels day to day. Pain
# during exercise is left out; it is judged per session, in the decisions.
PAIN_KINDS = {
    "daily": (PAIN_COLOUR, (), "Pain now"),
    "next_morning": ("#6b4fa0", (2.0, 3.0), "Pain the morning after"),
}


def pain_chart(points: Sequence[PainDay], baseline: float | None, whose: str = "your") -> Chart:
    """Pain (0-10) over time, one line per kind, with the baseline as a dashed line.
    ``whose``: "your" on the person's pages, "their" on the clinician's."""
    title = "Pain over time"
    pts = sorted((p for p in points if p.kind in PAIN_KINDS), key=lambda p: p.on)
    if not pts:
        return _empty("pain-chart", title, f"No pain entries yet. {whose.capitalize()} first check-in starts this chart.")
    first, last = pts[0].on, pts[-1].on
    span = max((last - first).days, 1)
    plot_w, plot_h = W - PAD_L - PAD_R, H - PAD_T - PAD_B

    def x(d: date) -> float:
        return PAD_L + plot_w * ((d - first).days / span)

    def y(v: float) -> float:
        return PAD_T + plot_h * (1 - v / 10)

    shapes: list[Shape] = []
    for v in range(0, 11, 2):
        shapes.append(_hline(PAD_L, W - PAD_R, y(v), GRID, cls="grid"))
        shapes.append(Text(PAD_L - 8, y(v) + 4, str(v), anchor="end"))
    shapes.append(Text(PAD_L, H - 10, first.strftime("%d %b")))
    shapes.append(Text(W - PAD_R, H - 10, last.strftime("%d %b"), anchor="end"))
    legend = []
    if baseline is not None:
        shapes.append(_hline(PAD_L, W - PAD_R, y(baseline), BASELINE_COLOUR, 2, (6, 4)))
        shapes.append(Text(W - PAD_R - 4, y(baseline) - 6, f"baseline {baseline:.1f}", "label", "end",
                           BASELINE_COLOUR, "baseline"))
    for kind in PAIN_KINDS:
        series = [p for p in pts if p.kind == kind]
        if not series:
            continue
        colour, dash, label = PAIN_KINDS[kind]
        legend.append((colour, label))
        if len(series) > 1:
            shapes.append(Line(tuple((x(p.on), y(p.nprs)) for p in series), colour, 2.5, dash))
        shapes.extend(Circle(x(p.on), y(p.nprs), 4, colour, f"{p.on.isoformat()}: {kind.replace('_', ' ')} pain {p.nprs:g}")
                      for p in series)
    if baseline is not None:
        legend.append((BASELINE_COLOUR, f"Baseline {baseline:.1f}"))
    kinds = sorted({p.kind for p in pts})
    desc = (f"{len(pts)} pain entries from {first.isoformat()} to {last.isoformat()} "
            f"({', '.join(k.replace('_', ' ') for k in kinds)})")
    if baseline is not None:
        desc += f"; baseline {baseline:.1f} out of 10"
    return Chart("pain-chart", W, H, title, desc, tuple(shapes), tuple(legend))


@dataclass(frozen=True)
class WeekBar:
    week_start: date
    done: int
    planned: int


def adherence_chart(weeks: Sequence[WeekBar]) -> Chart:
    """Sessions done versus planned per week (the last 12), as bars with the plan drawn behind."""
    title = "Sessions per week"
    if not weeks:
        return _empty("adherence-chart", title, "No weeks of the program yet.")
    weeks = list(weeks)[-12:]
    top = max(max(w.planned for w in weeks), max(w.done for w in weeks), 1)
    plot_w, plot_h = W - PAD_L - PAD_R, H - PAD_T - PAD_B
    slot = plot_w / len(weeks)
    bw = min(slot * 0.6, 48)
    shapes: list[Shape] = []
    for v in range(0, top + 1):
        yy = PAD_T + plot_h * (1 - v / top)
        shapes.append(_hline(PAD_L, W - PAD_R, yy, GRID, cls="grid"))
        shapes.append(Text(PAD_L - 8, yy + 4, str(v), anchor="end"))
    for i, w in enumerate(weeks):
        cx = PAD_L + slot * i + slot / 2
        hp = plot_h * (w.planned / top)
        hd = plot_h * (w.done / top)
        colour = GOOD if w.planned and w.done >= w.planned else (HOLD if w.done else BAD)
        shapes.append(Rect(cx - bw / 2, PAD_T + plot_h - hp, bw, hp, GRID, cls="planned"))
        shapes.append(Rect(cx - bw / 2 + 4, PAD_T + plot_h - hd, max(bw - 8, 2), hd, colour,
                           f"Week of {w.week_start.isoformat()}: {w.done} of {w.planned} sessions"))
        shapes.append(Text(cx, H - 10, w.week_start.strftime("%d %b"), anchor="middle"))
    desc = "; ".join(f"week of {w.week_start.isoformat()}: {w.done} of {w.planned}" for w in weeks)
    legend = ((GRID, "Planned"), (GOOD, "Done, all planned"), (HOLD, "Done, some"), (BAD, "None done"))
    return Chart("adherence-chart", W, H, title, desc, tuple(shapes), legend)


def trend_chart(points: Sequence[tuple[datetime, float]], score_min: float, score_max: float,
                band: tuple[float, float] | None, baseline: float | None, summary: str,
                width: float = 320, height: float = 160) -> Chart | None:
    """One questionnaire's scores over time, the baseline and the band of changes too small to
    tell from day-to-day variation. Its text alternative is the trend's summary."""
    if not points:
        return None
    pad = 24
    span = score_max - score_min or 1
    first, last = points[0][0], points[-1][0]
    seconds = (last - first).total_seconds() or 1

    def x(at: datetime) -> float:
        return pad + (width - 2 * pad) * ((at - first).total_seconds() / seconds if len(points) > 1 else 0.5)

    def y(value: float) -> float:
        return height - pad - (height - 2 * pad) * (value - score_min) / span

    shapes: list[Shape] = []
    legend = [(BRAND, "Score")]
    if band is not None:
        top, bottom = y(band[1]), y(band[0])
        shapes.append(Rect(pad, top, width - 2 * pad, max(bottom - top, 1), BAND, "No meaningful change", "band"))
        legend.append((BAND, "No meaningful change"))
        if baseline is not None:
            shapes.append(_hline(pad, width - pad, y(baseline), ACCENT, 1, (4, 3), "baseline"))
            legend.append((ACCENT, "Baseline"))
    for value in (score_min, score_max):
        shapes.append(Text(2, y(value) + 4, f"{value:g}", "small"))
    if len(points) > 1:
        shapes.append(Line(tuple((x(at), y(score)) for at, score in points), BRAND, 2, cls="line"))
    shapes.extend(Circle(x(at), y(score), 3.5, BRAND, cls="point") for at, score in points)
    return Chart("trend", width, height, summary, summary, tuple(shapes), tuple(legend))
