"""Exporters: FHIR R4 bundles for other clinical systems, PDF/PNG progress reports."""
