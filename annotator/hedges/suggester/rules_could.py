"""Epistemic "could" (it means "might", kind "modal") told apart from "could" of ability or option.

Paraphrase test of the guideline: if "would be able to / has the option to" fits better, it
is ability, not a cue. The rule reads possibility for an outcome verb ("could spark"), a thing as
subject ("prices could climb"), an epistemic adverb ("could well") or an agent's act placed at a
point in time ("could vote as early as Tuesday"); ability for an agent's deliberate act, a means
phrase, past ability after "before/until/than", embedded questions and what was feasible.
"""

from __future__ import annotations

from annotator.hedges.suggester.context import (
    DAYS,
    Hit,
    next_word_index,
    subject_head,
    subject_index,
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
    disappear vanish die continue remain stall slow accelerate overwhelm destroy cripple topple disrupt point
    paralyze paralyse sink doom unleash upend wreck ruin tip hit kill displace delay derail outlast
    outweigh dwarf erode drain deplete swamp plunge soar surge drop spread win lose hold retain survive gain miss
    suffer undo""")
# Verbs that are an outcome unless an agent chooses ("could decide to"): "turnout could decide the result".
OUTCOME_UNLESS_TO = words("decide determine settle swing sway shape")
# Agents: with these subjects "could" + a deliberate act reads as ability or option.
AGENT_NOUNS = words(
    """government army party leaders leader officials official militants rebels troops forces police opposition
    regime administration ministry court parliament voters minister president state states country countries
    group groups side sides players capitals allies partners mediators diplomats commanders militias
    negotiators companies firms investors banks donors bank council junta navy coastguard military authorities
    ministers commission alliance bloc members union patients engineers workers staff crews residents students
    tenants landlords applicants employees owners drivers farmers customers consumers users lawyers doctors"""
)

EPISTEMIC_ADVERBS = words("well easily potentially conceivably possibly paradoxically ultimately eventually")

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


# "could hardly be better", "could scarcely afford": negation, not possibility.
# Verbs of moving that are an outcome for things ("the breakthrough could come next year") and an
# option for people ("patients could come in for an infusion").
_MOTION = words("come go get")
_PEOPLE_PRONOUNS = words("who he she they we i you")
_NEAR_NEGATORS = words("not never hardly scarcely barely")
# Subordinators after which "could" is past ability or purpose: "before it could reach the shoal".
_ABILITY_SUBORDINATORS = words("before until till than as so whenever wherever")


def _in_antecedent(t: Tokens, i: int) -> bool:
    """ "could" inside the if-clause itself ("If the army could cross ..."): hypothetical, not a cue.

    A "could" in the consequent ("prices could drop if rates stay", "If it holds, the shot
    could prevent ...") is judged like any other.
    """
    first, _ = t.sentence_span(i)
    j = i - 1
    while j >= first:
        w = t.low[j]
        if w in {",", ";", ":", "—", "–"}:
            return False
        if w in {"if", "unless", "whether"} or (w == "even" and t.word(j + 1) == "if"):
            return True
        j -= 1
    return False


def _means_phrase(t: Tokens, i: int) -> bool:
    """A "with ..." means or resource phrase opens the could's clause or the one before it:
    "with its existing lines it could turn out ...", "With a larger surplus, he could fund ..."."""
    first, _ = t.sentence_span(i)
    j = i - 1
    breaks = 0
    while j >= first and i - j <= 12:
        w = t.low[j]
        if w in {",", ";", "—", "–"}:
            breaks += 1
            if breaks > 1:
                return False
        elif w in {"with", "given"} and (j == first or t.low[j - 1] in {",", "and", "but", "now", ";"}):
            return True
        j -= 1
    return False


# "the best that could be achieved", "all that could be done": what was feasible, not a possibility.
_FEASIBILITY_HEADS = words("best most least all everything anything little much only utmost")
# An act placed at a point in time, or warned of as imminent, reads as a possible event even with
# an agent as subject: "parliament could vote on the bill as early as Tuesday", "the militants could
# strike the capital at any time" (vs an option: "the bank could reverse it at any time if ...").
# A duration ("could retake the villages within a week") is a capacity and does not count.
_TIMED = (
    ("at", "any", "time"),
    ("at", "any", "moment"),
    ("any", "day"),
    ("without", "warning"),
    ("at", "short", "notice"),
    ("as", "early", "as"),
    ("later", "this"),
    ("by", "the", "end"),
    ("tomorrow",),
)
_TIME_UNITS = words("week month year spring summer autumn winter weekend quarter")


def _feasibility(t: Tokens, i: int) -> bool:
    prev = t.word(i - 1)
    relative = prev in {"that", "which"}
    head = t.word(i - 2) if relative else prev
    # a superlative in -est only as "the greatest that could", not "the harvest could"
    return head in _FEASIBILITY_HEADS or (relative and head.endswith("est") and t.word(i - 3) == "the")


def _timed_act(t: Tokens, i: int, j: int) -> bool:
    """ "could soon", or a point in time or imminence phrase after the verb at ``j`` in its clause,
    with no if/whenever that makes the act an option."""
    _, last = t.clause_span(j)
    ahead = [t.low[k] for k in range(j + 1, min(last, j + 20) + 1) if t.is_word[k]]
    if any(w in {"if", "whenever", "unless", "should", "since"} for w in ahead):
        return False  # an option ("if ordered to") or a past comparison ("than at any time since")
    if "soon" in words_between(t, i, j):
        return True
    for k, w in enumerate(ahead):
        nxt = ahead[k + 1] if k + 1 < len(ahead) else ""
        if (w in {"next", "this"} and nxt in _TIME_UNITS) or (w == "on" and nxt in DAYS):
            return True
        if any(tuple(ahead[k : k + len(p)]) == p for p in _TIMED):
            return True
    return False


_PLACE_PREPOSITIONS = words("in off of from at near on across along outside inside between over against")


def _head_before_place(t: Tokens, s: int) -> int:
    """The head noun of a subject that ends in a place name: "a ship in trouble off Chukotka" -> "ship"."""
    if s < 0 or not t.is_capitalized(s) or t.sentence_initial(s) or t.title_case_sentence(s):
        return s
    first, _ = t.sentence_span(s)
    for k in range(s - 1, max(first, s - 6), -1):
        if not t.is_word[k]:
            return s
        if t.low[k] in _PLACE_PREPOSITIONS and t.word(k - 1).isalpha() and not t.is_capitalized(k - 1):
            return k - 1
    return s


# What a machine or a fleet can do, stated with its quantity: "the pipeline could carry 33 billion
# cubic metres a year", "the rocket could lift 22 tonnes", "tankers could drop retardant on three
# fires at once" (would be able to: a capacity, not a possibility).
_CAPACITY_VERBS = words("""carry lift hold seat accommodate handle process generate transport move house store pump
    ship supply serve treat fly drop launch power haul load""")
# Verbs whose "could" is a capacity whatever follows: "the economy could absorb the shock".
_ALWAYS_CAPACITY = words("absorb withstand accommodate berth")
_AVERTING = words(
    "prevent save avert avoid cut reduce kill cost add exceed top hit surpass reach double triple"
)
# Acts one intends, followed by "to": "the airlines could offer to give up slots" (an option).
_INTENT_VERBS = words("offer agree refuse try seek ask choose threaten promise vow opt attempt")
# Nouns and verbs of a feared or guessed prospect: "speculation that Brazil could restrict exports".
_PROSPECT_HEADS = words("""speculation fears fear concern concerns worries worry warned warns warning warnings
    risk possibility prospect suggestions rumours rumors""")
_NUMBER_WORDS = words(
    "two three four five six seven eight nine ten eleven twelve dozen dozens hundred hundreds thousand"
    " thousands million millions billion billions"
)
_AT_ONCE = (("at", "once"), ("at", "a", "time"), ("simultaneously",), ("per",))


def _capacity(t: Tokens, j: int) -> bool:
    _, last = t.clause_span(j)
    ahead = [t.low[k] for k in range(j + 1, min(last, j + 12) + 1) if t.is_word[k]]
    if _rate(ahead) and t.low[j] not in OUTCOME_VERBS | _AVERTING:
        # "could vaccinate only about 200 children a week": a throughput (not "the shot could
        # prevent thousands of deaths a year", an outcome)
        return True
    if t.low[j] in _ALWAYS_CAPACITY:
        return True  # "its reserves could absorb a loss several times this size"
    if t.low[j] not in _CAPACITY_VERBS:
        return False
    # the quantity as the verb's object ("carry 33 billion"), not "hold on to two dozen seats"
    if any(w[:1].isdigit() or w in _NUMBER_WORDS for w in ahead[:2]):
        return True
    return any(tuple(ahead[k : k + len(p)]) == p for k in range(len(ahead)) for p in _AT_ONCE)


_RATE_UNITS = words("hour day week month year minute second")


def _rate(ahead: list[str]) -> bool:
    """A number and, within five words, "a/an/per/each" and a unit of time: "200 children a week"."""
    for k, w in enumerate(ahead):
        if w[:1].isdigit() or w in _NUMBER_WORDS:
            rest = ahead[k + 1 : k + 7]
            for m in range(len(rest) - 1):
                if rest[m] in {"a", "an", "per", "each"} and rest[m + 1] in _RATE_UNITS:
                    return True
    return False


def _prospect(t: Tokens, i: int) -> bool:
    """ "could" in the that-clause of a prospect noun or warning: "speculation that Brazil could"."""
    first, _ = t.sentence_span(i)
    for k in range(i - 1, max(first, i - 6) - 1, -1):
        if t.low[k] == "that":
            return t.word(k - 1) in _PROSPECT_HEADS
        if not t.is_word[k]:
            return False
    return False


def _relative_head(t: Tokens, s: int) -> int:
    """The noun a short relative clause hangs on: "Traders who want protection" -> "Traders"."""
    for k in range(s, max(0, s - 5) - 1, -1):
        if t.low[k] in {"who", "that"} and k > 0 and t.is_word[k - 1]:
            return k - 1
    return s


def is_proper_subject(t: Tokens, i: int) -> bool:
    s = subject_index(t, i)
    return s >= 0 and t.is_capitalized(s) and not t.sentence_initial(s) and not t.title_case_sentence(s)


def _subject_is_people(t: Tokens, i: int) -> bool:
    """A plural subject in -ers/-ors that names people, not machines: "traders", "importers"."""
    s = subject_index(t, i)
    first, _ = t.clause_span(i)
    for k in range(s, max(first, s - 5) - 1, -1):
        if t.low[k] in {"who", "that"}:
            s = k - 1  # "Traders who want protection could buy": the head before the relative
            break
    return t.word(subject_head(t, s)) not in _MACHINES


# -ers/-ors nouns that are things: "tankers", "containers", "reactors".
_MACHINES = words("""tankers containers reactors computers servers engines boosters carriers fighters bombers
    destroyers transformers generators motors sensors borders waters numbers orders barriers matters""")


def _shares_can(t: Tokens, i: int) -> bool:
    """ "The Kestrel can carry eleven soldiers and could be fitted with a cannon": "could" joined
    to a "can" of ability by "and" or "or" carries the same sense."""
    if t.word(i - 1) not in {"and", "or"}:
        return False
    first, _ = t.sentence_span(i)
    return any(t.low[k] in {"can", "cannot"} for k in range(max(first, i - 15), i - 1))


def could(t: Tokens, i: int) -> Hit | None:
    if (
        t.raw[i] == "Could"
        and t.sentence_initial(i)
        and t.word(i + 1) in {"it", "this", "that", "the", "these"}
    ):
        _, last = t.sentence_span(i)
        if "?" in t.raw[i : last + 1]:
            return Hit(i, i, 0.7)  # "Could it be delayed again?": a possibility raised as a question
    if t.word(i - 1) == "what" and t.title_case_sentence(i):
        return Hit(i, i, 0.65)  # a heading: "What Could Happen Next"
    if t.word(i - 1) in {"if", "how", "what", "so"} or _feasibility(t, i) or _shares_can(t, i):
        return None
    clause_first, _ = t.clause_span(i)
    if "only" in [t.low[k] for k in range(max(clause_first, i - 4), i)]:
        return None  # "which only Ardent's prototype could meet": what one alone was able to do
    j = next_word_index(t, i, skip=frozenset())
    while (
        j >= 0
        and t.low[j] not in _NEAR_NEGATORS
        and (t.low[j] in EPISTEMIC_ADVERBS | {"also", "still", "even", "soon"} or _adverb(t.low[j]))
    ):
        j = next_word_index(t, j, skip=frozenset())
    if j < 0:
        return None
    verb = t.low[j]
    if (
        verb in _NEAR_NEGATORS
        or t.low[i].endswith("n't")
        or "neither" in (t.word(i - 1), t.word(i - 2))
        or "no" in (t.word(i - 2), t.word(i - 3), t.word(i - 4))  # "that no other NATO member could play"
    ):
        return None  # "could not": ability or impossibility; "could hardly be better": emphasis; "neither hospital could afford"
    if _capacity(t, j):
        return None
    if (t.at(i + 1) == "," and t.word(i + 2) == "in" and t.word(i + 3) in {"principle", "theory"}) or (
        t.word(i + 1) == "in" and t.word(i + 2) in {"principle", "theory"}
    ):
        return None  # "The juntas could, in principle, negotiate": an option in principle
    if _prospect(t, i):
        return Hit(i, i, 0.7)  # "speculation that Brazil could restrict exports": the prospect guessed at
    subject_word = t.word(_relative_head(t, subject_index(t, i)))
    if (
        verb == "have"
        and t.word(j + 1).endswith("ed")
        and (is_proper_subject(t, i) or subject_word in AGENT_NOUNS)
    ):
        return None  # "Northgate could have denied the memo": an option not taken
    if (
        (subject_word.endswith("ers") or subject_word.endswith("ors"))
        and _subject_is_people(t, i)
        and not (verb in OUTCOME_VERBS or verb in {"be", "have"} or _timed_act(t, i, j))
    ):
        return None  # "Traders who want protection could buy puts": an option open to people
    if verb in _INTENT_VERBS and t.word(j + 1) == "to" and not _timed_act(t, i, j):
        return None  # "the airlines could offer to give up slots": an option open to them
    between = set(words_between(t, i, j))
    if _in_antecedent(t, i):
        return None
    clause_first, _ = t.clause_span(i)
    back = [t.low[k] for k in range(max(clause_first, i - 8), i) if t.is_word[k]]
    if any(w in {"hopes", "hope", "hoped", "hoping", "able", "order"} for w in back):
        return None  # purpose and hope: "in the hopes that X could deter" is ability
    if "whether" in back[-3:]:
        return None  # "whether it could": the open alternative, not the writer's possibility
    if any(w in _ABILITY_SUBORDINATORS - {"as"} for w in back[-3:]) or back[-2:-1] == ["as"]:
        # "before it could reach", "more than the trial could measure", "as fast as it could";
        # not the "as" of a Title Case headline ("... as Tanker Claim Could Top $200 Million")
        return None
    if verb != "be" and _means_phrase(t, i):
        return None  # "with its existing lines it could turn out 100 million doses": ability
    if verb in _MOTION and t.word(subject_head(t, subject_index(t, i))) in AGENT_NOUNS | _PEOPLE_PRONOUNS:
        pass  # "Patients could come in once a month": people's option, judged as an agent's act below
    elif verb in {"be", "have"}:
        return Hit(i, i, 0.9)
    elif verb in OUTCOME_VERBS or (verb in OUTCOME_UNLESS_TO and t.word(j + 1) != "to"):
        return Hit(i, i, 0.8)
    s = _head_before_place(t, subject_index(t, i))
    subject = t.word(s)
    if (
        subject
        and subject.isalpha()
        and (not t.is_capitalized(s) or t.title_case_sentence(i))
        and subject not in AGENT_NOUNS | _NOT_THINGS
    ):
        # a thing, not an agent, as subject: "the shift could serve", "prices could climb";
        # in a Title Case headline every word is capitalised ("Drought Could Cut ...")
        return Hit(i, i, 0.7)
    if between & (EPISTEMIC_ADVERBS - {"easily"}):
        return Hit(i, i, 0.75)  # "could well", "could conceivably"; "could easily afford" is ability
    if _timed_act(t, i, j):
        return Hit(i, i, 0.7)
    return None
