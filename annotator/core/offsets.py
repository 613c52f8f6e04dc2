"""Offsets are Unicode code points over the stored text.

Browsers count UTF-16 code units: every character outside the Basic
Multilingual Plane (most emoji) is two units there and one code point here.
These helpers convert at that boundary.
"""

from __future__ import annotations

from bisect import bisect_right


class Utf16Index:
    """Converts offsets in both directions for one text in O(log n)."""

    def __init__(self, text: str):
        self.text = text
        # Code point positions of astral characters, in order.
        self._astral = [i for i, ch in enumerate(text) if ord(ch) > 0xFFFF]

    def to_utf16(self, codepoint_offset: int) -> int:
        if not 0 <= codepoint_offset <= len(self.text):
            raise ValueError(f"offset {codepoint_offset} is outside 0..{len(self.text)}")
        return codepoint_offset + bisect_right(self._astral, codepoint_offset - 1)

    def to_codepoint(self, utf16_offset: int) -> int:
        # Walk the astral positions: each one before the offset adds a unit.
        lo, hi = 0, len(self.text)
        if utf16_offset < 0 or utf16_offset > self.to_utf16(hi):
            raise ValueError(f"UTF-16 offset {utf16_offset} is outside the text")
        while lo < hi:
            mid = (lo + hi) // 2
            if self.to_utf16(mid) < utf16_offset:
                lo = mid + 1
            else:
                hi = mid
        if self.to_utf16(lo) != utf16_offset:
            raise ValueError(f"UTF-16 offset {utf16_offset} splits a surrogate pair")
        return lo


def utf16_to_codepoint(text: str, utf16_offset: int) -> int:
    return Utf16Index(text).to_codepoint(utf16_offset)


def codepoint_to_utf16(text: str, codepoint_offset: int) -> int:
    return Utf16Index(text).to_utf16(codepoint_offset)


def word_count(text: str) -> int:
    """Words as whitespace-separated tokens (NBSP counts as a separator)."""
    return len(text.split())
