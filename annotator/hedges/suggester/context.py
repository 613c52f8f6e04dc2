"""Context tests the hedge rules share: negation scope, holders, conditionals,
passive voice, and the closed word classes they rely on."""

from __future__ import annotations

import re
from dataclasses import dataclass

from annotator.hedges.suggester.tokens import Tokens, words

BE = words("is are was were be been being am 's 're it's that's there's what's which's who's he's she's")
BE_PREFIXED = words("it's that's there's what's which's who's he's she's")
DETERMINERS = words(
    "a an the this that these those its his her their our my your some any each every no another"
)
PRONOUN_HOLDERS = words("he she they who whom it him them")
FIRST_PERSON = words("i we")
# Adverbs a rule may look past between a cue and the word it governs.
SKIPPABLE = words("""also still now already not even only increasingly largely further then soon thus therefore indeed
    however well easily paradoxically indefinitely eventually ultimately certainly reportedly potentially
    just yet actually directly quickly perhaps very quite rather too really likely possibly probably
    conceivably seriously significantly dramatically badly once again soon long""")
NEGATORS = words("""not n't cannot never no neither nor nobody none without hardly nothing unrealistic unreasonable absurd
    baseless groundless unfounded denied denies deny denying dismissed dismisses rejected rejects refuted
    refutes""")
# Adverbs that sit between a negator and what it negates without using up the window.
NEGATION_TRANSPARENT = words("hitherto yet ever even still previously always once")
SPEECH_OR_THOUGHT = words("""say says said believe believes believed think thinks thought argue argues argued claim claims
    claimed suspect suspects suspected fear fears feared assume assume assumed agree agrees agreed contend
    contends contended consider considers considered see sees saw view views viewed regard regards regarded
    took take takes expect expects expected warn warns warned note notes noted suggest suggests suggested
    describe describes described call calls called insist insists insisted maintain maintains maintained
    told tell tells speculate speculates speculated point points pointed add adds added""")
TIME_WORDS = words("""soon next within later tomorrow week weeks month months year years shortly early before end
    summer winter spring autumn fall quarter today tonight""")


_YEAR_RE = re.compile(r"(?:mid-|early-|late-)?(?:19|20)\d\d")
MONTHS = words("january february march april may june july august september october november december")
DAYS = words("monday tuesday wednesday thursday friday saturday sunday")


def time_follows(t: Tokens, j: int, last: int) -> bool:
    """A time expression among tokens (j, last]: "next week", "by Friday", "by the end of ..."."""
    for k in range(j + 1, last + 1):
        w = t.low[k]
        if w in TIME_WORDS or _YEAR_RE.fullmatch(w):
            return True  # "next week", "in mid-2027", "in 2030"
        if w == "by":
            nxt = t.word(k + 1)
            if nxt == "the":
                nxt = t.word(k + 2)
            if (
                nxt in TIME_WORDS
                or nxt in MONTHS
                or nxt in DAYS
                or nxt[:1].isdigit()
                or nxt in {"then", "now", "easter", "christmas"}
            ):
                return True
    return False


@dataclass(frozen=True)
class Hit:
    """A cue found by a rule: token range [first, last] and the rule's confidence."""

    first: int
    last: int
    confidence: float


def prev_word_index(t: Tokens, i: int, skip: frozenset = SKIPPABLE) -> int:
    """Index of the nearest word before ``i`` in its sentence that is not in ``skip``; -1 if none."""
    first, _ = t.sentence_span(i)
    j = i - 1
    while j >= first:
        if t.is_word[j] and t.low[j] not in skip:
            return j
        if not t.is_word[j] and t.low[j] not in {",", "’", "'"}:
            return -1
        j -= 1
    return -1


def next_word_index(t: Tokens, i: int, skip: frozenset = SKIPPABLE) -> int:
    """Index of the nearest word after ``i`` in its sentence not in ``skip`` (commas looked past); -1 if none."""
    _, last = t.sentence_span(i)
    j = i + 1
    while j <= last:
        if t.is_word[j] and t.low[j] not in skip:
            return j
        if not t.is_word[j] and t.low[j] not in {",", "—", "–"}:
            return -1
        j += 1
    return -1


def subject_index(t: Tokens, i: int) -> int:
    """The word before a modal at ``i``, looking past one parenthetical set off by commas:
    "Cutting too early, the hawks argue, could ...", "The figure, due on Tuesday, should ...".
    A conditional set off that way is looked past too: "This relationship, if nurtured, could ..."
    has "relationship" as its subject, and a modal in a consequent is judged like any other."""
    if t.at(i - 1) == ",":
        first, _ = t.sentence_span(i)
        # a relative clause may run longer than other parentheticals:
        # "The summer monsoon, which usually brings thunderstorms to Arizona and New Mexico, should ..."
        reach = 30 if any(t.low[k] in {"which", "who", "whose"} for k in range(max(first, i - 30), i)) else 10
        for k in range(i - 2, max(first, i - reach) - 1, -1):
            if t.low[k] == ",":
                return prev_word_index(t, k)
            if not t.is_word[k]:
                break
    return prev_word_index(t, i)


_HEAD_PREPOSITIONS = frozenset({"between", "over", "against"}) | frozenset(
    {"in", "at", "on", "of", "from", "near", "across", "along", "outside", "inside"}
)


def subject_head(t: Tokens, s: int) -> int:
    """The head noun of a subject that ends in a prepositional phrase: "Residents in high-risk
    areas" -> "Residents", "the price of oil" -> "price"; else ``s`` itself."""
    if s < 0:
        return s
    first, _ = t.clause_span(s)
    for k in range(s - 1, max(first, s - 6) - 1, -1):
        if not t.is_word[k] and t.raw[k] not in {"-", "–"}:
            return s  # "high-risk" is one modifier
        if t.low[k] in _HEAD_PREPOSITIONS:
            head = k - 1
            return head if head >= first and t.is_word[head] and t.word(head).isalpha() else s
    return s


def words_between(t: Tokens, i: int, j: int) -> list[str]:
    return [t.low[k] for k in range(i + 1, j) if t.is_word[k]]


# Words in -ly that are no adverbs.
_NOT_ADVERBS = words("""only early family italy supply rely apply reply comply imply ally rally tally bully belly fly july
    holy ugly silly jolly reply friendly likely unlikely elderly costly deadly lonely lovely""")


def is_adverb(word: str) -> bool:
    return word.endswith("ly") and len(word) > 4 and word not in _NOT_ADVERBS


def negated(t: Tokens, i: int, window: int = 4) -> bool:
    """A negator or denial word among the ``window`` words before ``i`` in its clause.

    Adverbs do not use up the window: "neither side had hitherto publicly implied" is
    as negated as "neither side implied".
    """
    first, _ = t.clause_span(i)
    seen = 0
    j = i - 1
    while j >= first and seen < window:
        if t.is_word[j]:
            w = t.low[j]
            if w in NEGATORS or w.endswith("n't"):
                return True
            if not (is_adverb(w) or w in NEGATION_TRANSPARENT):
                seen += 1
        j -= 1
    return False


# Words that open a new finite clause: a negative subject before them is not the verb's.
_CLAUSE_OPENERS = frozenset(
    {
        "that",
        "which",
        "who",
        "whom",
        "because",
        "but",
        "although",
        "though",
        "while",
        "when",
        "if",
        "unless",
        "since",
        "whereas",
        ";",
        ":",
        ".",
    }
)
_NEGATIVE_SUBJECTS = frozenset({"nobody", "no-one", "none", "neither"})


def negative_subject(t: Tokens, i: int, window: int = 14) -> bool:
    """The verb at ``i`` has a negative subject, however far the subject sits before it:
    "Nobody at the paper, he added, had suspected that ...", "None of the officials I spoke to,
    including two who had defended him, suspected ...", "Not one member of the board ...
    suspected". What stands between two commas is a parenthetical: its words neither stop the
    search nor use up the window."""
    first, _ = t.sentence_span(i)
    commas = 0
    seen = 0
    j = i - 1
    while j >= first and seen < window:
        w = t.low[j]
        if w == ",":
            commas += 1
        elif commas % 2 == 0:
            if w in _CLAUSE_OPENERS:
                return False
            if w in _NEGATIVE_SUBJECTS or (w == "no" and t.word(j + 1) in {"one", "official", "officials"}):
                return True
            if w == "not" and t.word(j + 1) in {"one", "a"} and (j == first or t.at(j - 1) == ","):
                return True  # "Not one member of the board ..."
            if t.is_word[j]:
                seen += 1
        j -= 1
    return False


def is_passive(t: Tokens, i: int) -> bool:
    """The participle at ``i`` follows a form of "be" (adverbs between allowed)."""
    j = prev_word_index(t, i)
    return j >= 0 and t.low[j] in BE


def agent_follows(t: Tokens, i: int, window: int = 8) -> bool:
    """A "by ..." agent phrase follows ``i`` in its clause."""
    _, last = t.clause_span(i)
    return any(t.low[k] == "by" for k in range(i + 1, min(last, i + window) + 1))


def has_holder(t: Tokens, i: int) -> bool:
    """An attitude verb at ``i`` has a third-party subject right before it ("leaders suspected").

    False for the writer (I, we), for passives and for attributive use after a determiner
    or preposition, where nobody in particular holds the attitude.
    """
    j = prev_word_index(
        t, i, skip=SKIPPABLE | {"had", "have", "has", "did", "does", "do", "long", "privately"}
    )
    if j < 0:
        return False
    w = t.low[j]
    if w in FIRST_PERSON or w in BE or w in DETERMINERS:
        return False
    return w not in {
        "of",
        "in",
        "on",
        "at",
        "for",
        "with",
        "as",
        "from",
        "into",
        "to",
        "by",
        "and",
        "or",
        "than",
    }


def is_proper(t: Tokens, i: int) -> bool:
    """A capitalised word that is not just capitalised because it opens a sentence or a Title Case heading."""
    return t.is_capitalized(i) and not t.sentence_initial(i) and not t.title_case_sentence(i)
