"""The browser's offset module (static/annotator/js/offsets.js), run in Chromium.

UTF-16 (DOM) <-> code points (server) conversion and word snapping, with
emoji, flags, combining marks, CJK, right-to-left text and NBSP.
"""

import pytest

pytestmark = [pytest.mark.browser]

RUN = """
async ([name, text, args]) => {
  const m = await import('/static/annotator/js/offsets.js');
  const index = new m.OffsetIndex(text);
  if (name === 'toCodePoint') return args.map((u) => index.toCodePoint(u));
  if (name === 'toUtf16') return args.map((c) => index.toUtf16(c));
  if (name === 'snap') return m.snapToWords(text, args[0], args[1]);
  if (name === 'clamp') return m.clampToCharacters(index, args[0], args[1]);
  if (name === 'lengths') return [index.length16, index.lengthCp];
}
"""


@pytest.fixture
def run(page, live_server):
    page.goto("/login/")
    return lambda name, text, args=None: page.evaluate(RUN, [name, text, args or []])


def test_conversion_counts_astral_characters_once(run):
    """'a😀b🇫🇷c': the emoji is 2 UTF-16 units, the flag 4 (two regional
    indicators), each 1 code point per indicator; both directions agree."""
    text = "a😀b🇫🇷c"
    assert run("lengths", text) == [9, 6]
    assert run("toCodePoint", text, [0, 1, 3, 4, 6, 8, 9]) == [0, 1, 2, 3, 4, 5, 6]
    assert run("toUtf16", text, [0, 1, 2, 3, 4, 5, 6]) == [0, 1, 3, 4, 6, 8, 9]
    # Inside a surrogate pair counts as the start of that character.
    assert run("toCodePoint", text, [2]) == [1]


def test_combining_marks_nbsp_cjk_and_rtl_are_one_unit_each(run):
    """BMP characters (combining acute, NBSP, Han, Arabic) are one unit in both counts."""
    text = "cafe\u0301\u00a0中文 مرحبا"
    assert run("lengths", text) == [len(text), len(text)]
    assert run("toUtf16", text, [5, 6, 8, 9, 14]) == [5, 6, 8, 9, 14]


def test_snapping_grows_to_words_and_trims_spaces(run):
    """A sloppy selection grows to whole words and loses surrounding spaces,
    NBSP included; a combining mark stays with its letter; hyphenated words stay whole."""
    text = "It is\u00a0widely considered that the post-modern cafe\u0301 won."
    # " idely consid" -> "widely considered"
    assert run("snap", text, [5, 18]) == [6, 23]
    start = text.index("post")
    assert run("snap", text, [start + 2, start + 7]) == [start, start + len("post-modern")]
    cafe = text.index("cafe")
    assert run("snap", text, [cafe, cafe + 3]) == [cafe, cafe + 5]
    # Trailing curly apostrophe and hyphen are trimmed from the end.
    quote = "the ‘US’ said"
    assert run("snap", quote, [5, 7]) == [5, 7]


def test_snapping_leaves_cjk_and_emoji_alone_and_never_splits_pairs(run):
    """Han text has no spaces, so the selection is kept as is; a selection
    edge inside a surrogate pair is moved outward without snapping."""
    text = "中文的句子很长"
    assert run("snap", text, [3, 5]) == [3, 5]
    emoji = "a 😀 b"
    assert run("clamp", emoji, [3, 4]) == [2, 4]
    assert run("snap", emoji, [1, 5]) == [2, 4]
