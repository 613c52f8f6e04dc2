import pytest

from annotator.core.offsets import Utf16Index, codepoint_to_utf16, utf16_to_codepoint, word_count

# "a😀b" : 😀 is one code point, two UTF-16 units.
# "e\u0301" : e + combining acute, two code points, two units.
TEXT = "a😀b e\u0301 c\u00a0d 中文 שלום 👍🏽!"


def test_astral_characters_count_once_in_code_points_and_twice_in_utf16():
    """Offsets after an emoji differ by one per emoji between the two counts."""
    assert codepoint_to_utf16("a😀b", 0) == 0
    assert codepoint_to_utf16("a😀b", 1) == 1
    assert codepoint_to_utf16("a😀b", 2) == 3
    assert codepoint_to_utf16("a😀b", 3) == 4
    assert utf16_to_codepoint("a😀b", 3) == 2
    assert utf16_to_codepoint("a😀b", 4) == 3


def test_combining_marks_nbsp_cjk_and_rtl_are_one_unit_each():
    """Only astral characters change the count; BMP characters map one to one."""
    index = Utf16Index(TEXT)
    start = TEXT.index("e\u0301")
    assert index.to_utf16(start) == start + 1  # one emoji before it
    assert index.to_utf16(start + 2) == start + 3
    nbsp = TEXT.index("\u00a0")
    assert index.to_codepoint(index.to_utf16(nbsp)) == nbsp


def test_round_trip_for_every_offset():
    """Converting there and back gives every code point offset back."""
    index = Utf16Index(TEXT)
    for offset in range(len(TEXT) + 1):
        assert index.to_codepoint(index.to_utf16(offset)) == offset
    # 👍🏽 is two astral code points: four UTF-16 units in all.
    assert index.to_utf16(len(TEXT)) == len(TEXT) + 3


def test_a_utf16_offset_inside_a_surrogate_pair_is_refused():
    """Half an emoji is not a position in the text."""
    with pytest.raises(ValueError, match="splits a surrogate pair"):
        utf16_to_codepoint("a😀b", 2)


def test_offsets_outside_the_text_are_refused():
    with pytest.raises(ValueError, match="outside"):
        codepoint_to_utf16("abc", 4)
    with pytest.raises(ValueError, match="outside"):
        utf16_to_codepoint("a😀", 4)


def test_word_count_splits_on_nbsp_and_newlines():
    assert word_count("one\u00a0two\nthree  four") == 4
