"""The one registry of import formats: name -> Importer (name, file extensions, parse).

A new format is one module here with an ``Importer`` and one entry in ``IMPORTERS``;
the format list (API choices, the command's ``--format``) and the extension guess are
derived from it. Parsers never write: import_parse.py validates what they yield and
import_writer.py writes it.
"""

from __future__ import annotations

from pathlib import PurePath

from annotator.core.errors import ApplicationError
from annotator.interchange.importers import jsonl, native, txt
from annotator.interchange.importers.base import Importer

IMPORTERS: dict[str, Importer] = {
    importer.name: importer for importer in (txt.IMPORTER, jsonl.IMPORTER, jsonl.DOCCANO, native.IMPORTER)
}


def import_formats() -> tuple[str, ...]:
    return tuple(IMPORTERS)


def import_extensions() -> dict[str, str]:
    """File extension -> format name, for files uploaded without a format."""
    return {extension: importer.name for importer in IMPORTERS.values() for extension in importer.extensions}


def _names() -> str:
    *rest, last = IMPORTERS
    return f"{', '.join(rest)} or {last}"


def import_format_for(filename: str, requested: str | None) -> str:
    """The format asked for (checked), else the one the file's extension names."""
    if requested:
        if requested not in IMPORTERS:
            raise ApplicationError.field(
                "format", f"Unknown import format {requested!r}; use one of {', '.join(IMPORTERS)}."
            )
        return requested
    guessed = import_extensions().get(PurePath(filename).suffix.lower())
    if guessed is None:
        raise ApplicationError.field(
            "format", f"Cannot tell the format of {filename!r} from its name; say format={_names()}."
        )
    return guessed


def importer_get(name: str) -> Importer:
    return IMPORTERS[import_format_for("", name)]
