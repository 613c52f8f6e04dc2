"""The one registry of export formats: name -> exporter.

An exporter turns an ExportSelection into a stream of bytes (``stream``) and
says what the stream is (media type, file extension). Every format streams,
so the same code serves HTTP responses and export jobs writing files.
"""

from __future__ import annotations

from annotator.core.errors import ApplicationError
from annotator.interchange.exporters.aif import AifExporter
from annotator.interchange.exporters.csv import CsvExporter
from annotator.interchange.exporters.native import NativeExporter
from annotator.interchange.exporters.web_annotation import WebAnnotationExporter

EXPORTERS = {
    exporter.name: exporter for exporter in (NativeExporter, AifExporter, WebAnnotationExporter, CsvExporter)
}


def exporter_get(name: str):
    try:
        return EXPORTERS[name]
    except KeyError:
        raise ApplicationError.field(
            "format", f"Unknown export format {name!r}; use one of {', '.join(EXPORTERS)}."
        ) from None
