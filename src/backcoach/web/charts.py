"""Server-rendered SVG charts: no JavaScript, readable by screen readers.

The pain, adherence and outcome-trend charts are drawn from the shared chart models in
`backcoach.exports.charts` (the PDF report draws the same models), by `svg` below. The
ladder and decisions charts exist only on the pages and are written here directly.
Every chart has a <title> and <desc>; the pages put a data table next to each chart, so a
person who cannot see the chart reads the same numbers.

Why SVG written here rather than by a plotting library: the markup carries the page's CSS
classes, <title>/<desc> and per-point tooltips for screen readers, and it is cheap enough
for every progress page: 0.85 ms for the pain and adherence charts of a year's data,
against 206 ms for the pain chart alone from matplotlib's SVG backend
(benchmarks/bench_exports.py, 2 cores under a load average of 11).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from html import escape
from typing import Sequence

from backcoach.exports import charts as model
from backcoach.exports.charts import BAD, GOOD, HOLD, PAD_R, W, PainDay, WeekBar

__all__ = ["PainDay", "WeekBar", "DecisionMark", "pain_chart", "adherence_chart", "ladder_chart", "decisions_chart",
           "svg"]

# Text roles whose page style is another class's (app.css styles `svg.trend .axis` small).
_TEXT_CLASS = {"small": "axis"}


def _svg(title: str, desc: str, body: str, *, width: float = W, height: float = 220, cls: str = "chart") -> str:
    return (
        f'<svg class="{cls}" viewBox="0 0 {width:g} {height:g}" role="img" '
        f'aria-labelledby="t-{cls} d-{cls}" xmlns="http://www.w3.org/2000/svg" preserveAspectRatio="xMidYMid meet">'
        f'<title id="t-{cls}">{escape(title)}</title><desc id="d-{cls}">{escape(desc)}</desc>{body}</svg>'
    )


def _empty(title: str, message: str, cls: str) -> str:
    body = f'<text x="{W / 2}" y="34" text-anchor="middle" class="muted">{escape(message)}</text>'
    return _svg(title, message, body, height=60, cls=cls)


def _shape(shape: model.Shape) -> str:
    cls = f' class="{shape.cls}"' if getattr(shape, "cls", "") else ""
    tip = f"<title>{escape(shape.tip)}</title>" if getattr(shape, "tip", "") else ""
    if isinstance(shape, model.Line):
        dash = f' stroke-dasharray="{" ".join(f"{d:g}" for d in shape.dash)}"' if shape.dash else ""
        paint = f' fill="none" stroke="{shape.stroke}" stroke-width="{shape.width:g}"{dash}'
        if len(shape.points) == 2:
            (x1, y1), (x2, y2) = shape.points
            return f'<line x1="{x1:.1f}" x2="{x2:.1f}" y1="{y1:.1f}" y2="{y2:.1f}"{cls}{paint}/>'
        return f'<polyline points="{" ".join(f"{x:.1f},{y:.1f}" for x, y in shape.points)}"{cls}{paint}/>'
    if isinstance(shape, model.Circle):
        return f'<circle cx="{shape.cx:.1f}" cy="{shape.cy:.1f}" r="{shape.r:g}"{cls} fill="{shape.fill}">{tip}</circle>'
    if isinstance(shape, model.Rect):
        return (f'<rect x="{shape.x:.1f}" y="{shape.y:.1f}" width="{shape.width:.1f}" height="{shape.height:.1f}"'
                f'{cls} fill="{shape.fill}">{tip}</rect>')
    # a text's colour on the page comes from the CSS of its classes (the policy allows no inline style)
    classes = " ".join(c for c in (_TEXT_CLASS.get(shape.role, shape.role), shape.cls) if c)
    fill = f' fill="{shape.fill}"' if shape.fill else ""
    return (f'<text x="{shape.x:.1f}" y="{shape.y:.1f}" text-anchor="{shape.anchor}" '
            f'class="{classes}"{fill}>{escape(shape.text)}</text>')


def svg(chart: model.Chart, *, aria_label: bool = False) -> str:
    """The chart model as inline SVG. ``aria_label``: name the chart by an aria-label rather
    than by <title>/<desc> ids, for charts shown several times on one page (ids must be unique)."""
    body = "".join(_shape(s) for s in chart.shapes)
    if aria_label:
        return (f'<svg class="{chart.cls}" viewBox="0 0 {chart.width:g} {chart.height:g}" role="img" '
                f'aria-label="{escape(chart.desc)}">{body}</svg>')
    return _svg(chart.title, chart.desc, body, width=chart.width, height=chart.height, cls=chart.cls)


def pain_chart(points: Sequence[PainDay], baseline: float | None, whose: str = "your") -> str:
    """Pain (0-10) over time with the baseline (see `exports.charts.pain_chart`)."""
    return svg(model.pain_chart(points, baseline, whose))


def adherence_chart(weeks: Sequence[WeekBar]) -> str:
    """Sessions done versus planned per week (see `exports.charts.adherence_chart`)."""
    return svg(model.adherence_chart(weeks))


def ladder_chart(ladders: Sequence[tuple[str, Sequence[tuple[str, str]], str | None]], whose: str = "your") -> str:
    """Position on each ladder: a row of steps per ladder, the current one large and filled.

    ``ladders``: (ladder title, [(exercise id, exercise name)...], current exercise id).
    """
    title = "Where you are on each exercise ladder" if whose == "your" else "Where they are on each exercise ladder"
    if not ladders:
        return _empty(title, "No program yet.", "ladder-chart")
    row_h = 78
    height = 8 + row_h * len(ladders)
    parts, desc = [], []
    for r, (name, steps, current) in enumerate(ladders):
        y0 = 8 + r * row_h
        n = max(len(steps), 1)
        cur_idx = next((i for i, (sid, _) in enumerate(steps) if sid == current), None)
        cur_name = steps[cur_idx][1] if cur_idx is not None else f"not in {whose} program"
        parts.append(f'<text x="8" y="{y0 + 16}" class="label">{escape(name)}</text>')
        parts.append(f'<text x="8" y="{y0 + 36}" class="axis">{escape(cur_name)}'
                     f'{f" · step {cur_idx + 1} of {n}" if cur_idx is not None else ""}</text>')
        step_w = (W - 40) / n
        cy = y0 + 58
        for i, (sid, sname) in enumerate(steps):
            cx = 20 + step_w * i + step_w / 2
            reached = cur_idx is not None and i <= cur_idx
            is_cur = i == cur_idx
            if i:
                parts.append(f'<line x1="{cx - step_w:.1f}" x2="{cx:.1f}" y1="{cy}" y2="{cy}" '
                             f'stroke="{GOOD if reached else "#b0b7c3"}" stroke-width="5"/>')
            parts.append(
                f'<circle cx="{cx:.1f}" cy="{cy}" r="{13 if is_cur else 9}" fill="{GOOD if reached else "#ffffff"}" '
                f'stroke="{GOOD if reached else "#6b7280"}" stroke-width="3"><title>{escape(sname)}'
                f"{' (current)' if is_cur else ''}</title></circle>"
            )
            parts.append(f'<text x="{cx:.1f}" y="{cy + 5}" text-anchor="middle" class="step{" on" if reached else ""}">{i + 1}</text>')
        desc.append(f"{name}: {cur_name}" + (f" (step {cur_idx + 1} of {n})" if cur_idx is not None else ""))
    return _svg(title, "; ".join(desc), "".join(parts), height=height, cls="ladder-chart")


@dataclass(frozen=True)
class DecisionMark:
    on: date
    exercise: str
    action: str  # progress | hold | regress


def decisions_chart(marks: Sequence[DecisionMark], whose: str = "your") -> str:
    """Decisions over time: one row per exercise, ▲ progress, ● hold, ▼ regress."""
    title = "Decisions over time"
    if not marks:
        return _empty(title, f"No decisions yet. They appear after {whose} first logged session.", "decisions-chart")
    marks = sorted(marks, key=lambda m: m.on)
    rows = list(dict.fromkeys(m.exercise for m in marks))
    left, row_h = 16, 52
    height = 8 + row_h * len(rows) + 26
    first, last = marks[0].on, marks[-1].on
    span = (last - first).days
    plot_w = W - left - PAD_R - 10

    def x(d: date) -> float:
        return left + 10 + (plot_w * ((d - first).days / span) if span else plot_w / 2)

    parts = []
    for i, ex in enumerate(rows):
        y0 = 8 + row_h * i
        parts.append(f'<text x="{left}" y="{y0 + 16}" class="axis strong">{escape(ex)}</text>')
        parts.append(f'<line x1="{left}" x2="{W - PAD_R}" y1="{y0 + 36}" y2="{y0 + 36}" class="grid"/>')
    for m in marks:
        yy = 8 + row_h * rows.index(m.exercise) + 36
        cx = x(m.on)
        tip = f"<title>{m.on.isoformat()} {escape(m.exercise)}: {m.action}</title>"
        if m.action == "progress":
            parts.append(f'<path d="M{cx:.1f},{yy - 9} l8,15 h-16 z" fill="{GOOD}">{tip}</path>')
        elif m.action == "regress":
            parts.append(f'<path d="M{cx:.1f},{yy + 9} l8,-15 h-16 z" fill="{BAD}">{tip}</path>')
        else:
            parts.append(f'<circle cx="{cx:.1f}" cy="{yy}" r="7" fill="{HOLD}">{tip}</circle>')
    parts.append(f'<text x="{left}" y="{height - 6}" class="axis">{first.strftime("%d %b")}</text>')
    parts.append(f'<text x="{W - PAD_R}" y="{height - 6}" text-anchor="end" class="axis">{last.strftime("%d %b")}</text>')
    counts = {a: sum(1 for m in marks if m.action == a) for a in ("progress", "hold", "regress")}
    desc = f"{len(marks)} decisions: {counts['progress']} progress, {counts['hold']} hold, {counts['regress']} regress"
    return _svg(title, desc, "".join(parts), height=height, cls="decisions-chart")
