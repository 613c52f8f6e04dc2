"""Publisher boilerplate the guideline skips: comment forms, "Read more" links,
disclaimers, author bios, sidebar teasers, site headers.

Detection is by line and paragraph shape, not by outlet: a line that is a
known publisher phrase is skipped; a comment-form or "related stories" heading
ends the article (everything after it is the page's furniture); a paragraph
carrying a disclaimer or an author bio is skipped whole.
"""

from __future__ import annotations

import re

# A line that starts with one of these is furniture, not article text.
_LINE_RE = re.compile(
    r"""^\s*(?:
        \|                                  # "| Welcome to ..." site headers
      | welcome\ to\b
      | read\ (?:more|also|next)\b
      | also\ read\b | see\ also\b | related\s*(?::|articles|posts|stories|reading|content)
      | recommended\b | trending\b | popular\ (?:posts|stories)\b | more\ from\b | more\ stories\b
      | you\ (?:may|might)\ also\ (?:like|enjoy|be\ interested)
      | sponsored\b | advertisement\b | subscribe\b | sign\ up\b | follow\ us\b
      | share\ (?:this|on)\b | click\ here\b | tags\s*: | categories\s*: | filed\ under\b | posted\ in\b
      | copyright\b | © | all\ rights\ reserved
      | disclaimer\b | about\ the\ author\b
      | leave\ a\ (?:reply|comment)\b | please\ enter\ your\b | fill\ in\ your\ details
      | you\ are\ commenting\ using | connecting\ to\ %s | this\ site\ uses\ akismet
      | like\ this\s*: | loading\.\.\. | %d\ bloggers
      | photo\ (?:credit|:) | image\ (?:credit|:)
      | join\ the\ (?:conversation|discussion)\b | have\ your\ say\b | got\ a\ (?:story|tip)\b
      | comments\ (?:are|may|will)\b
    )""",
    re.IGNORECASE | re.VERBOSE,
)

# Furniture phrases found anywhere in a short line ("What do you think? ... Join the
# conversation in the comments below. Comments are moderated and may take ...").
_ANYWHERE_RE = re.compile(
    r"join\s+the\s+(?:conversation|discussion)|comments\s+(?:are|may\s+be)\s+moderated|have\s+your\s+say"
    r"|sign\s+up\s+for\s+our|our\s+newsletter|tips?@|correction\s*:|leave\s+a\s+comment|unsubscribe"
    r"|our\s+standards\s*:|see\s+our\s+disclaimer|(?:may|can)\s+be\s+reached\s+(?:at|via|on|through)"
    r"|freely\s+reproduced|reflects\s+the\s+author[’']s\s+(?:own\s+)?views|this\s+article\s+was\s+(?:amended|corrected|updated)",
    re.IGNORECASE,
)

# A line consisting of one of these headings ends the article body.
_TAIL_RE = re.compile(
    r"""^\s*(?:leave\ a\ (?:reply|comment)|must\ read|related\ (?:articles|posts|stories)|more\ stories
      | you\ (?:may|might)\ also\ like|recommended\ for\ you|reader\ comments|join\ the\ (?:conversation|discussion)
      | \d+\ comments?|comments|most\ (?:read|popular))\s*:?\s*$""",
    re.IGNORECASE | re.VERBOSE,
)

_DISCLAIMER_RE = re.compile(
    r"does\s+not\s+constitute\s+(?:an\s+offer|investment|financial|legal)|forward-looking\s+statements"
    r"|past\s+performance\s+is\s+not|for\s+(?:general\s+)?information(?:al)?\s+purposes\s+only"
    r"|not\s+(?:financial|investment|legal)\s+advice|views\s+expressed|do(?:es)?\s+not\s+necessarily\s+reflect|opinions\s+expressed\s+(?:in|by)\s+(?:this|the)",
    re.IGNORECASE,
)

_BIO_RE = re.compile(
    r"^\s*(?:[A-Z][\w.’'-]+\s+){1,3}(?:"
    r"(?:is|was)\s+(?:(?:a|an|the)\s+)?[^.\n]{0,200}?\b(?:analyst|journalist|writer|author|"
    r"contributor|columnist|editor|correspondent|researcher|professor|fellow|scholar|commentator|host|reporter|"
    r"lecturer|director|student|expert|economist|adviser|advisor)s?\b"
    # "Dana Whitcombe covers competition policy for the Ledger", "writes about energy for ..."
    r"|(?:covers|writes\s+about|reports\s+on)\b[^.\n]{0,120}?\bfor\s+(?:the\s+)?[A-Z])"
)

# A "Read more" / "Related" heading alone on its line: the teaser links under it, up to the
# next blank line, are the page's furniture ("Read more:\nWhy Europe's rockets might ...").
_TEASER_HEADING_RE = re.compile(
    r"^\s*(?:read\ (?:more|also|next)|also\ read|see\ also|related(?:\ (?:articles|posts|stories|reading))?"
    r"|more\ (?:from|on)\b[^\n]{0,40}|more\ stories|you\ (?:may|might)\ also\ like)\s*:?\s*$",
    re.IGNORECASE | re.VERBOSE,
)
_TEASER_BLOCK_RE = re.compile(r"[^\n]*(?:\n(?![ \t]*\n)[^\n]*)*")

_MAX_FURNITURE_LINE = 300
_PARAGRAPH_RE = re.compile(r"[^\n]+(?:\n(?!\s*\n)[^\n]*)*")


# Words one of which every disclaimer holds: a substring test spares the regex on most paragraphs.
_DISCLAIMER_WORDS = (
    "views",
    "reflect",
    "opinions",
    "constitute",
    "forward-looking",
    "performance",
    "purposes",
    "advice",
)


def _may_disclaim(para: str) -> bool:
    low = para.lower()
    return any(w in low for w in _DISCLAIMER_WORDS)


def boilerplate_ranges(text: str) -> list[tuple[int, int]]:
    """Sorted, non-overlapping [start, end) code point ranges to skip."""
    ranges: list[tuple[int, int]] = []
    for m in re.finditer(r"[^\n]*", text):
        line = m.group(0)
        if not line.strip():
            continue
        if _TAIL_RE.match(line):
            ranges.append((m.start(), len(text)))
            break
        # Furniture lines are short; a long paragraph that happens to open with "Recommended"
        # or "Welcome to" is article text. Disclaimers are found by paragraph below.
        if _TEASER_HEADING_RE.match(line):
            block = _TEASER_BLOCK_RE.match(text, m.start())
            ranges.append((m.start(), block.end()))
        elif len(line) <= _MAX_FURNITURE_LINE and (_LINE_RE.match(line) or _ANYWHERE_RE.search(line)):
            ranges.append((m.start(), m.end()))
    # Disclaimers anywhere; author bios only in the second half of the page.
    tail_from = len(text) // 2
    for m in _PARAGRAPH_RE.finditer(text):
        para = m.group(0)
        if (_may_disclaim(para) and _DISCLAIMER_RE.search(para)) or (
            m.start() >= tail_from and _BIO_RE.match(para)
        ):
            ranges.append((m.start(), m.end()))
    return _merge(ranges)


def _merge(ranges: list[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for start, end in sorted(ranges):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged
