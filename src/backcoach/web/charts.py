"""Server-rendered SVG charts: no JavaScript, readable by screen readers.

Each function takes plain values (dates, numbers, ids) and returns an SVG string
with a <title> and <desc>; the pages put a data table next to each chart, so a
person who cannot see the chart reads the same numbers.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from html import escape
from typing import Sequence

W, H = 480, 220
PAD_L, PAD_R, PAD_T, PAD_B = 34, 12, 14, 36

PAIN_COLOUR = "#b3261e"
BASELINE_COLOUR = "#3d5a80"
GOOD = "#1b7a3d"
HOLD = "#8a6d00"
BAD = "#b3261e"


def _svg(title: str, desc: str, body: str, *, width: int = W, height: int = H, cls: str = "chart") -> str:
    return (
        f'<svg class="{cls}" viewBox="0 0 {width} {height}" role="img" '
        f'aria-labelledby="t-{cls} d-{cls}" xmlns="http://www.w3.org/2000/svg" preserveAspectRatio="xMidYMid meet">'
        f'<title id="t-{cls}">{escape(title)}</title><desc id="d-{cls}">{escape(desc)}</desc>{body}</svg>'
    )


def _empty(title: str, message: str, cls: str) -> str:
    body = f'<text x="{W / 2}" y="34" text-anchor="middle" class="muted">{escape(message)}</text>'
    return _svg(title, message, body, height=60, cls=cls)


@dataclass(frozen=True)
class PainPoint:
    on: date
    nprs: float
    kind: str = "daily"


def pain_chart(points: Sequence[PainPoint], baseline: float | None, whose: str = "your") -> str:
    """Pain (0-10) over time, one line per kind, with the baseline as a dashed line.
    ``whose``: "your" on the person's pages, "their" on the clinician's."""
    title = "Pain over time"
    pts = sorted(points, key=lambda p: p.on)
    if not pts:
        return _empty(title, f"No pain entries yet. {whose.capitalize()} first check-in starts this chart.", "pain-chart")
    first, last = pts[0].on, pts[-1].on
    span = max((last - first).days, 1)
    plot_w, plot_h = W - PAD_L - PAD_R, H - PAD_T - PAD_B

    def x(d: date) -> float:
        return PAD_L + plot_w * ((d - first).days / span) if span else PAD_L + plot_w / 2

    def y(v: float) -> float:
        return PAD_T + plot_h * (1 - v / 10)

    parts = []
    for v in range(0, 11, 2):
        parts.append(f'<line x1="{PAD_L}" x2="{W - PAD_R}" y1="{y(v):.1f}" y2="{y(v):.1f}" class="grid"/>')
        parts.append(f'<text x="{PAD_L - 8}" y="{y(v) + 4:.1f}" text-anchor="end" class="axis">{v}</text>')
    parts.append(f'<text x="{PAD_L}" y="{H - 10}" class="axis">{first.strftime("%d %b")}</text>')
    parts.append(f'<text x="{W - PAD_R}" y="{H - 10}" text-anchor="end" class="axis">{last.strftime("%d %b")}</text>')
    if baseline is not None:
        parts.append(
            f'<line x1="{PAD_L}" x2="{W - PAD_R}" y1="{y(baseline):.1f}" y2="{y(baseline):.1f}" '
            f'stroke="{BASELINE_COLOUR}" stroke-width="2" stroke-dasharray="6 4"/>'
            f'<text x="{W - PAD_R - 4}" y="{y(baseline) - 6:.1f}" text-anchor="end" class="label" '
            f'fill="{BASELINE_COLOUR}">baseline {baseline:.1f}</text>'
        )
    styles = {"daily": (PAIN_COLOUR, ""), "next_morning": ("#6b4fa0", ' stroke-dasharray="2 3"'), "during": ("#8a6d00", ' stroke-dasharray="1 0"')}
    for kind in ("daily", "next_morning", "during"):
        series = [p for p in pts if p.kind == kind]
        if not series:
            continue
        colour, dash = styles.get(kind, (PAIN_COLOUR, ""))
        if len(series) > 1:
            path = " ".join(f"{x(p.on):.1f},{y(p.nprs):.1f}" for p in series)
            parts.append(f'<polyline points="{path}" fill="none" stroke="{colour}" stroke-width="2.5"{dash}/>')
        for p in series:
            parts.append(
                f'<circle cx="{x(p.on):.1f}" cy="{y(p.nprs):.1f}" r="4" fill="{colour}">'
                f"<title>{p.on.isoformat()}: {kind.replace('_', ' ')} pain {p.nprs:g}</title></circle>"
            )
    kinds = sorted({p.kind for p in pts})
    desc = f"{len(pts)} pain entries from {first.isoformat()} to {last.isoformat()} ({', '.join(k.replace('_', ' ') for k in kinds)})"
    if baseline is not None:
        desc += f"; baseline {baseline:.1f} out of 10"
    return _svg(title, desc, "".join(parts), cls="pain-chart")


@dataclass(frozen=True)
class WeekBar:
    week_start: date
    done: int
    planned: int


def adherence_chart(weeks: Sequence[WeekBar]) -> str:
    """Sessions done versus planned per week, as bars with the plan drawn behind."""
    title = "Sessions per week"
    if not weeks:
        return _empty(title, "No weeks of the program yet.", "adherence-chart")
    weeks = list(weeks)[-12:]
    top = max(max(w.planned for w in weeks), max(w.done for w in weeks), 1)
    plot_w, plot_h = W - PAD_L - PAD_R, H - PAD_T - PAD_B
    slot = plot_w / len(weeks)
    bw = min(slot * 0.6, 48)
    parts = []
    for v in range(0, top + 1):
        yy = PAD_T + plot_h * (1 - v / top)
        parts.append(f'<line x1="{PAD_L}" x2="{W - PAD_R}" y1="{yy:.1f}" y2="{yy:.1f}" class="grid"/>')
        parts.append(f'<text x="{PAD_L - 8}" y="{yy + 4:.1f}" text-anchor="end" class="axis">{v}</text>')
    for i, w in enumerate(weeks):
        cx = PAD_L + slot * i + slot / 2
        hp = plot_h * (w.planned / top)
        hd = plot_h * (w.done / top)
        colour = GOOD if w.planned and w.done >= w.planned else (HOLD if w.done else BAD)
        parts.append(
            f'<rect x="{cx - bw / 2:.1f}" y="{PAD_T + plot_h - hp:.1f}" width="{bw:.1f}" height="{hp:.1f}" class="planned"/>'
            f'<rect x="{cx - bw / 2 + 4:.1f}" y="{PAD_T + plot_h - hd:.1f}" width="{max(bw - 8, 2):.1f}" height="{hd:.1f}" fill="{colour}">'
            f"<title>Week of {w.week_start.isoformat()}: {w.done} of {w.planned} sessions</title></rect>"
            f'<text x="{cx:.1f}" y="{H - 10}" text-anchor="middle" class="axis">{w.week_start.strftime("%d %b")}</text>'
        )
    desc = "; ".join(f"week of {w.week_start.isoformat()}: {w.done} of {w.planned}" for w in weeks)
    return _svg(title, desc, "".join(parts), cls="adherence-chart")


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
