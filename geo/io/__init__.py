"""Files in and out of the project: exports of map layers, imports of ACLED and UCDP GED.

The public face of the sub-package; everything outside it imports from here.

- :func:`write_layer` writes a layer as RFC 7946 GeoJSON, GeoPackage or CSV (picked by
  the file's extension; ``-`` is GeoJSON on standard output), atomically;
  :func:`layer_bytes` builds the same in memory for downloads; :func:`to_rfc7946`
  and :func:`write_geojson` are the GeoJSON itself;
- :func:`import_file` converts an ACLED or UCDP GED export into an events CSV with a
  rejection report, reading it in chunks (bounded memory at any size); :func:`convert_file`
  does the conversion alone; :data:`ACLED_COLUMNS` is ACLED's header;
- :func:`download_name` names an exported file after its layer, filters and window;
  :func:`export_metadata` is what every exported file says about itself (GeoJSON's
  ``metadata`` member, the GeoPackage layer's metadata, a CSV's sidecar
  :func:`sidecar_path` holding :func:`metadata_bytes`).

Inside: ``geojson``, ``export``, ``metadata``; ``acled`` and ``ucdp`` (each source's columns and
codes), ``_table`` (reading an export), ``_places`` (its places), ``_columns``
(column helpers) and ``importers``.
"""

from __future__ import annotations

from geo.io.acled import ACLED_COLUMNS
from geo.io.export import OUTPUT_FORMATS, check_target, layer_bytes, output_format, write_layer
from geo.io.geojson import geojson_bytes, to_rfc7946, write_geojson
from geo.io.importers import (
    IMPORT_FORMATS,
    IMPORT_STAGES,
    Conversion,
    ImportSummary,
    convert_file,
    import_file,
    report_path,
)
from geo.io.metadata import (
    LICENCE,
    download_name,
    export_metadata,
    filter_slug,
    metadata_bytes,
    sidecar_path,
)

__all__ = [
    "ACLED_COLUMNS",
    "IMPORT_FORMATS",
    "IMPORT_STAGES",
    "LICENCE",
    "OUTPUT_FORMATS",
    "Conversion",
    "ImportSummary",
    "check_target",
    "convert_file",
    "download_name",
    "export_metadata",
    "filter_slug",
    "geojson_bytes",
    "import_file",
    "layer_bytes",
    "metadata_bytes",
    "output_format",
    "report_path",
    "sidecar_path",
    "to_rfc7946",
    "write_geojson",
    "write_layer",
]
