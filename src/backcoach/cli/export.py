"""`backcoach export fhir|report|chart`: the person's record in files."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Callable, Optional

import typer
from typer.core import TyperGroup

from backcoach.cli.files import write_bytes
from backcoach.cli.render import out, print_json
from backcoach.cli.root import PersonOpt, app, now, uow


export_app = typer.Typer(cls=TyperGroup, help="Export a person's record (FHIR R4, PDF report, pain chart).",
                         no_args_is_help=True, rich_markup_mode=None)
app.add_typer(export_app, name="export")


@export_app.command("fhir")
def export_fhir(
    out_file: Optional[Path] = typer.Option(None, "--out", help="Write the bundle here (default: print it)."),
    person: Optional[str] = PersonOpt,
) -> None:
    """The record as an HL7 FHIR R4 Bundle (JSON)."""
    from backcoach import services
    from backcoach.services import exports

    pid = services.resolve_person(uow(), person)
    bundle = exports.fhir_bundle(uow(), pid, now())
    if out_file is None:
        print_json(bundle)
    else:
        write_bytes(out_file, (json.dumps(bundle, indent=2, ensure_ascii=False) + "\n").encode("utf-8"))
        out.print(f"FHIR bundle written to {out_file}")


@export_app.command("report")
def export_report(
    out_file: Optional[Path] = typer.Option(None, "--out", help="PDF file (default: backcoach-report-DATE.pdf)."),
    person: Optional[str] = PersonOpt,
) -> None:
    """A PDF progress report: summary, pain and adherence charts, decisions with their reasons."""
    from backcoach.services import exports

    _write_export(person, out_file, "backcoach-report-{date}.pdf", exports.report_pdf, "Report")


@export_app.command("chart")
def export_chart(
    out_file: Optional[Path] = typer.Option(None, "--out", help="PNG file (default: backcoach-pain-DATE.png)."),
    person: Optional[str] = PersonOpt,
) -> None:
    """The pain-over-time chart with the baseline (PNG)."""
    from backcoach.services import exports

    _write_export(person, out_file, "backcoach-pain-{date}.png", exports.pain_chart_png, "Pain chart")


def _write_export(person: Optional[str], out_file: Optional[Path], default_name: str,
                  make: Callable[[Any, int, Any], bytes], what: str) -> None:
    """Write the person's export to `out_file` (default: `default_name` with today's date) and say where."""
    from backcoach import services

    pid = services.resolve_person(uow(), person)
    path = out_file or Path(default_name.format(date=now().date().isoformat()))
    write_bytes(path, make(uow(), pid, now()))
    out.print(f"{what} written to {path}")
