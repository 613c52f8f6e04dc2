"""What every exporter shares: file naming, progress reporting, buffered output."""

from __future__ import annotations

from collections.abc import Callable, Iterator

from django.utils import timezone

from annotator.interchange.selection import ExportSelection

Progress = Callable[[int, int], None]  # (documents done, annotations done)
BUFFER_CHARS = 256 * 1024


class Exporter:
    name = ""
    extension = "json"
    media_type = "application/json"

    @classmethod
    def filename(cls, selection: ExportSelection) -> str:
        scope = selection.project.slug
        if selection.document_ids is not None and len(selection.document_ids) == 1:
            scope += f"-document-{selection.document_ids[0]}"
        stamp = timezone.now().strftime("%Y%m%d-%H%M%S")
        return f"{scope}-{cls.name}-{selection.status}-{stamp}.{cls.extension_for(selection)}"

    @classmethod
    def extension_for(cls, selection: ExportSelection) -> str:
        return cls.extension

    @classmethod
    def media_type_for(cls, selection: ExportSelection) -> str:
        return cls.media_type

    @classmethod
    def stream(
        cls, selection: ExportSelection, *, base_url: str = "", progress: Progress | None = None
    ) -> Iterator[bytes]:
        raise NotImplementedError


class TextBuffer:
    """Collects text and hands it on as UTF-8 chunks of a useful size."""

    def __init__(self):
        self.parts: list[str] = []
        self.size = 0

    def add(self, text: str) -> bytes | None:
        self.parts.append(text)
        self.size += len(text)
        if self.size >= BUFFER_CHARS:
            return self.flush()
        return None

    def flush(self) -> bytes:
        data = "".join(self.parts).encode("utf-8")
        self.parts.clear()
        self.size = 0
        return data


def iso(value) -> str | None:
    return value.isoformat() if value is not None else None
