"""Modal cues: epistemic modals and probability words (kind "modal")."""

from __future__ import annotations

from annotator.hedges.suggester.context import (
    BE,
    FIRST_PERSON,
    TIME_WORDS,
    Hit,
    in_conditional,
    is_proper,
    next_word_index,
    prev_word_index,
    words_between,
)
from annotator.hedges.suggester.tokens import Tokens, words

# Verbs after "could" that describe an outcome rather than an agent's deliberate act:
# "could fracture", "could mean", "could serve as" read as "might"; "could push",
# "could compel", "could rely" read as "would be able to" (ability, not a cue).
OUTCOME_VERBS = words("""be have mean lead result spark trigger fracture happen occur become prove cause escalate undermine
    destabilize destabilise derail change spell spill worsen end turn emerge follow collapse fall rise grow
    increase decrease reach provoke jeopardize jeopardise threaten spiral complicate hurt harm damage backfire
    bring open pose serve draw affect face see take last cost come go get explain reflect signal indicate
    suggest imply backfire erupt unravel fail succeed weaken strengthen reshape alter shift boost undercut
    embolden encourage deepen widen fuel intensify exacerbate hinder hamper jeopardize deteriorate
    disappear vanish die continue remain stall slow accelerate overwhelm destroy cripple topple disrupt
    paralyze paralyse sink doom unleash upend wreck ruin tip hit kill displace delay derail outlast
    outweigh dwarf erode drain deplete swamp plunge soar surge drop spread""")
# Agents: with these subjects "could" + a deliberate act reads as ability or option.
AGENT_NOUNS = words(
    """government army party leaders leader officials official militants rebels troops forces police opposition
    regime administration ministry court parliament voters minister president state states country countries
    group groups side sides players capitals allies partners mediators diplomats commanders militias
    negotiators companies firms investors banks donors"""
)
EPISTEMIC_ADVERBS = words("well easily potentially conceivably possibly paradoxically ultimately eventually")
MIGHT_NOUN_PREV = words("""its his her their our my your the military economic naval industrial full all with american russian
    chinese western soviet financial nuclear sheer might""")
COMPARISON_VERBS = words("seem appear look sound think expect imagine suppose assume believe have")
MONTH_PREV = words("in on since until till by early late mid last next this of from before after")
NOT_NOUN_HEAD = words(
    """of to for and or in is was are were that as with at on by from but , . ; : which has have"""
)


def _comparison(t: Tokens, i: int) -> bool:
    """ "as simple as it might seem", "than one might think": appearance that hedges no claim."""
    nxt = next_word_index(t, i)
    if nxt < 0 or t.low[nxt] not in COMPARISON_VERBS:
        return False
    first, _ = t.clause_span(i)
    back = [t.low[k] for k in range(max(first, i - 4), i) if t.is_word[k]]
    return "as" in back[-3:] or "than" in back[-3:]


# Words before "could" that are no inanimate subject (pronouns for people and groups, relatives).
_NOT_THINGS = words(
    """he she they we i you who which that it one someone anyone nobody everyone and or but also
    first second third latter former last other others each both either neither"""
)


def _adverb(word: str) -> bool:
    return word.endswith("ly") and word not in {
        "only",
        "early",
        "family",
        "italy",
        "supply",
        "rely",
        "apply",
        "reply",
    }


def might(t: Tokens, i: int) -> Hit | None:
    nxt = t.at(i + 1)
    if t.word(i - 1) in MIGHT_NOUN_PREV or nxt in {"of", "and", ",", ".", ";", ")", "\n", ""}:
        return None  # the noun: "military might", "with all its might"
    if t.word(i + 1) == "as" and t.word(i + 2) == "well":
        return None
    if _comparison(t, i):
        return None
    return Hit(i, i, 0.95)


def may(t: Tokens, i: int) -> Hit | None:
    prev, nxt = t.word(i - 1), t.at(i + 1)
    if t.raw[i] == "May" and (prev in MONTH_PREV or nxt[:1].isdigit() or t.at(i - 1)[:1].isdigit()):
        return None  # the month
    if t.raw[i] == "May" and i > 0 and t.is_capitalized(i - 1) and not t.title_case_sentence(i):
        return None  # a surname: Theresa May
    if [t.word(i - k) for k in (4, 3, 2, 1)] == ["be", "that", "as", "it"]:
        return None
    if prev == "what" and t.word(i - 2) == "come":
        return None
    if nxt in {"i", "we"} or prev in {"you", "readers", "users", "visitors", "applicants"}:
        return None  # permission
    if _comparison(t, i):
        return None
    first, _ = t.sentence_span(i)
    if t.word(first) in {"while", "although", "though"} and t.clause_span(i)[0] == first:
        return Hit(i, i, 0.7)  # concessive: "While Russia may view ...": still the writer's may
    return Hit(i, i, 0.9)


def could(t: Tokens, i: int) -> Hit | None:
    if t.word(i - 1) in {"if", "how", "what", "so"}:
        return None
    j = next_word_index(t, i, skip=frozenset())
    while j >= 0 and (t.low[j] in EPISTEMIC_ADVERBS | {"also", "still", "even", "soon"} or _adverb(t.low[j])):
        j = next_word_index(t, j, skip=frozenset())
    if j < 0:
        return None
    verb = t.low[j]
    if verb in {"not", "never", "hardly"} or t.low[i].endswith("n't"):
        return None  # "could not": ability or impossibility
    between = set(words_between(t, i, j))
    if in_conditional(t, i):
        return None
    first, _ = t.clause_span(i)
    back = [t.low[k] for k in range(max(first, i - 8), i) if t.is_word[k]]
    if any(w in {"hopes", "hope", "hoped", "hoping", "able", "order"} for w in back):
        return None  # purpose and hope: "in the hopes that X could deter" is ability
    if verb in {"be", "have"}:
        return Hit(i, i, 0.9)
    if verb in OUTCOME_VERBS:
        return Hit(i, i, 0.8)
    subject = t.word(i - 1)
    if (
        subject
        and subject.isalpha()
        and not t.is_capitalized(i - 1)
        and subject not in AGENT_NOUNS | _NOT_THINGS
    ):
        return Hit(
            i, i, 0.7
        )  # a thing, not an agent, as subject: "the shift could serve", "prices could climb"
    if between & EPISTEMIC_ADVERBS:
        return Hit(i, i, 0.75)
    return None


def should(t: Tokens, i: int) -> Hit | None:
    """Epistemic should: an expectation about an event, usually with a time ("should arrive by Friday")."""
    if t.sentence_initial(i):
        return None  # "Should the talks fail, ...": a conditional
    subj = prev_word_index(t, i)
    if subj < 0 or t.low[subj] in FIRST_PERSON | {"you", "they", "he", "she", "who"} or is_proper(t, subj):
        return None
    j = next_word_index(t, i)
    if j < 0:
        return None
    verb = t.low[j]
    first, last = t.sentence_span(i)
    has_time = any(t.low[k] in TIME_WORDS for k in range(j + 1, last + 1))
    expectation_verbs = {
        "arrive", "reach", "come", "last", "take", "happen", "occur", "begin", "start", "finish", "follow",
        "improve", "rise", "fall", "increase", "decline", "ease", "peak", "recover", "resume", "pass", "open",
    }  # fmt: skip
    if verb in expectation_verbs and has_time:
        return Hit(i, i, 0.75)
    state_words = {
        "ready",
        "completed",
        "complete",
        "finished",
        "done",
        "over",
        "available",
        "back",
        "operational",
    }
    if verb == "be" and t.word(j + 1) in state_words and has_time:
        return Hit(i, i, 0.75)
    participle = t.word(j + 1)
    if verb == "be" and has_time and participle.endswith("ed") and participle not in {"allowed", "required"}:
        return Hit(i, i, 0.65)  # "a ten-year term should be agreed by the end of the month"
    return None


def _it_prefix(t: Tokens, i: int) -> int:
    """Index where a contiguous "it's"/"it is"/"it was" before ``i`` starts, else ``i``."""
    if t.word(i - 1) == "it's":
        return i - 1
    if t.word(i - 1) in {"is", "was"} and t.word(i - 2) == "it":
        return i - 2
    return i


def likely(t: Tokens, i: int) -> Hit | None:
    first = i
    first = i - 1 if t.word(i - 1) in {"most", "least"} else _it_prefix(t, i)
    return Hit(first, i, 0.9)


def probable(t: Tokens, i: int) -> Hit | None:
    w = t.low[i]
    if w == "probably" or w == "improbable":
        return Hit(i, i, 0.9)
    if w == "probability":
        if t.word(i - 1) == "all" and t.word(i - 2) == "in":
            return None  # speculation.in_all_probability
        return Hit(i, i, 0.6)
    if t.word(i - 1) == "most":
        return Hit(i - 1, i, 0.9)
    return Hit(_it_prefix(t, i), i, 0.85)


def possible(t: Tokens, i: int) -> Hit | None:
    w = t.low[i]
    if w == "possibly":
        return Hit(i, i, 0.9)
    prev = t.word(i - 1)
    if w == "possibility":
        if prev in {"no", "any"}:
            return None
        return Hit(i, i, 0.7)
    feasibility_prev = {
        "as",
        "made",
        "make",
        "makes",
        "making",
        "if",
        "where",
        "when",
        "whenever",
        "wherever",
    }
    if prev in feasibility_prev | {"best", "every", "all", "everything", "anything", "fullest", "widest"}:
        return None
    if t.word(i + 1) == "to":
        return None  # feasibility: "possible to travel"
    start = _it_prefix(t, i)
    if start != i:
        return Hit(start, i, 0.85)
    return Hit(i, i, 0.75)


def potential(t: Tokens, i: int) -> Hit | None:
    if t.low[i] == "potentially":
        return Hit(i, i, 0.9)
    nxt = t.word(i + 1)
    if (
        not nxt
        or nxt in NOT_NOUN_HEAD
        or t.word(i - 1) in {"full", "untapped", "huge", "great", "enormous", "real", "its"}
    ):
        return None  # the noun: "has the potential to", "its full potential"
    return Hit(i, i, 0.85)


def apparent(t: Tokens, i: int) -> Hit | None:
    w = t.low[i]
    if w in {"apparently", "seemingly"}:
        return Hit(i, i, 0.9)
    prev = t.word(i - 1)
    if prev in BE | {"become", "became", "becomes", "becoming", "made", "make", "seems", "seem", "clear"}:
        return None  # predicative "it became apparent that": evident, not a hedge
    if t.at(i + 1) in {"that", "to", "from", "in", ".", ","}:
        return None
    return Hit(i, i, 0.85)


def almost_certainly(t: Tokens, i: int) -> Hit | None:
    if t.word(i + 1) in {"certainly", "certain"}:
        return Hit(i, i + 1, 0.9)
    return None


def chance(t: Tokens, i: int) -> Hit | None:
    if t.low[i] == "chances":
        return Hit(i, i + 1, 0.8) if t.word(i + 1) == "are" and t.word(i - 1) in {"", "the"} else None
    j = i - 1
    if t.word(j) in {"good", "real", "strong", "slim", "small", "fair", "high", "distinct", "decent"}:
        j -= 1
    if t.word(j) not in {"a", "some"}:
        return None
    if t.word(j - 1) in {"there's", "there’s"}:
        return Hit(j - 1, i, 0.85)
    if t.word(j - 1) in {"is", "was"} and t.word(j - 2) == "there":
        return Hit(j - 2, i, 0.85)
    return None


def cards(t: Tokens, i: int) -> Hit | None:
    if t.word(i - 1) == "the" and t.word(i - 2) in {"in", "on"}:
        return Hit(i - 2, i, 0.85)
    return None


def perhaps(t: Tokens, i: int) -> Hit | None:
    w = t.low[i]
    if w == "arguably":
        return Hit(i, i, 0.6)
    if w == "presumably" or w == "conceivably" or w == "plausibly":
        return Hit(i, i, 0.8)
    return Hit(i, i, 0.9)
