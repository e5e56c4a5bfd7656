"""The PDF report as a flowing document: read back with pypdf, its text is all there, in order,
on pages it fits."""
from __future__ import annotations

import io
from datetime import timedelta

import pytest
from pypdf import PdfReader

from backcoach.exports import report
from backcoach.exports.record import DecisionEntry
from test_exports import OUTCOMES, SERIES, T0, make_record


def _pages(pdf: bytes) -> list[str]:
    return [" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(pdf)).pages]


def _text_positions(pdf: bytes) -> list[tuple[int, float, float, str, float, float]]:
    """(page, x, y, text, page width, page height) of every piece of text drawn."""
    found = []
    for n, page in enumerate(PdfReader(io.BytesIO(pdf)).pages):
        width, height = float(page.mediabox.width), float(page.mediabox.height)

        def visit(text, cm, tm, font, size, n=n, width=width, height=height):
            if text.strip():
                found.append((n, cm[4] + tm[4] * cm[0], cm[5] + tm[5] * cm[3], text, width, height))

        page.extract_text(visitor_text=visit)
    return found


def test_the_report_reads_summary_charts_questionnaires_then_decisions_one_part_a_page():
    pages = _pages(report.report_pdf(make_record(outcomes=OUTCOMES, outcome_series=SERIES)))
    assert len(pages) == 4
    assert "backcoach report: Alex" in pages[0] and "see clinician" in pages[0] and "Pain for a while." in pages[0]
    assert "glute_bridge" in pages[0] and "2 x 11 reps, 3 s squeeze" in pages[0]
    assert "Time for the weekly safety check." in pages[0] and "does not replace a clinician" in pages[0]
    assert "Pain over time" in pages[1] and "baseline 6.0" in pages[1] and "Sessions per week" in pages[1]
    assert "Activities score (higher is better)" in pages[2] and "No meaningful change" in pages[2]
    assert "Two good sessions." in pages[3] and "2 x 10 \u2192 2 x 11" in pages[3]
    assert all(f"Page {n}" in text for n, text in enumerate(pages, start=1))


def test_every_decision_is_printed_however_many_there_are():
    """The hand-placed page stopped at the bottom of one page and dropped the rest (and only
    the last 60 were tried): now the table flows on, with its header on every page."""
    decisions = tuple(DecisionEntry(T0 + timedelta(hours=n), "glute_bridge", "hold", (f"Reason number {n:03d}.",))
                      for n in range(150))
    pages = _pages(report.report_pdf(make_record(decisions=decisions)))
    text = "\n".join(pages[3:])
    assert [n for n in range(150) if f"Reason number {n:03d}." not in text] == []
    assert len(pages) > 5 and all("Why" in page for page in pages[3:])


def test_people_typed_text_prints_as_typed_and_nothing_leaves_the_page():
    """Names and notes are people's words: markup characters print as typed; a long word or
    note wraps (and a long row splits) rather than running off the page."""
    long_word = "x" * 300
    note = "Clinician note: " + " ".join(f"word{n}" for n in range(900)) + " " + long_word
    record = make_record(
        display_name="Ana <b>&amp; Дмитрий Zoë",
        decisions=(DecisionEntry(T0, "glute_bridge", "hold", (note,), source="clinician"),),
        alerts=({"code": "x", "message": "Pain <i>up</i> & stiff"},),
    )
    pdf = report.report_pdf(record)
    pages = _pages(pdf)
    assert "Ana <b>&amp; Дмитрий Zoë" in pages[0] and "Pain <i>up</i> & stiff" in pages[0]
    assert "word899" in "".join(pages[3:])
    for page, x, y, text, width, height in _text_positions(pdf):
        assert 0 <= x <= width and 0 <= y <= height, (page, x, y, text[:30])


@pytest.mark.parametrize("series", [(), SERIES], ids=["no-questionnaires", "questionnaires"])
def test_the_same_record_gives_the_same_pdf(series):
    record = make_record(outcomes=OUTCOMES if series else (), outcome_series=series)
    assert report.report_pdf(record) == report.report_pdf(record)
