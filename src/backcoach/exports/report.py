"""Progress reports as PDF (for the clinician's file) and PNG charts.

Figures are built with matplotlib's object API (no pyplot), so rendering is
thread-safe inside a web server and needs no display.
"""
from __future__ import annotations

import io
import textwrap


from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.dates import DateFormatter
from matplotlib.backends.backend_pdf import PdfPages
from matplotlib.figure import Figure

from backcoach.exports.record import PersonRecord

DISCLAIMER = (
    "backcoach supports self-management of mechanical lower back pain. "
    "It does not replace a clinician's assessment or advice."
)


def _pain_axes(fig: Figure, record: PersonRecord, rect=(0.1, 0.15, 0.85, 0.7)) -> None:
    ax = fig.add_axes(rect)
    daily = [p for p in record.pain if p.kind == "daily"] or list(record.pain)
    if daily:
        ax.plot([p.at for p in daily], [p.nprs for p in daily], marker="o", color="#1f5f8b", label="Pain now")
    during = [p for p in record.pain if p.kind == "during"]
    if during:
        ax.plot([p.at for p in during], [p.nprs for p in during], marker="x", linestyle="none",
                color="#b5541c", label="Pain during exercise")
    if record.baseline is not None:
        ax.axhline(record.baseline, color="#555555", linestyle="--", label=f"Baseline {record.baseline:.1f}")
    ax.set_ylim(0, 10)
    ax.set_ylabel("Pain (0 = none, 10 = worst)")
    ax.set_title("Pain over time")
    ax.grid(alpha=0.3)
    if daily or during:
        ax.legend(loc="upper right", fontsize=8)
        ax.xaxis.set_major_formatter(DateFormatter("%d %b"))
    else:
        ax.text(0.5, 0.5, "No pain entries yet", ha="center", va="center", transform=ax.transAxes)


def _adherence_axes(fig: Figure, record: PersonRecord, rect=(0.1, 0.15, 0.85, 0.7)) -> None:
    ax = fig.add_axes(rect)
    if record.adherence:
        labels = [week.strftime("%d %b") for week, _, _ in record.adherence]
        ax.bar(labels, [planned for _, _, planned in record.adherence], color="#dddddd", label="Planned")
        ax.bar(labels, [done for _, done, _ in record.adherence], color="#2e7d32", label="Done")
        ax.legend(loc="upper right", fontsize=8)
    else:
        ax.text(0.5, 0.5, "No sessions planned yet", ha="center", va="center", transform=ax.transAxes)
    ax.set_ylabel("Sessions")
    ax.set_title("Sessions per week")


def _outcome_axes(fig: Figure, record: PersonRecord, top: float, bottom: float) -> None:
    """One small chart per questionnaire: scores, and the band of changes too small to matter."""
    from matplotlib.dates import AutoDateLocator

    series = record.outcome_series
    if not series:
        fig.text(0.1, top - 0.03, "No questionnaires answered yet.", fontsize=10)
        return
    height = (top - bottom) / len(series)
    for n, s in enumerate(series):
        slot_top = top - n * height
        ax = fig.add_axes((0.1, slot_top - height + 0.09, 0.85, height - 0.13))
        if s.band_low is not None and s.band_high is not None:
            ax.axhspan(s.band_low, s.band_high, color="#e8f1f8", label="No meaningful change")
        ax.plot([at for at, _ in s.points], [v for _, v in s.points], marker="o", color="#1d3557", label="Score")
        ax.set_ylim(s.score_min, s.score_max)
        better = "higher is better" if s.higher_is_better else "lower is better"
        ax.set_title(f"{s.title} ({better})", fontsize=10, parse_math=False)
        ax.xaxis.set_major_locator(AutoDateLocator(maxticks=6))
        ax.xaxis.set_major_formatter(DateFormatter("%d %b"))
        ax.grid(alpha=0.3)
        ax.legend(loc="upper right", fontsize=7)
        for k, line in enumerate(textwrap.wrap(s.summary, 110)[:2]):
            fig.text(0.1, slot_top - height + 0.035 - k * 0.015, line, fontsize=8, parse_math=False)


def pain_chart_png(record: PersonRecord, dpi: int = 100) -> bytes:
    """The pain-over-time chart with the baseline, as PNG bytes."""
    fig = Figure(figsize=(7, 3.5))
    _pain_axes(fig, record, rect=(0.1, 0.12, 0.85, 0.76))
    buffer = io.BytesIO()
    fig.set_dpi(dpi)
    FigureCanvasAgg(fig).print_png(buffer)
    return buffer.getvalue()


def _text_page(fig: Figure, title: str, lines: list[str]) -> None:
    """Names, notes and reasons are typed by people: ``parse_math=False`` prints a ``$…$``
    pair as typed instead of handing it to matplotlib's formula parser (which fails on it)."""
    fig.text(0.08, 0.94, title, fontsize=16, weight="bold", parse_math=False)
    y = 0.89
    for line in lines:
        for wrapped in textwrap.wrap(line, 95) or [""]:
            if y < 0.06:
                return
            fig.text(0.08, y, wrapped, fontsize=9, family="DejaVu Sans", parse_math=False)
            y -= 0.022


def report_pdf(record: PersonRecord) -> bytes:
    """A few pages a clinician can file: summary, charts, decisions with reasons."""
    buffer = io.BytesIO()
    with PdfPages(buffer, metadata={"Title": f"backcoach report: {record.display_name}",
                                    "CreationDate": None}) as pdf:
        summary = Figure(figsize=(8.27, 11.69))
        lines = [f"Generated {record.generated_at:%d %b %Y %H:%M} UTC", ""]
        if record.screenings:
            latest = record.screenings[-1]
            lines.append(f"Latest screening ({latest.at:%d %b %Y}): {latest.level.replace('_', ' ')}")
            lines += [f"  - {r['message']}" for r in latest.reasons]
        else:
            lines.append("No screening recorded.")
        lines.append("")
        if record.phase:
            started = f", started {record.program_started:%d %b %Y}" if record.program_started else ""
            lines.append(f"Program: {record.phase} phase{started}")
            lines += [f"  - {p.get('exercise_id')}: {p.get('description', '')}" for p in record.prescriptions]
        else:
            lines.append("No program yet.")
        lines.append("")
        if record.alerts:
            lines.append("Needs attention:")
            lines += [f"  - {a.get('message', a.get('code'))}" for a in record.alerts]
        lines += ["", DISCLAIMER]
        _text_page(summary, f"backcoach report: {record.display_name}", lines)
        pdf.savefig(summary)

        charts = Figure(figsize=(8.27, 11.69))
        _pain_axes(charts, record, rect=(0.1, 0.56, 0.85, 0.36))
        _adherence_axes(charts, record, rect=(0.1, 0.08, 0.85, 0.36))
        pdf.savefig(charts)

        outcomes = Figure(figsize=(8.27, 11.69))
        outcomes.text(0.08, 0.95, "Questionnaires over time", fontsize=16, weight="bold")
        _outcome_axes(outcomes, record, top=0.92, bottom=0.05)
        pdf.savefig(outcomes)

        decisions = Figure(figsize=(8.27, 11.69))
        lines = [
            f"{d.at:%d %b %Y}  {d.exercise_id}: {d.action}"
            + (f" ({d.before} -> {d.after})" if d.before or d.after else "")
            + (" [clinician]" if d.source == "clinician" else "")
            + " - " + "; ".join(d.reasons)
            for d in record.decisions[-60:]
        ] or ["No decisions yet."]
        _text_page(decisions, "Program decisions and why", lines)
        pdf.savefig(decisions)
    return buffer.getvalue()


