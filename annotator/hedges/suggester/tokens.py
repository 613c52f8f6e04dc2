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
from bisect import bisect_right
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


CLOSERS = frozenset({'"', "”", "’", "'", ")", "]"})


@dataclass
class Tokens:
    """Parallel arrays, one entry per token (cheaper than one object per token).

    Sentences are found lazily around the tokens a rule asks about: most of a
    text holds no trigger word, and a pass over every token in Python would
    cost more than the tokenizing itself.
    """

    text: str
    starts: list[int] = field(default_factory=list)
    ends: list[int] = field(default_factory=list)
    raw: list[str] = field(default_factory=list)
    low: list[str] = field(default_factory=list)
    is_word: list[bool] = field(default_factory=list)
    _firsts: list[int] = field(default_factory=list)
    _spans: list[tuple[int, int]] = field(default_factory=list)

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

    def ends_sentence(self, k: int) -> bool:
        """Whether a sentence ends with token ``k`` (a newline, or a stop and its closing quotes)."""
        low = self.low
        tok = low[k]
        if tok == "\n":
            return True
        if tok not in SENTENCE_END and tok not in CLOSERS:
            return False
        n = len(low)
        nxt = k + 1
        if nxt < n and (low[nxt] in CLOSERS or low[nxt] in SENTENCE_END):
            return False  # the sentence goes on through the closing quotes
        stop = k
        while stop >= 0 and low[stop] in CLOSERS:
            stop -= 1
        if stop < 0 or low[stop] not in SENTENCE_END:
            return False  # a quote or bracket that closes no sentence
        while stop > 0 and low[stop - 1] in SENTENCE_END:
            stop -= 1
        if nxt >= n:
            return True
        if low[nxt] == "\n":
            return False  # the newline itself ends the sentence
        prev_word = low[stop - 1] if stop > 0 and self.is_word[stop - 1] else ""
        if low[stop] == "." and (prev_word in ABBREVIATIONS or (len(prev_word) == 1 and prev_word.isalpha())):
            return False
        first_char = self.raw[nxt][:1]
        return first_char.isupper() or first_char.isdigit() or first_char in "\"“‘'("

    def sentence_span(self, i: int) -> tuple[int, int]:
        """Token indexes [first, last] of the sentence holding token ``i``.

        Sentences found are kept by their first token, so a second question about any token
        of a known sentence is a bisection, not another walk over it (texts of one long
        sentence full of trigger words made the walks quadratic)."""
        k = bisect_right(self._firsts, i) - 1
        if k >= 0 and self._spans[k][1] >= i:
            return self._spans[k]
        a = i
        while a > 0 and not self.ends_sentence(a - 1):
            a -= 1
        b = i
        last = len(self.low) - 1
        while b < last and not self.ends_sentence(b):
            b += 1
        k = bisect_right(self._firsts, a)
        self._firsts.insert(k, a)
        self._spans.insert(k, (a, b))
        return a, b

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
        """Whether the sentence of ``i`` is a Title Case heading (no full stop, most words capitalised)."""
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
    matches = list(_TOKEN_RE.finditer(text))
    raw = [m.group() for m in matches]
    is_word = [m.lastindex == 2 for m in matches]
    low = [r.lower() for r in raw]
    if "’" in text:
        low = [w.replace("’", "'") if "’" in w else w for w in low]
    return Tokens(
        text=text,
        starts=[m.start() for m in matches],
        ends=[m.end() for m in matches],
        raw=raw,
        low=low,
        is_word=is_word,
    )
