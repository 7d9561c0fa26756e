"""Geospatial core: boundaries, gazetteer, claims, joins, import and export (no UI)."""
