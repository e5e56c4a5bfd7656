"""Benchmark of the exporters and the charts on a year of one person's data (not a test;
prints figures).

    python benchmarks/bench_exports.py [--days 365] [--repeat 20]

Reports, on this machine's CPU, the median milliseconds of: the progress page's pain and
adherence charts as SVG from the chart model (what every progress page pays), the same
pain chart drawn by matplotlib's SVG backend (the library alternative), the FHIR bundle
built and validated with fhir.resources, and the PDF report (reportlab). The record is
made here (daily pain, weekly sessions, a decision a day, monthly questionnaires).
"""

from __future__ import annotations

import argparse
import io
import statistics
import sys
import time
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from backcoach.exports import charts, fhir, report  # noqa: E402
from backcoach.exports.record import (  # noqa: E402
    DecisionEntry,
    OutcomeEntry,
    OutcomeSeries,
    PainPoint,
    PersonRecord,
    ScreeningEntry,
)
from backcoach.web import charts as web_charts  # noqa: E402

T0 = datetime(2026, 1, 5, 8, 0, tzinfo=timezone.utc)


def year_record(days: int) -> PersonRecord:
    pain = tuple(PainPoint(T0 + timedelta(days=n), max(0, 7 - n // 40), "daily") for n in range(days))
    decisions = tuple(DecisionEntry(T0 + timedelta(days=n), "glute_bridge", "hold" if n % 5 else "progress",
                                    ("Pain during the exercise was 3/10: acceptable.",), before="2 x 10", after="2 x 11")
                      for n in range(days))
    months = range(0, days, 30)
    outcomes = tuple(OutcomeEntry(T0 + timedelta(days=n), "pain_score", "Usual pain", 1, {"usual_pain": 6 - n // 90},
                                  float(6 - n // 90), "moderate") for n in months)
    series = (OutcomeSeries("pain_score", "Usual pain", 0, 10, False,
                            tuple((o.at, o.score) for o in outcomes), 4.0, 8.0, "Usual pain: better.", 6.0),)
    return PersonRecord(
        person_id=1, display_name="Ana", generated_at=T0 + timedelta(days=days),
        screenings=(ScreeningEntry(T0, {"age": 40, "bladder_change": False}, "clear", ()),),
        pain=pain, decisions=decisions, phase="strength",
        prescriptions=({"exercise_id": "glute_bridge", "description": "2 x 11 reps"},),
        program_started=T0.date(), baseline=6.0,
        adherence=tuple((date(2026, 1, 5) + timedelta(weeks=w), 3, 3) for w in range(days // 7)),
        outcomes=outcomes, outcome_series=series)


def median_ms(fn, repeat: int) -> float:
    fn()  # warm: imports, fonts, schema building
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def matplotlib_pain_svg(points: list[charts.PainDay], baseline: float) -> bytes:
    from matplotlib.backends.backend_svg import FigureCanvasSVG
    from matplotlib.figure import Figure

    fig = Figure(figsize=(4.8, 2.2))
    ax = fig.add_axes((0.07, 0.16, 0.9, 0.78))
    ax.plot([p.on for p in points], [p.nprs for p in points], marker="o", color=charts.PAIN_COLOUR)
    ax.axhline(baseline, linestyle="--", color=charts.BASELINE_COLOUR)
    ax.set_ylim(0, 10)
    out = io.BytesIO()
    FigureCanvasSVG(fig).print_svg(out)
    return out.getvalue()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--days", type=int, default=365)
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()
    record = year_record(args.days)
    # the progress page shows the daily and next-morning entries of the last 90 days
    points = [charts.PainDay(p.at.date(), p.nprs, p.kind) for p in record.pain[-90:]]
    weeks = [charts.WeekBar(w, done, planned) for w, done, planned in record.adherence]
    figures = {
        "progress page charts (pain + adherence), SVG from the chart model": median_ms(
            lambda: (web_charts.pain_chart(points, 6.0), web_charts.adherence_chart(weeks)), args.repeat),
        "the same pain chart by matplotlib's SVG backend": median_ms(
            lambda: matplotlib_pain_svg(points, 6.0), args.repeat),
        f"FHIR bundle, {len(fhir.person_bundle(record)['entry'])} resources, built and validated": median_ms(
            lambda: fhir.person_bundle(record), max(3, args.repeat // 4)),
        f"PDF report, {args.days} days": median_ms(lambda: report.report_pdf(record), max(3, args.repeat // 4)),
    }
    for name, ms in figures.items():
        print(f"{ms:9.2f} ms  {name}")


if __name__ == "__main__":
    main()
