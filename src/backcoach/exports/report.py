"""Progress reports as PDF (for the clinician's file) and the pain chart as PNG.

The PDF is a flowing document (reportlab Platypus): headings, paragraphs, tables and
charts flow onto as many pages as they need, a long table repeats its header, and
nothing is placed by hand, so nothing runs off a page or is cut. The charts are the
shared chart models (`exports.charts`), the ones the pages draw as SVG, drawn here as
reportlab drawings; the PNG export draws the same pain chart model with matplotlib,
imported only there (the command line's `export chart`), never in a web request.
"""
from __future__ import annotations

import importlib.util
import io
from functools import lru_cache
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from reportlab.graphics import shapes as rl
from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import (
    Flowable,
    KeepTogether,
    ListFlowable,
    PageBreak,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from backcoach.exports import charts
from backcoach.exports.record import OutcomeSeries, PersonRecord

DISCLAIMER = (
    "backcoach supports self-management of mechanical lower back pain. "
    "It does not replace a clinician's assessment or advice."
)
MARGIN = 18 * mm


@lru_cache(maxsize=1)
def _fonts() -> tuple[str, str]:
    """(regular, bold) font names. DejaVu Sans (shipped inside matplotlib, found without
    importing it) prints names in most scripts; the PDF core fonts cover Latin-1 only."""
    spec = importlib.util.find_spec("matplotlib")
    folder = Path(spec.submodule_search_locations[0]) / "mpl-data" / "fonts" / "ttf" if spec and spec.submodule_search_locations else None
    if folder is None or not (folder / "DejaVuSans.ttf").is_file():
        return "Helvetica", "Helvetica-Bold"
    pdfmetrics.registerFont(TTFont("DejaVuSans", str(folder / "DejaVuSans.ttf")))
    pdfmetrics.registerFont(TTFont("DejaVuSans-Bold", str(folder / "DejaVuSans-Bold.ttf")))
    return "DejaVuSans", "DejaVuSans-Bold"


@lru_cache(maxsize=1)
def _styles() -> dict[str, ParagraphStyle]:
    regular, bold = _fonts()
    base = getSampleStyleSheet()
    body = ParagraphStyle("body", parent=base["BodyText"], fontName=regular, fontSize=9.5, leading=13, alignment=TA_LEFT)
    return {
        "title": ParagraphStyle("title", parent=base["Title"], fontName=bold, fontSize=18, leading=22, alignment=TA_LEFT),
        "h2": ParagraphStyle("h2", parent=base["Heading2"], fontName=bold, fontSize=13, leading=16, spaceBefore=10),
        "h3": ParagraphStyle("h3", parent=base["Heading3"], fontName=bold, fontSize=11, leading=14, spaceBefore=8),
        "body": body,
        "muted": ParagraphStyle("muted", parent=body, textColor=colors.HexColor(charts.MUTED)),
        "cell": ParagraphStyle("cell", parent=body, fontSize=8.5, leading=11),
        "cell_bold": ParagraphStyle("cell_bold", parent=body, fontName=bold, fontSize=8.5, leading=11),
        "note": ParagraphStyle("note", parent=body, leftIndent=6, rightIndent=6, borderColor=colors.HexColor(charts.GRID), borderWidth=1,
                               borderPadding=6, backColor=colors.HexColor("#f6f8fb"), spaceBefore=12),
    }


def _p(text: str, style: str = "body") -> Paragraph:
    """A paragraph of text as typed: names and notes are people's words, never markup."""
    return Paragraph(escape(text), _styles()[style])


def _drawing(chart: charts.Chart, width: float) -> rl.Drawing:
    """The chart model at ``width`` points wide; the model's y runs down, the PDF's up."""
    scale = width / chart.width
    drawing = rl.Drawing(width, chart.height * scale)
    regular, bold = _fonts()

    def at(x: float, y: float) -> tuple[float, float]:
        return x * scale, (chart.height - y) * scale

    for shape in chart.shapes:
        if isinstance(shape, charts.Line):
            drawing.add(rl.PolyLine([c for point in shape.points for c in at(*point)],
                                    strokeColor=colors.HexColor(shape.stroke), strokeWidth=shape.width * scale,
                                    strokeDashArray=[d * scale for d in shape.dash if d] or None))
        elif isinstance(shape, charts.Circle):
            drawing.add(rl.Circle(*at(shape.cx, shape.cy), shape.r * scale,
                                  fillColor=colors.HexColor(shape.fill), strokeColor=None))
        elif isinstance(shape, charts.Rect):
            x, y = at(shape.x, shape.y + shape.height)
            drawing.add(rl.Rect(x, y, shape.width * scale, shape.height * scale,
                                fillColor=colors.HexColor(shape.fill), strokeColor=None))
        else:
            size, is_bold, colour = charts.TEXT_STYLES[shape.role]
            drawing.add(rl.String(*at(shape.x, shape.y), shape.text, fontName=bold if is_bold else regular,
                                  fontSize=size * scale, fillColor=colors.HexColor(shape.fill or colour),
                                  textAnchor=shape.anchor))
    return drawing


def _legend(chart: charts.Chart) -> rl.Drawing | None:
    """The chart's keys in a row: a swatch (outlined, so a pale band still shows) and its label."""
    if not chart.legend:
        return None
    regular, _ = _fonts()
    size, gap, x = 8.0, 12.0, 0.0
    drawing = rl.Drawing(0, size + 6)
    for colour, label in chart.legend:
        drawing.add(rl.Rect(x, 2, size, size, fillColor=colors.HexColor(colour),
                            strokeColor=colors.HexColor(charts.MUTED), strokeWidth=0.3))
        drawing.add(rl.String(x + size + 3, 3, label, fontName=regular, fontSize=size,
                              fillColor=colors.HexColor(charts.MUTED)))
        x += size + 3 + pdfmetrics.stringWidth(label, regular, size) + gap
    drawing.width = x
    return drawing


def _chart(chart: charts.Chart, width: float) -> list[Flowable]:
    """A chart with its legend, kept on one page."""
    return [KeepTogether([part for part in (_drawing(chart, width), _legend(chart)) if part is not None])]


def _bullets(lines: list[str]) -> ListFlowable:
    return ListFlowable([_p(line) for line in lines], bulletType="bullet", start="\u2022", leftIndent=12,
                        bulletFontName=_fonts()[0])


def _table(header: list[str], rows: list[list[str]], widths: list[float]) -> Table:
    """A table that wraps its cells, splits long rows across pages and repeats its header."""
    data = [[_p(h, "cell_bold") for h in header]] + [[_p(cell, "cell") for cell in row] for row in rows]
    table = Table(data, colWidths=widths, repeatRows=1, splitInRow=1, hAlign="LEFT")
    table.setStyle(TableStyle([
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LINEBELOW", (0, 0), (-1, 0), 0.8, colors.HexColor(charts.INK)),
        ("LINEBELOW", (0, 1), (-1, -1), 0.3, colors.HexColor(charts.GRID)),
        ("TOPPADDING", (0, 0), (-1, -1), 3),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
    ]))
    return table


def _summary(record: PersonRecord, width: float) -> list[Flowable]:
    story: list[Flowable] = [
        _p(f"backcoach report: {record.display_name}", "title"),
        _p(f"Generated {record.generated_at:%d %b %Y %H:%M} UTC", "muted"),
        _p("Safety screening", "h2"),
    ]
    if record.screenings:
        latest = record.screenings[-1]
        story.append(_p(f"Latest screening ({latest.at:%d %b %Y}): {latest.level.replace('_', ' ')}"))
        if latest.reasons:
            story.append(_bullets([r["message"] for r in latest.reasons]))
    else:
        story.append(_p("No screening recorded."))
    story.append(_p("Program", "h2"))
    if record.phase:
        started = f", started {record.program_started:%d %b %Y}" if record.program_started else ""
        story.append(_p(f"{record.phase.capitalize()} phase{started}"))
        if record.prescriptions:
            story.append(_table(["Exercise", "Dose"],
                                [[str(p.get("exercise_id")), str(p.get("description", ""))] for p in record.prescriptions],
                                [width * 0.35, width * 0.65]))
    else:
        story.append(_p("No program yet."))
    if record.alerts:
        story += [_p("Needs attention", "h2"), _bullets([str(a.get("message") or a.get("code")) for a in record.alerts])]
    story.append(_p(DISCLAIMER, "note"))
    return story


def _pain_and_sessions(record: PersonRecord, width: float) -> list[Flowable]:
    pain = charts.pain_chart([charts.PainDay(p.at.date(), p.nprs, p.kind) for p in record.pain], record.baseline,
                             whose="their")
    weeks = charts.adherence_chart([charts.WeekBar(week, done, planned) for week, done, planned in record.adherence])
    return [_p("Pain over time", "title"), *_chart(pain, width), Spacer(1, 6 * mm),
            _p("Sessions per week", "h2"), *_chart(weeks, width)]


def _outcome_chart(series: OutcomeSeries) -> charts.Chart | None:
    band = (series.band_low, series.band_high) if series.band_low is not None and series.band_high is not None else None
    return charts.trend_chart(series.points, series.score_min, series.score_max, band, series.baseline, series.summary)


def _outcomes(record: PersonRecord, width: float) -> list[Flowable]:
    story: list[Flowable] = [_p("Questionnaires over time", "title")]
    if not record.outcome_series:
        return story + [_p("No questionnaires answered yet.")]
    story.append(_p("The shaded band around the first score holds changes too small to tell from "
                    "day-to-day variation; a score outside it is a meaningful change.", "muted"))
    for series in record.outcome_series:
        better = "higher is better" if series.higher_is_better else "lower is better"
        chart = _outcome_chart(series)
        parts: list[Any] = [_p(f"{series.title} ({better})", "h3")]
        if chart is not None:
            parts += [_drawing(chart, width * 0.8), _legend(chart)]
        parts.append(_p(series.summary))
        parts.append(_p("Scores: " + "; ".join(f"{at:%d %b %Y} {score:g}" for at, score in series.points), "muted"))
        story.append(KeepTogether([p for p in parts if p is not None]))
    return story


def _decisions(record: PersonRecord, width: float) -> list[Flowable]:
    story: list[Flowable] = [_p("Program decisions and why", "title")]
    if not record.decisions:
        return story + [_p("No decisions yet.")]
    rows = [[f"{d.at:%d %b %Y}", d.exercise_id,
             d.action + (" (clinician)" if d.source == "clinician" else ""),
             _change(d.before, d.after),
             "; ".join(d.reasons)]
            for d in record.decisions]
    return story + [_table(["Date", "Exercise", "Decision", "Change", "Why"], rows,
                           [width * f for f in (0.12, 0.2, 0.11, 0.25, 0.32)])]


def _change(before: str, after: str) -> str:
    if before == after:
        return f"kept at {before}" if before else ""
    return f"{before or '-'} \u2192 {after or '-'}"


def report_pdf(record: PersonRecord) -> bytes:
    """The report a clinician can file: a summary, the pain and sessions charts, the
    questionnaire trends, and every program decision with its reasons, each part from a new
    page. The same record gives the same bytes (no creation time inside)."""
    buffer = io.BytesIO()
    title = f"backcoach report: {record.display_name}"
    doc = SimpleDocTemplate(buffer, pagesize=A4, leftMargin=MARGIN, rightMargin=MARGIN, topMargin=MARGIN,
                            bottomMargin=MARGIN + 4 * mm, title=title, author="backcoach", invariant=1)
    width = doc.width
    story = [*_summary(record, width), PageBreak(), *_pain_and_sessions(record, width), PageBreak(),
             *_outcomes(record, width), PageBreak(), *_decisions(record, width)]

    def footer(canvas: Any, document: Any) -> None:
        canvas.saveState()
        canvas.setFont(_fonts()[0], 7.5)
        canvas.setFillColor(colors.HexColor(charts.MUTED))
        canvas.drawString(MARGIN, MARGIN - 2 * mm, f"{title[:90]} \u00b7 {record.generated_at:%d %b %Y}")
        canvas.drawRightString(A4[0] - MARGIN, MARGIN - 2 * mm, f"Page {document.page}")
        canvas.restoreState()

    doc.build(story, onFirstPage=footer, onLaterPages=footer)
    return buffer.getvalue()


def chart_png(chart: charts.Chart, dpi: int = 100) -> bytes:
    """A chart model as PNG, drawn with matplotlib (the PDF's core fonts cannot rasterise)."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.patches import Circle, Rectangle

    inches = 7.0
    fig = Figure(figsize=(inches, inches * chart.height / chart.width), dpi=dpi)
    ax = fig.add_axes((0, 0, 1, 1))
    ax.set_xlim(0, chart.width)
    ax.set_ylim(chart.height, 0)
    ax.set_axis_off()
    points_per_unit = inches * 72 / chart.width

    for shape in chart.shapes:
        if isinstance(shape, charts.Line):
            width = shape.width * points_per_unit
            dash = [d * points_per_unit / width for d in shape.dash if d]  # matplotlib scales dashes by the width
            xs, ys = zip(*shape.points)
            ax.plot(xs, ys, color=shape.stroke, linewidth=width, linestyle=(0, dash) if dash else "solid")
        elif isinstance(shape, charts.Circle):
            ax.add_patch(Circle((shape.cx, shape.cy), shape.r, color=shape.fill, zorder=3))
        elif isinstance(shape, charts.Rect):
            ax.add_patch(Rectangle((shape.x, shape.y), shape.width, shape.height, color=shape.fill, linewidth=0))
        else:
            size, is_bold, colour = charts.TEXT_STYLES[shape.role]
            ax.text(shape.x, shape.y, shape.text, fontsize=size * points_per_unit, color=shape.fill or colour,
                    weight="bold" if is_bold else "normal", ha={"start": "left", "middle": "center"}.get(shape.anchor, "right"),
                    va="baseline", parse_math=False)
    buffer = io.BytesIO()
    FigureCanvasAgg(fig).print_png(buffer)
    return buffer.getvalue()


def pain_chart_png(record: PersonRecord, dpi: int = 100) -> bytes:
    """The pain-over-time chart with the baseline, as PNG bytes: the pages' chart."""
    return chart_png(charts.pain_chart([charts.PainDay(p.at.date(), p.nprs, p.kind) for p in record.pain],
                                       record.baseline), dpi)
