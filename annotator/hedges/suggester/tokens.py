"""Tokens, sentences and clauses of a plain text, with code point offsets.

A hand-rolled tokenizer rather than spaCy/NLTK/stanza: spaCy's English models
are not published on PyPI by Explosion (only third-party re-uploads exist),
NLTK and stanza fetch their models at run time, and even spaCy's small
pipeline tags about 10,000 words a second on one core, ten times too slow for
the 100,000-words-in-a-second target. The hedge rules only need words,
sentence and clause boundaries, capitalisation and a few closed word classes.

Every offset is a code point index into the text as given (Python ``str``).
Whitespace, including the no-break space, is never part of a token, so a cue
can never begin or end with one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

# A word keeps inner apostrophes (it's, can't, Pakistan’s); a newline is a token
# so that headings and list items are sentences of their own.
_TOKEN_RE = re.compile(r"(\n)|([^\W_]+(?:['’][^\W_]+)*)|([^\w\s])")


def words(text: str) -> frozenset[str]:
    """A closed word class written as one space-separated string."""
    return frozenset(text.split())


SENTENCE_END = frozenset(".!?…")
CLAUSE_BREAK = frozenset({",", ";", ":", "(", ")", "—", "–", "[", "]"})
ABBREVIATIONS = words(
    "mr mrs ms dr st prof gen lt col sen rep gov no vs etc jan feb mar apr jun jul aug sep sept oct nov dec"
    " u s e g i inc ltd co jr sr"
)


@dataclass
class Tokens:
    """Parallel arrays, one entry per token (cheaper than one object per token)."""

    text: str
    starts: list[int] = field(default_factory=list)
    ends: list[int] = field(default_factory=list)
    raw: list[str] = field(default_factory=list)
    low: list[str] = field(default_factory=list)
    is_word: list[bool] = field(default_factory=list)
    sentence: list[int] = field(default_factory=list)
    sentence_bounds: list[tuple[int, int]] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.starts)

    def word(self, i: int) -> str:
        """The lower-cased word at ``i``; '' outside the text or for punctuation."""
        if 0 <= i < len(self.low) and self.is_word[i]:
            return self.low[i]
        return ""

    def at(self, i: int) -> str:
        """The lower-cased token at ``i`` (word or punctuation); '' outside the text."""
        return self.low[i] if 0 <= i < len(self.low) else ""

    def same_sentence(self, i: int, j: int) -> bool:
        return 0 <= j < len(self.sentence) and self.sentence[i] == self.sentence[j]

    def sentence_span(self, i: int) -> tuple[int, int]:
        """Token indexes [first, last] of the sentence holding token ``i``."""
        return self.sentence_bounds[self.sentence[i]]

    def clause_span(self, i: int) -> tuple[int, int]:
        """Token indexes [first, last] of the clause (between commas, dashes, ...) holding ``i``."""
        first, last = self.sentence_span(i)
        a = i
        while a > first and self.low[a - 1] not in CLAUSE_BREAK:
            a -= 1
        b = i
        while b < last and self.low[b + 1] not in CLAUSE_BREAK:
            b += 1
        return a, b

    def is_capitalized(self, i: int) -> bool:
        return self.is_word[i] and self.raw[i][:1].isupper()

    def sentence_initial(self, i: int) -> bool:
        first, _ = self.sentence_span(i)
        j = first
        while j < i and not self.is_word[j]:
            j += 1
        return j == i

    def title_case_sentence(self, i: int) -> bool:
        """Whether the sentence of ``i`` is a Title Case heading (most words capitalised)."""
        first, last = self.sentence_span(i)
        while last > first and self.low[last] == "\n":
            last -= 1
        if self.low[last] in SENTENCE_END:
            return False  # headings carry no full stop
        words = [k for k in range(first, last + 1) if self.is_word[k] and self.raw[k][:1].isalpha()]
        if len(words) < 3:
            return False
        caps = sum(1 for k in words if self.raw[k][:1].isupper())
        return caps >= 0.7 * len(words)


def tokenize(text: str) -> Tokens:
    toks = Tokens(text=text)
    starts, ends, raw, low, is_word = toks.starts, toks.ends, toks.raw, toks.low, toks.is_word
    for m in _TOKEN_RE.finditer(text):
        s = m.group(0)
        starts.append(m.start())
        ends.append(m.end())
        raw.append(s)
        word = m.lastindex == 2
        is_word.append(word)
        low.append(s.lower().replace("’", "'") if word else s)
    _split_sentences(toks)
    return toks


def _split_sentences(toks: Tokens) -> None:
    n = len(toks.starts)
    sentence = [0] * n
    bounds: list[tuple[int, int]] = []
    low, raw, is_word = toks.low, toks.raw, toks.is_word
    current = 0
    first = 0
    i = 0
    while i < n:
        sentence[i] = current
        tok = low[i]
        boundary = False
        if tok == "\n":
            boundary = True
        elif tok in SENTENCE_END:
            # Swallow closing quotes and brackets after the stop.
            while i + 1 < n and low[i + 1] in {'"', "”", "’", "'", ")", "]", ".", "!", "?"}:
                i += 1
                sentence[i] = current
            nxt = i + 1
            prev_word = low[i - 1] if i > 0 and is_word[i - 1] else ""
            if nxt >= n:
                boundary = True
            elif low[nxt] == "\n":
                boundary = False  # the newline itself ends the sentence
            elif tok == "." and (prev_word in ABBREVIATIONS or (len(prev_word) == 1 and prev_word.isalpha())):
                boundary = False
            else:
                first_char = raw[nxt][:1]
                boundary = first_char.isupper() or first_char.isdigit() or first_char in "\"“‘'("
        if boundary:
            bounds.append((first, i))
            current += 1
            first = i + 1
        i += 1
    if first < n:
        bounds.append((first, n - 1))
    elif not bounds:
        bounds.append((0, max(n - 1, 0)))
    toks.sentence = sentence
    toks.sentence_bounds = bounds
