"""Exporters: FHIR R4 bundles for other clinical systems (fhir.resources), the PDF progress
report (reportlab) and the PNG pain chart, and the chart models (`charts`) that the pages,
the PDF and the PNG all draw."""
