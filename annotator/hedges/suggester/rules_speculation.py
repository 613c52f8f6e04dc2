"""Speculation cues: appearance, inference, uncertainty and conjecture (kind "speculation")."""

from __future__ import annotations

from annotator.hedges.suggester.context import (
    FIRST_PERSON,
    Hit,
    agent_follows,
    is_passive,
    is_proper,
    negated,
    negative_subject,
    next_word_index,
    prev_word_index,
    subject_index,
)
from annotator.hedges.suggester.rules_modal import _comparison, _it_prefix
from annotator.hedges.suggester.tokens import Tokens, words

PERSONS = words("he she they i we you who")
FINITE = words("""is are was were has have had will would could might may can should did does do isn't aren't wasn't
    weren't hasn't haven't hadn't won't wouldn't couldn't can't shouldn't didn't doesn't don't""")
KNOW_VERBS = words(
    "know predict say tell determine foresee gauge assess verify confirm ascertain estimate judge"
)
# Head nouns that make "suspicions of ..." carry a proposition ("suspicions of the other's
# terrorist sympathies": the other has them); "suspicions of their intentions" carries none.
PROPOSITION_NOUNS = words("""sympathies sympathy involvement complicity collusion links link ties connections support backing
    role wrongdoing fraud corruption interference meddling espionage spying collaboration responsibility
    participation plot plotting cheating doping rigging manipulation hand harbouring harboring sponsorship
    funding financing aid collaboration leanings loyalties allegiance affiliation""")


# Before an attributive "suspected": determiners, prepositions, numerals, possessives
# ("Pakistan's subsequently suspected facilitation").
_ATTRIBUTIVE_BEFORE = words("""a an the of in on for with and two three four five six seven eight nine ten dozens several
    many some more other new further its his her their our your these those""")


def seem(t: Tokens, i: int) -> Hit | None:
    if _comparison(t, i):
        return None
    first, _ = t.clause_span(i)
    back = [t.low[k] for k in range(max(first, i - 4), i) if t.is_word[k]]
    if "as" in back[-3:] or "than" in back[-3:]:
        return None  # "not as simple as it (might) seem(s)"
    return Hit(i, i, 0.9)


# Appearance as image ("wary of appearing to respond", "did not want to appear weak"): how
# someone wishes to be seen, which hedges no claim of the writer's.
_IMAGE_BEFORE = words("of without avoid avoids avoided avoiding risk risks risked from against by")
_IMAGE_WISH = words("want wants wanted wanting careful afraid anxious keen eager loath reluctant wary")


def _image(t: Tokens, i: int) -> bool:
    prev = t.word(i - 1)
    if t.low[i] == "appearing" and prev in _IMAGE_BEFORE:
        return True
    k = i - 2 if t.word(i - 2) != "not" else i - 3
    return prev == "to" and t.word(k) in _IMAGE_WISH  # "careful not to appear"


def appear(t: Tokens, i: int) -> Hit | None:
    if _image(t, i):
        return None
    nxt = t.word(i + 1)
    if nxt == "to":
        return Hit(i, i + 1, 0.9)
    prev = t.word(i - 1)
    if nxt == "that" or (prev in {"it", "would", "so"} and t.at(i + 1) in {",", ".", "that"}):
        return Hit(i, i, 0.8)
    if t.low[i] in {"appear", "appears"} and (
        nxt in _PREDICATE_ADJECTIVES or nxt.endswith(_ADJECTIVE_ENDINGS)
    ):
        return Hit(i, i, 0.7)  # "Antitrust concerns appear limited": an impression, not a finding
    return None  # "appeared in court", "appears on television"


_PREDICATE_ADJECTIVES = words(
    "limited unlikely likely ready keen willing reluctant weak strong modest small large slim"
)
_ADJECTIVE_ENDINGS = ("ous", "ive", "able", "ible", "ful", "less", "ed")


def suggest(t: Tokens, i: int) -> Hit | None:
    w = t.low[i]
    if negated(t, i, window=3):
        return None  # "did not suggest", "there is no suggestion that"
    if w.startswith("suggestion"):
        return Hit(i, i, 0.6) if t.word(i + 1) == "that" else None
    nxt = t.word(i + 1)
    if nxt == "either" and t.word(i + 2) == "that":
        return Hit(i, i, 0.85)  # "the mixed messages suggest either that ... or that ...": inference
    if (nxt.endswith("ing") and not t.is_capitalized(i + 1)) or nxt in {"to", "we", "you"}:
        return None  # a proposal: "suggested meeting", "suggested to him" (not "suggest Beijing is")
    if _than_before(t, i):
        return None  # "weaker than the headlines suggest": other people's impression, no claim hedged
    if nxt == "as" and t.word(i + 2) == "much":
        return Hit(i, i, 0.8)  # "the new refinery suggests as much"
    subject = prev_word_index(t, i, skip=frozenset({"also", "has", "have", "had", "already", "even", "once"}))
    if (
        subject >= 0
        and t.is_capitalized(subject)
        and t.word(subject - 1) in {"with", "in", "of", "for", "by"}
    ):
        subject = -1  # "... memoranda with Burkina Faso suggests": the name ends a prepositional phrase
    if nxt != "that" and subject >= 0 and (t.low[subject] in PERSONS or is_proper(t, subject)):
        # A person suggesting a thing proposes it ("He suggested a ceasefire"); suggesting a
        # clause, even without "that", is inference ("He suggested Pakistan was colluding").
        _, last = t.clause_span(i)
        if not any(t.low[k] in FINITE for k in range(i + 2, min(last, i + 8) + 1)):
            return None
    _, last = t.clause_span(i)
    if any(t.low[k] == "should" for k in range(i + 1, min(last, i + 10) + 1)):
        return None  # "suggested that Pakistan should ...": a proposal
    if w == "suggested" and _subjunctive_that(t, i, last):
        return None  # "Binns suggested that the airlines meet her officials": a proposal
    return Hit(i, i, 0.85)


def _than_before(t: Tokens, i: int) -> bool:
    first, _ = t.clause_span(i)
    return any(t.low[k] == "than" for k in range(max(first, i - 4), i))


def _subjunctive_that(t: Tokens, i: int, last: int) -> bool:
    """A past "suggested (...) that" whose clause has no past, modal or finite form: the
    subjunctive of a proposal ("that Stratos share its data"), where an inference would shift
    its tense ("suggested that the figures overstated inflation")."""
    that = next((k for k in range(i + 1, min(last, i + 5) + 1) if t.low[k] == "that"), -1)
    if that < 0:
        return False
    subject = subject_index(t, i)  # past an apposition: "Laura Binns, the chief executive, suggested"
    if subject < 0 or not (t.low[subject] in PERSONS or is_proper(t, subject) or t.is_capitalized(subject)):
        return False
    clause = [t.low[k] for k in range(that + 1, min(last, that + 8) + 1) if t.is_word[k]]
    return len(clause) >= 2 and not any(w in FINITE or w.endswith("ed") for w in clause)


_QUESTION_WORDS = words("whether if how what why when who where which")


def unclear(t: Tokens, i: int) -> Hit | None:
    w = t.low[i]
    if w in {"doubtful", "questionable"}:
        # "it is doubtful that/whether": the writer's uncertainty, "it is" kept whole like "it's unclear"
        start = _it_prefix(t, i)
        return Hit(start, i, 0.75) if start != i and t.word(i + 1) in {"that", "whether", "if"} else None
    if w == "question":
        # "whether they would help is an open question": the same uncertainty as "unclear"
        return Hit(i - 1, i, 0.7) if t.word(i - 1) == "open" and t.word(i - 2) in {"an", "the"} else None
    if w == "means":
        # "by no means certain": uncertain
        if (
            t.word(i - 1) == "no"
            and t.word(i - 2) == "by"
            and t.word(i + 1) in {"certain", "clear", "assured", "settled"}
        ):
            return Hit(i - 2, i + 1, 0.75)
        return None
    if w == "knows":
        # "Nobody knows how many died", "no one knows whether": the same uncertainty as "it's unknown"
        nobody = t.word(i - 1) == "nobody" or (t.word(i - 1) == "one" and t.word(i - 2) == "no")
        # the question's own clause must follow: "Nobody knows which." only points back at cues made
        if nobody and t.word(i + 1) in _QUESTION_WORDS and t.word(i + 2):
            return Hit(i - 1 if t.word(i - 1) == "nobody" else i - 2, i, 0.75)
        return None
    if w == "far":
        if t.word(i + 1) == "from" and t.word(i + 2) in {"certain", "clear", "settled", "assured"}:
            return Hit(i, i + 2, 0.75)  # "far from certain": uncertain, not a distance
        return None
    if w == "clear":
        # "it's not clear whether/that": the same uncertainty as "unclear"
        if t.word(i - 1) != "not" or t.word(i + 1) not in {
            "that",
            "whether",
            "if",
            "how",
            "what",
            "why",
            "when",
            "who",
        }:
            return None
        start = i - 1
        if t.word(i - 2) == "it's":
            start = i - 2
        elif t.word(i - 2) in {"is", "was"} and t.word(i - 3) == "it":
            start = i - 3
        return Hit(start, i, 0.75)
    start = _it_prefix(t, i)
    if w == "unclear":
        return Hit(start, i, 0.9)
    if w == "uncertain":
        # predicative or with a question: "whether X will hold is uncertain", "uncertain whether"
        if (
            start != i
            or t.word(i + 1) in {"whether", "if", "how", "what", "when"}
            or t.at(i + 1) in {".", ";", ""}
        ):
            return Hit(start, i, 0.7)
        return None
    # unknown: only as a statement that something is not known
    if start != i:
        return Hit(start, i, 0.85)
    if t.word(i + 1) in {"whether", "if", "how", "what", "why", "when", "who", "where"}:
        return Hit(i, i, 0.8)
    if t.word(i - 1) in {"remains", "remain", "remained", "is", "was", "are", "were"} and t.at(i + 1) in {
        ".",
        ",",
        ";",
        "—",
        "–",
        ":",
    }:
        return Hit(i, i, 0.7)  # "whether napping changes its course — is unknown."
    return None


# Time adverbs a fixed expression may carry inside it: "it's impossible right now to predict".
_INSERTED = (("right", "now"), ("just", "yet"), ("as", "yet"), ("at", "present"), ("yet",), ("now",), ("still",),
             ("currently",))  # fmt: skip


def impossible_to_know(t: Tokens, i: int) -> Hit | None:
    to = i + 1
    for inserted in _INSERTED:
        if all(t.word(i + 1 + k) == w for k, w in enumerate(inserted)):
            to = i + 1 + len(inserted)
            break
    if t.word(to) != "to" or t.word(to + 1) not in KNOW_VERBS:
        return None
    if t.low[i] == "impossible":
        confidence = 0.9
    else:
        if t.word(to + 1) not in {"know", "predict", "say", "tell", "foresee"}:
            return None
        confidence = 0.7
    return Hit(_it_prefix(t, i), to + 1, confidence)


def ruled_out(t: Tokens, i: int) -> Hit | None:
    """ "can't be ruled out", "cannot rule out": conjecture left open."""
    if t.word(i + 1) != "out":
        return None
    j = i - 1
    if t.low[i] == "ruled":
        if t.word(j) != "be":
            return None
        j -= 1
    if t.word(j) in {"can't", "cannot", "couldn't", "won't"}:
        return Hit(j, i + 1, 0.9)
    if t.word(j) == "not" and t.word(j - 1) in {"can", "could", "may", "will"}:
        return Hit(j - 1, i + 1, 0.9)
    return None


def remains_to_be_seen(t: Tokens, i: int) -> Hit | None:
    """ "It remains to be seen whether ...": the outcome is unknown."""
    if [t.word(i + k) for k in (1, 2, 3)] == ["to", "be", "seen"]:
        return Hit(i, i + 3, 0.75)
    return None


def in_all_probability(t: Tokens, i: int) -> Hit | None:
    if t.word(i - 1) == "all" and t.word(i - 2) == "in":
        return Hit(i - 2, i, 0.9)
    return None


# Speculation of the market, not of the mind: "speculative projects clog the queue",
# "speculative buying", "currency speculation".
_MARKET_NOUNS = words("""project projects application applications bid bids investment investments investor investors
    buying selling trading trade capital flows flow bubble bubbles position positions purchase purchases development
    developments developer developers money attack attacks grade stocks shares assets property""")
_MARKET_BEFORE = words("currency property land market financial stock commodity")


def speculation(t: Tokens, i: int) -> Hit | None:
    w = t.low[i]
    if w in {"speculative", "speculation"} and (
        t.word(i + 1) in _MARKET_NOUNS or t.word(i - 1) in _MARKET_BEFORE
    ):
        return None
    if negated(t, i, window=4):
        return None  # "There is no reason to speculate", "shouldn't fall for the speculation that"
    # "It can only be speculated", "one can only speculate": the fixed expression whole.
    if w in {"speculated", "speculate"}:
        j = i - 1
        if t.word(j) == "be":
            j -= 1
        if t.word(j) == "only" and t.word(j - 1) in {"can", "could"}:
            start = j - 1
            if t.word(start - 1) in {"it", "one", "we"}:
                start -= 1
            return Hit(start, i, 0.95)
    return Hit(i, i, 0.85)


def suspect(t: Tokens, i: int) -> Hit | None:
    """The verb of conjecture, whoever holds it: the guideline names suspect/suspected/suspecting
    as speculation and leaves it out of the attitude verbs (believe, regard, fear, ...) that a
    named holder turns into reported fact; "neither suspected that" is excluded as a denial, so
    "both suspect that" is a cue."""
    w = t.low[i]
    prev = t.word(i - 1)
    if w in {"suspect", "suspects"} and (
        prev in {"the", "a", "main", "prime", "key", "chief", "police", "two"}
    ):
        return None  # the noun: "police arrested the suspect"
    if w in {"suspect", "suspects"} and t.at(i + 1) in {".", ",", "\n", "were", "was", "have", "had"}:
        return None
    if negated(t, i, window=4) or negative_subject(t, i):
        return None  # "neither suspected that", "it's unrealistic to suspect", "nobody ... had suspected"
    if prev == "widely":
        return None  # weasel.widely
    if w == "suspected":
        if t.at(i - 1) == "," and t.word(i + 1) in {"of", "to"}:
            return Hit(i, i, 0.75)  # a reduced relative: "Pakistan, suspected of harbouring them, ..."
        if is_passive(t, i):
            return Hit(i, i, 0.75 if agent_follows(t, i) else 0.85)
        j = prev_word_index(t, i, skip=frozenset(k for k in [t.low[i - 1]] if k.endswith("ly")))
        if j < 0 or t.low[j] in _ATTRIBUTIVE_BEFORE or t.low[j][:1].isdigit() or t.low[j].endswith("'s"):
            return Hit(i, i, 0.8)  # attributive: "a suspected drone strike", "three suspected cases"
    subj = prev_word_index(t, i, skip=frozenset({"also", "still", "long", "had", "have", "has", "strongly"}))
    if subj >= 0 and t.low[subj] in FIRST_PERSON:
        return Hit(i, i, 0.85)
    # A holder's conjecture ("Taliban leaders suspected that", "Pakistan began to suspect",
    # "spooked the Taliban into suspecting"): still conjecture, reported as such.
    return Hit(i, i, 0.75)


def assume(t: Tokens, i: int) -> Hit | None:
    w = t.low[i]
    if negated(t, i, window=4) or negative_subject(t, i):
        return None
    if w == "assuming" and (t.sentence_initial(i) or t.at(i - 1) == ","):
        return None  # "Assuming that talks succeed, ...": a conditional
    if w == "assumed" and is_passive(t, i) and t.word(i + 1) == "to":
        return Hit(i, i, 0.6)
    j = next_word_index(t, i, skip=frozenset())
    if j >= 0 and t.low[j] == "that":
        return Hit(i, i, 0.8)
    if j >= 0 and t.low[j] in _CLAUSE_SUBJECTS and _finite_verb_within(t, j + 1, 5):
        return Hit(i, i, 0.7)  # a that-clause without "that": "they assumed the fire would stop"
    return None


# What opens a that-clause whose "that" is left out ("assumed the fire would stop"); "assume
# office", "assume the role of" have no finite verb after them.
_CLAUSE_SUBJECTS = words("""the a an he she it they we i you this these those his her their its our everyone one all
    every some no nothing everything""")
_FINITE = words("""would will could might may can should must was were is are had has have did does do
    won't wouldn't can't couldn't""")


def _finite_verb_within(t: Tokens, k: int, n: int) -> bool:
    _, last = t.clause_span(k - 1)
    return any(t.low[m] in _FINITE for m in range(k, min(last, k + n) + 1) if t.is_word[m])


def seen_as(t: Tokens, i: int) -> Hit | None:
    """ "can be seen as", "could be viewed as": the writer's inference, not a holder's view."""
    if t.word(i + 1) != "as" or t.word(i - 1) != "be" or t.word(i - 2) not in {"can", "could"}:
        return None
    return Hit(i - 2, i + 1, 0.85)


def suspicion(t: Tokens, i: int) -> Hit | None:
    nxt = t.word(i + 1)
    if nxt == "that":
        return Hit(i, i, 0.75)
    if nxt in {"in", "among", "within", "across", "at"}:
        # "suspicions in Manila that ...": a place or group, then the proposition
        for k in range(i + 2, min(len(t) - 1, i + 6) + 1):
            if not t.is_word[k]:
                break
            if t.low[k] == "that":
                return Hit(i, i, 0.7)
        return None
    if t.at(i + 1) == ",":
        # "the narrower suspicion, held by investigators in Helsinki, that the anchor ...": the
        # proposition after a parenthetical
        first, last = t.sentence_span(i)
        for k in range(i + 2, min(last, i + 12) + 1):
            if t.at(k) == "," and t.word(k + 1) == "that":
                return Hit(i, i, 0.7)
        return None
    if nxt != "of":
        return None
    _, last = t.clause_span(i)
    for k in range(i + 2, min(last, i + 7) + 1):
        if not t.is_word[k]:
            break
        w = t.low[k]
        if w in PROPOSITION_NOUNS or (w.endswith("ing") and len(w) > 5):
            return Hit(i, i, 0.75)
    return None


def dont_know(t: Tokens, i: int) -> Hit | None:
    """The writer's "I don't know (whether ...)": uncertainty owned, as "it's unknown" is unowned."""
    if t.low[i] in {"don't", "don’t"} and t.word(i + 1) == "know" and t.word(i - 1) in {"i", "we"}:
        nxt = t.word(i + 2)
        if nxt in {"whether", "if", "how", "what", "why", "when", "who", "where", ""} or t.at(i + 2) in {
            ".",
            ",",
            "”",
            '"',
        }:
            return Hit(i, i + 1, 0.7)
    return None


def fixed_uncertainty(t: Tokens, i: int) -> Hit | None:
    """ "anyone's guess", "only time will tell", "too early to call/say/tell"."""
    w = t.low[i]
    if w == "guess" and t.word(i - 1) in {"anyone's", "anyone’s", "anybody's", "anybody’s"}:
        return Hit(i - 1, i, 0.8)
    if w == "tell" and t.word(i - 1) == "will" and t.word(i - 2) == "time" and t.word(i - 3) == "only":
        return Hit(i - 3, i, 0.8)
    if (
        w == "early"
        and t.word(i - 1) == "too"
        and t.word(i + 1) == "to"
        and t.word(i + 2) in {"call", "say", "tell"}
    ):
        return Hit(i - 1, i + 2, 0.8)
    return None


def in_doubt(t: Tokens, i: int) -> Hit | None:
    """ "With its bases in doubt": uncertain, like "unclear" (not "no doubt", "beyond doubt")."""
    if t.word(i - 1) != "in" or t.word(i + 1) in {"about", "as"} or negated(t, i - 1, window=2):
        return None  # "her commitment is not in doubt": certainty asserted
    return Hit(i - 1, i, 0.7)


def touch_and_go(t: Tokens, i: int) -> Hit | None:
    """ "touch and go": a fixed expression of an uncertain outcome."""
    return Hit(i, i + 2, 0.75) if t.word(i + 1) == "and" and t.word(i + 2) == "go" else None


def first_person_belief(t: Tokens, i: int) -> Hit | None:
    if t.word(i - 1) in FIRST_PERSON and not negated(t, i, window=2):
        return Hit(i, i, 0.6)
    return None
