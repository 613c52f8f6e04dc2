"""A ZIP archive written as a stream of byte chunks (for HTTP responses and job files).

zipfile can write to an unseekable file (it then uses data descriptors); the
sink below collects what it writes so a generator can hand it on piece by
piece, keeping memory flat however large the archive.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterable, Iterator

FLUSH_BYTES = 256 * 1024


class _Sink(io.RawIOBase):
    def __init__(self):
        self.parts: list[bytes] = []
        self.size = 0

    def writable(self) -> bool:
        return True

    def write(self, data) -> int:
        self.parts.append(bytes(data))
        self.size += len(data)
        return len(data)

    def drain(self) -> bytes:
        data = b"".join(self.parts)
        self.parts.clear()
        self.size = 0
        return data


def zip_stream(entries: Iterable[tuple[str, Iterable[bytes]]]) -> Iterator[bytes]:
    """Yield a ZIP of ``(name, chunks)`` entries, each entry's chunks written as they come."""
    sink = _Sink()
    with zipfile.ZipFile(sink, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        for name, chunks in entries:
            with archive.open(name, "w", force_zip64=True) as entry:
                for chunk in chunks:
                    entry.write(chunk)
                    if sink.size >= FLUSH_BYTES:
                        yield sink.drain()
            yield sink.drain()
    yield sink.drain()
