"""Epistemic "should" (an expectation, kind "modal") told apart from deontic "should" (advice, no cue).

Deontic and epistemic "should" differ by world knowledge more than by form, so the rule
fires only on forms where the expectation reading dominates in news and opinion prose:
an expected event with a time ("should arrive by Friday"), a thing or event expected to
have an outcome ("the talks should produce a deal", "it should hold through the winter"),
"should be able to", a comparison with a known figure ("should be lower still"), "should
have enough" and "shouldn't have any problems". A person or named agent advised to act
("the bank should cut rates", "you should vote"), "should have done" (hindsight),
"should not" and a proposal reported with "that" ("said that rates should come down")
are not cues.
"""

from __future__ import annotations

from annotator.hedges.suggester.context import (
    DAYS,
    FIRST_PERSON,
    MONTHS,
    SPEECH_OR_THOUGHT,
    Hit,
    is_adverb,
    is_proper,
    next_word_index,
    prev_word_index,
    subject_head,
    subject_index,
    time_follows,
)
from annotator.hedges.suggester.rules_attribution import AUTHORITY_NOUNS, PEOPLE_NOUNS
from annotator.hedges.suggester.rules_could import AGENT_NOUNS
from annotator.hedges.suggester.tokens import Tokens, words

# "shouldn't have any problems", "should have little difficulty": an expectation whoever the subject.
_TROUBLE = words("problem problems trouble difficulty difficulties issue issues")
# Verbs of an expected event once a time is given ("should arrive by Friday").
_TIMED_EVENTS = words("""arrive reach come last take happen occur begin start finish follow improve rise fall increase
    decline ease peak recover resume pass open""")
# Verbs of an outcome a thing or event is expected to have, time or not ("the map should settle it").
_OUTCOMES = words("""hold survive last settle produce yield deliver bring lead result prove ease improve recover resume
    arrive reach happen occur begin finish peak fall rise drop increase decline slow stabilise stabilize succeed
    fail outlast outweigh bite track mirror reflect find""")
# Learning a result: "we should know by March", "the family should hear next week".
# What a law or a plan is told to do: "It should require the Treasury to report every quarter".
_PRESCRIBE = words("require ask demand mandate oblige force include set ban allow give")
_EASIER = words("easier harder cheaper quicker faster simpler")
_LEARN = words("know learn hear see get receive")
_STATES = words(
    "ready completed complete finished done over available back operational safe fine stable secure"
)
# Comparatives that compare with a known figure when "still"/"even"/"yet" marks the trend.
_TREND_MARKERS = words("still even yet")
_AMPLE = words("enough plenty sufficient ample")
# Subjects advised rather than expected: people, groups and institutions that act.
_ADVISED = (
    AGENT_NOUNS
    | AUTHORITY_NOUNS
    | PEOPLE_NOUNS
    | FIRST_PERSON
    | words("""you they he she who everyone everybody anyone nobody citizens residents parents children child
        readers users voters taxpayers europe west patients students tenants landlords applicants staff
        crews workers employees owners drivers farmers travellers travelers consumers customers homeowners""")
)
# People addressed or asked about: "you should vote", "What Should Happen" (a question heading).
_PERSONAL = FIRST_PERSON | words("you they he she who what which whatever")
# Addressed or self-addressed even before a timed event ("you should arrive by nine").
_ADDRESSED = FIRST_PERSON | words("you what which whatever")
_PROPOSAL_VERBS = SPEECH_OR_THOUGHT | words("""demand demands demanded urge urges urged propose proposes proposed
    recommend recommends recommended ask asks asked want wants wanted""")


def _expects_no_trouble(t: Tokens, i: int) -> bool:
    j = i + 1
    if t.word(j) == "not":
        j += 1
    if t.word(j) != "have":
        return False
    j += 1
    if t.word(j) in {"no", "any", "little", "much", "few", "great", "serious", "major", "too"}:
        j += 1
    if t.word(j) in {"much", "many", "serious", "major", "great", "real"}:
        j += 1
    return t.word(j) in _TROUBLE


def _reported_proposal(t: Tokens, subj: int) -> bool:
    """ "Governments have said publicly that rates should come down": a demand, not an expectation."""
    k = prev_word_index(t, subj, skip=frozenset({"the", "a", "an", "its", "their", "interest"}))
    if k < 0 or t.low[k] != "that":
        return False
    v = k - 1
    while v >= 0 and t.is_word[v] and is_adverb(t.low[v]):
        v -= 1  # "said publicly that"
    return v >= 0 and t.low[v] in _PROPOSAL_VERBS


def _agent_phrase(t: Tokens, k: int, last: int) -> bool:
    """A "by" agent after a passive ("addressed by the mission"), not a "by" of time ("by the end of the month")."""
    for m in range(k + 1, min(last, k + 6) + 1):
        if t.low[m] == "by":
            nxt = t.word(m + 2) if t.word(m + 1) in {"the", "a", "an"} else t.word(m + 1)
            return (
                bool(nxt)
                and not time_follows(t, m - 1, m + 1)
                and nxt not in {"end", "time", "close", "middle"}
            )
    return False


def _comparative(word: str) -> bool:
    return word in {"more", "less", "better", "worse", "fewer"} or (word.endswith("er") and len(word) > 4)


def should(t: Tokens, i: int) -> Hit | None:
    """Epistemic should: an expectation about an event or a thing's outcome."""
    if t.sentence_initial(i):
        return None  # "Should the talks fail, ...": a conditional
    if _expects_no_trouble(t, i):
        return Hit(i, i, 0.7)
    if t.low[i] != "should" or t.word(i + 1) == "not":
        return None  # "observers shouldn't fall for it", "it should not be": advice
    subj = subject_index(t, i)
    j = next_word_index(t, i)
    _, last = t.clause_span(i)
    if subj >= 0 and j >= 0 and t.low[j] in _LEARN and time_follows(t, j, last):
        return Hit(i, i, 0.7)  # "we should know by the end of March": news expected, whoever waits
    if t.word(i + 1) == "already" and t.word(i + 2) in {"be", "have"}:
        return Hit(i, i, 0.7)  # "adults born before 1957 should already be immune": what is expected to hold
    if subj < 0 or t.low[subj] in _ADDRESSED or (is_proper(t, subj) and t.low[subj] not in MONTHS | DAYS):
        return None
    if j < 0:
        return None
    verb, after = t.low[j], t.word(j + 1)
    # The time must belong to the should's own clause ("..., three times in two years" does not).
    if time_follows(t, j, last):
        if verb in _TIMED_EVENTS or (verb == "be" and after in _STATES):
            return Hit(i, i, 0.75)  # whoever the subject: "they should fall further in the spring"
        if t.low[subj] in _PERSONAL:
            return None
        if verb == "be" and after.endswith("ed") and _agent_phrase(t, j + 1, last):
            return None  # "should be addressed by the mission before anything else": a recommendation
        if verb == "be" and after.endswith("ed") and after not in {"allowed", "required"}:
            return Hit(i, i, 0.65)  # "a ten-year term should be agreed by the end of the month"
        # the head of "Residents in high-risk areas" is who is advised ("should clear ... before June")
        head = subject_head(t, subj)
        if (
            verb != "be"
            and verb not in _PRESCRIBE
            and t.low[subj] not in _ADVISED
            and t.low[head] not in _ADVISED
            and not is_proper(t, subj)
        ):
            # a thing's effect at a time: "the tariffs should push them down in the spring"
            return Hit(i, i, 0.6)
    if verb == "be" and after in _EASIER and t.word(j + 2) == "to":
        return Hit(i, i, 0.65)  # "Such a commission should be easier to agree on than a border"
    if t.low[subj] in _ADVISED | _PERSONAL:
        return None  # "the bank should cut rates", "investors should not read too much into it"
    if verb == "have" and after.endswith(("ed", "en")):
        return None  # hindsight: "the bank should have acted sooner"
    if _reported_proposal(t, subj):
        return None
    if verb == "be" and after == "able" and t.word(j + 2) == "to":
        return Hit(i, i, 0.7)  # "the plant should be able to restart"
    if verb == "be" and (
        (_comparative(after) and t.word(j + 2) in _TREND_MARKERS)
        or (after in _TREND_MARKERS and _comparative(t.word(j + 2)))
    ):
        return Hit(i, i, 0.7)  # "should be lower still", "should be even higher": against a known figure
    if (
        verb == "be"
        and _comparative(after)
        and "than" in [t.low[k] for k in range(j + 2, min(last, j + 10) + 1)]
    ):
        return Hit(i, i, 0.65)  # "Such a commission should be easier to agree on than a border"
    if verb == "have" and after in _AMPLE:
        return Hit(i, i, 0.6)  # "the council should have enough data to act"
    if verb in _OUTCOMES and t.word(j + 1) != "to":
        return Hit(i, i, 0.65)  # "the talks should produce a deal", "it should hold"
    return None
