"""Modal cues: epistemic modals and probability words (kind "modal")."""

from __future__ import annotations

from annotator.hedges.suggester.context import (
    BE,
    Hit,
    is_proper,
    negated,
    next_word_index,
    prev_word_index,
)
from annotator.hedges.suggester.rules_could import AGENT_NOUNS
from annotator.hedges.suggester.tokens import Tokens, words

MIGHT_NOUN_PREV = words("""its his her their our my your the military economic naval industrial full all with american russian
    chinese western soviet financial nuclear sheer might""")
COMPARISON_VERBS = words("seem appear look sound think expect imagine suppose assume believe have")
MONTH_PREV = words("in on since until till by early late mid last next this of from before after as")
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
    if _permission(t, i):
        return None
    first, _ = t.sentence_span(i)
    if t.word(first) in {"while", "although", "though"} and t.clause_span(i)[0] == first:
        return Hit(i, i, 0.7)  # concessive: "While Russia may view ...": still the writer's may
    return Hit(i, i, 0.9)


# Acts a rule allows or forbids: "landlords may apply for an exemption", "patients may switch".
_PERMITTED_ACTS = words("""apply switch opt choose request appeal submit negotiate enrol enroll register withdraw
    transfer claim renew""")
# Rules that grant or withhold: "Under league rules, a player may not negotiate ...".
_RULE_NOUNS = words("""rules rule law laws protocol ordinance agreement agreements terms regulations regulation treaty
    contract contracts policy scheme guidelines code charter statute statutes constitution bylaws act""")


# Parties to a case and what a ruling lets them do: "the plaintiffs may seek damages".
_LEGAL_PARTIES = words("""plaintiff plaintiffs defendant defendants claimant claimants petitioner petitioners appellant
    appellants applicant applicants respondent respondents""")
_LEGAL_ACTS = words("seek file appeal claim recover sue pursue bring apply request challenge")
# Plural nouns for people by their ending: pupils, roasters, observers, residents.
_PEOPLE_ENDINGS = ("ers", "ors", "ists", "ians", "ants", "ents", "ees", "ils")


def _permission(t: Tokens, i: int) -> bool:
    """Deontic "may": a rule grants or withholds ("Under the draft ordinance, landlords may apply",
    "foreign crews may only be deployed once ...", "staff may apply for redeployment")."""
    first, last = t.sentence_span(i)
    s = prev_word_index(t, i)
    subject = t.word(s)
    bound = subject in AGENT_NOUNS or subject + "s" in AGENT_NOUNS or subject.endswith(_PEOPLE_ENDINGS)
    under_rule = any(
        t.low[k] == "under" and any(t.low[m] in _RULE_NOUNS for m in range(k + 1, min(last, k + 6) + 1))
        for k in range(first, min(last, i + 12) + 1)
    )
    # a rule set off by commas right before the may: "..., under state law, may attach conditions"
    under_close = t.at(i - 1) == "," and any(t.low[k] == "under" for k in range(max(first, i - 6), i))
    if under_rule and (
        under_close or bound or (s >= 0 and is_proper(t, s)) or subject in {"office", "agency", "board"}
    ):
        # people or a named party bound by a rule ("Under league rules, a player may not ...",
        # "the attorney general's office, which under state law may attach conditions", "Halvern may
        # extend the offer under the terms of the agreement"), not "Under the new rules the treaty may collapse"
        return True
    if (
        t.word(i + 1) == "only"
        and t.word(i + 2) == "be"
        and t.word(i + 3).endswith(("ed", "en", "held", "made", "sold"))
    ):
        return True  # "may only be deployed once a request is made": a restriction ("may only be the start" is not)
    nxt = next_word_index(t, i)
    if nxt >= 0 and t.low[nxt] in _PERMITTED_ACTS and t.word(nxt + 1) in {"for", "to"}:
        return True
    if subject in _LEGAL_PARTIES and nxt >= 0 and t.low[nxt] in _LEGAL_ACTS:
        return True  # "the plaintiffs may seek damages": what the court allows
    # "may pass on cost changes only once a quarter", "may challenge ballots only through a
    # scrutineer": what is allowed, and how
    _, last = t.clause_span(i)
    return any(
        t.low[k] == "only" and t.word(k + 1) in {"once", "through", "after", "via", "with", "by", "under"}
        for k in range(i + 2, min(last, i + 10) + 1)
    )


def _it_prefix(t: Tokens, i: int) -> int:
    """Index where a contiguous "it's"/"it is"/"it was" before ``i`` starts, else ``i``."""
    if t.word(i - 1) == "it's":
        return i - 1
    if t.word(i - 1) in {"is", "was"} and t.word(i - 2) == "it":
        return i - 2
    return i


def _raising(t: Tokens, i: int) -> bool:
    """ "it is unlikely to reach clinics": "it" is the thing itself, not an expletive, so
    "it is" stays outside the cue (only "it's likely that ..." is the fixed expression)."""
    return t.word(i + 1) == "to"


def likely(t: Tokens, i: int) -> Hit | None:
    if t.word(i + 1) == "voters" or t.word(i + 1) == "voter":
        return None  # "a poll of likely voters": a polling term
    if t.word(i - 1) in {"most", "least"}:
        return Hit(i - 1, i, 0.9)
    # "it's likely that ..." is the fixed expression; in "It is unlikely within 2027" the "it"
    # is the scenario itself and stays outside, as in "it is unlikely to reach clinics"
    return Hit(_it_prefix(t, i) if t.word(i + 1) == "that" else i, i, 0.9)


def probable(t: Tokens, i: int) -> Hit | None:
    w = t.low[i]
    if w == "probably" or w == "improbable":
        return Hit(i, i, 0.9)
    if w == "probability":
        if t.word(i - 1) == "all" and t.word(i - 2) == "in":
            return None  # speculation.in_all_probability
        if t.word(i + 1)[:1].isdigit() or t.at(i + 1) == ":":
            return None  # "(probability 25%)": a figure's label, not a hedge word
        return Hit(i, i, 0.6)
    if t.word(i - 1) == "most":
        return Hit(i - 1, i, 0.9)
    return Hit(i if _raising(t, i) else _it_prefix(t, i), i, 0.85)


def possible(t: Tokens, i: int) -> Hit | None:
    w = t.low[i]
    if w == "possibly":
        return Hit(i, i, 0.9)
    if w in {"impossible", "implausible"}:
        # litotes: "unlikely within 2027, but not impossible" says it is possible
        return Hit(i - 1, i, 0.75) if t.word(i - 1) == "not" else None
    if w == "plausible":
        if negated(t, i, window=3):
            return None
        return Hit(i - 1 if t.word(i - 1) in {"most", "least"} else i, i, 0.7)  # "the most plausible reading"
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
    if negated(t, i, window=4):
        return None  # "no clean-up is possible", "a deal is not possible": an impossibility asserted
    start = _it_prefix(t, i)
    if start != i:
        return Hit(start, i, 0.85)
    return Hit(i, i, 0.75)


_LIKELIHOOD_DEGREES = words("normal high higher low lower elevated increased heightened reduced")


def potential(t: Tokens, i: int) -> Hit | None:
    if t.low[i] == "potentially":
        return Hit(i, i, 0.9)
    nxt = t.word(i + 1)
    if nxt == "to" and t.word(i + 2) in {"be", "become"} and t.word(i - 1) == "the":
        return Hit(i, i, 0.7)  # "has the potential to be a best-in-class therapy": it might be
    if nxt == "for" and t.word(i - 1) in _LIKELIHOOD_DEGREES:
        # "above-normal potential for significant fires": how likely they are (not "enormous
        # potential for trade", a capacity)
        return Hit(i, i, 0.7)
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
