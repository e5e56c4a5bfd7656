"""One chart model, three drawings: the pages' SVG, the PDF's reportlab drawing and the PNG
plot the same points, from `exports.charts`."""
from __future__ import annotations

import os
import re
import subprocess
import sys
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest

from backcoach.exports import charts, report
from backcoach.web import charts as web_charts

DAY0 = date(2026, 11, 2)
PAIN = [charts.PainDay(DAY0 + timedelta(days=n), 6 - n // 2, "daily") for n in range(8)] + [
    charts.PainDay(DAY0 + timedelta(days=3), 4, "next_morning"),
    charts.PainDay(DAY0 + timedelta(days=4), 5, "next_morning"),
    charts.PainDay(DAY0 + timedelta(days=2), 9, "during"),
]


def _circles(chart: charts.Chart) -> list[tuple[float, float]]:
    return [(round(s.cx, 1), round(s.cy, 1)) for s in chart.shapes if isinstance(s, charts.Circle)]


def test_the_pain_chart_shows_day_to_day_pain_against_the_baseline_not_pain_during_exercise():
    chart = charts.pain_chart(PAIN, baseline=6.0)
    assert len(_circles(chart)) == 10  # 8 daily + 2 next morning; the 9 during exercise is not drawn
    y_of = {s.tip: s.cy for s in chart.shapes if isinstance(s, charts.Circle)}
    assert y_of["2026-11-02: daily pain 6"] < y_of["2026-11-09: daily pain 3"]  # y runs down: more pain is higher
    baseline = [s for s in chart.shapes if isinstance(s, charts.Line) and s.dash == (6, 4)]
    assert len(baseline) == 1 and baseline[0].points[0][1] == pytest.approx(y_of["2026-11-02: daily pain 6"])
    assert [label for _, label in chart.legend] == ["Pain now", "Pain the morning after", "Baseline 6.0"]
    assert "10 pain entries from 2026-11-02 to 2026-11-09" in chart.desc


def test_the_page_svg_draws_the_model_points():
    chart = charts.pain_chart(PAIN, baseline=6.0)
    svg = web_charts.pain_chart(PAIN, 6.0)
    drawn = [(float(x), float(y)) for x, y in re.findall(r'<circle cx="([\d.]+)" cy="([\d.]+)"', svg)]
    assert drawn == _circles(chart)
    assert svg.startswith('<svg class="pain-chart"') and "<title id=\"t-pain-chart\">Pain over time</title>" in svg


def test_the_pdf_drawing_draws_the_model_points_scaled_and_flipped():
    from reportlab.graphics.shapes import Circle

    chart = charts.pain_chart(PAIN, baseline=6.0)
    width = 400.0
    drawing = report._drawing(chart, width)
    scale = width / chart.width
    drawn = [(round(c.cx / scale, 1), round(chart.height - c.cy / scale, 1)) for c in drawing.contents
             if isinstance(c, Circle)]
    assert drawn == _circles(chart)
    assert drawing.height == pytest.approx(chart.height * scale)


def test_empty_charts_say_what_starts_them():
    assert "Their first check-in starts this chart" in web_charts.pain_chart([], None, whose="their")
    assert charts.pain_chart([charts.PainDay(DAY0, 8, "during")], None).shapes[0].text.startswith("No pain entries")
    assert charts.trend_chart([], 0, 10, None, None, "") is None


def test_the_trend_chart_band_holds_the_baseline_and_the_line_is_drawn_only_with_one():
    at = datetime(2026, 11, 2, tzinfo=timezone.utc)
    points = [(at, 4.0), (at + timedelta(weeks=2), 7.0)]
    chart = charts.trend_chart(points, 0, 10, (2.0, 6.0), 4.0, "Better")
    band = next(s for s in chart.shapes if isinstance(s, charts.Rect))
    baseline = next(s for s in chart.shapes if isinstance(s, charts.Line) and s.cls == "baseline")
    assert band.y < baseline.points[0][1] < band.y + band.height
    without = charts.trend_chart(points, 0, 10, (2.0, 6.0), None, "Better")
    assert not [s for s in without.shapes if isinstance(s, charts.Line) and s.cls == "baseline"]  # was drawn at 0


def test_the_trend_svg_names_itself_by_aria_label_so_several_fit_one_page():
    at = datetime(2026, 11, 2, tzinfo=timezone.utc)
    chart = charts.trend_chart([(at, 4.0)], 0, 10, None, None, "Activities score: 4")
    svg = web_charts.svg(chart, aria_label=True)
    assert svg.startswith('<svg class="trend"') and 'aria-label="Activities score: 4"' in svg and " id=" not in svg



def test_the_web_app_and_the_pdf_never_load_matplotlib():
    """matplotlib costs about 200 ms a chart and a heavy import; only the PNG export uses it."""
    code = ("import sys; from backcoach.web.app import create_app; from backcoach.exports import report;"
            "from test_exports import make_record; report.report_pdf(make_record());"
            "sys.exit('matplotlib' in sys.modules)")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([*sys.path, str(Path(__file__).parent)])}
    assert subprocess.run([sys.executable, "-c", code], env=env, timeout=120).returncode == 0


def test_the_svg_has_no_inline_style_which_the_pages_content_security_policy_blocks():
    svg = web_charts.pain_chart(PAIN, 6.0) + web_charts.adherence_chart([charts.WeekBar(DAY0, 2, 3)])
    assert "style=" not in svg
    assert 'class="label baseline"' in svg  # its colour comes from app.css
