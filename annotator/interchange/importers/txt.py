"""Plain text: the whole file is one document, stored verbatim; the title is the file name."""

from __future__ import annotations

from pathlib import PurePath

from annotator.interchange.importers.base import Importer, ParsedDocument, Rejection


def parse_txt(text: str, *, filename: str):
    if not text.strip():
        yield Rejection("file", "the file is empty")
        return
    yield ParsedDocument(where="file", text=text, title=PurePath(filename).stem, provenance={"kind": "txt",
                                                                                              "file": filename})  # fmt: skip


IMPORTER = Importer(
    name="txt", extensions=(".txt",), parse=lambda text, *, filename, **_: parse_txt(text, filename=filename)
)
