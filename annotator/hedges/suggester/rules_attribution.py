"""Weasel cues (vague or unattributed authority) and insinuation cues."""

from __future__ import annotations

from annotator.hedges.suggester.context import (
    BE,
    DETERMINERS,
    SPEECH_OR_THOUGHT,
    Hit,
    agent_follows,
    has_holder,
    is_passive,
    is_proper,
    negated,
    prev_word_index,
)
from annotator.hedges.suggester.tokens import Tokens, words

WIDELY_PARTICIPLES = words("""considered suspected believed regarded seen thought viewed expected reported accepted held assumed
    perceived rumoured rumored touted described understood attributed""")
AUTHORITY_NOUNS = words("""observers analysts experts commentators critics scholars pundits specialists watchers insiders
    academics researchers scientists economists historians strategists forecasters doctors physicians lawyers
    engineers planners architects advisers advisors""")
PEOPLE_NOUNS = words("people person officials diplomats sources voices")
# Professions of expertise by their ending: hydrologists, epidemiologists, statisticians.
EXPERT_ENDINGS = ("ologists", "onomists", "icians", "entists")


# Plural nouns for people by their ending (traders, grandmasters, investors, economists,
# residents, civilians), and groups that end otherwise: with a quantifier and a verb of
# saying or thinking right after them they are a vague authority ("Most traders think").
PERSON_ENDINGS = ("ers", "ors", "ists", "ians", "ants", "ents", "ees")
GROUP_NOUNS = words("fans people voters locals members parents staff insiders")


def _authority(noun: str) -> bool:
    return noun in AUTHORITY_NOUNS or noun.endswith(EXPERT_ENDINGS)


QUANTIFIERS = {"many": 0.85, "most": 0.85, "some": 0.7, "several": 0.7, "numerous": 0.75, "various": 0.7}
SOURCE_ADJECTIVES = words("""diplomatic security intelligence government official military informed reliable western local senior regional
    knowledgeable credible unofficial independent political foreign top""")
# Nouns of a view or a judgement held by a group: "the fears of scholars", "the consensus among experts".
_VIEW_NOUNS = words("""fear fears view views consensus concern concerns worry worries belief beliefs opinion opinions
    assessment assessments expectation expectations verdict warnings warning hope hopes""")
# A side in a case or a deal, named by its role: "Government lawyers", "company engineers".
_PARTY_MODIFIERS = words("government prosecution defence defense company club state council federal army")
UNNAMED = words("unnamed anonymous unidentified undisclosed")
INTENSIFIERS = words("strongly heavily subtly tacitly implicitly")


def widely(t: Tokens, i: int) -> Hit | None:
    """ "widely considered", "generally believed": authority nobody can be asked about."""
    if t.word(i + 1) not in WIDELY_PARTICIPLES:
        return None
    if t.low[i] != "widely" and t.word(i + 1) not in {
        "considered",
        "believed",
        "regarded",
        "thought",
        "accepted",
    }:
        return None
    last = i + 1
    if t.word(i + 1) == "attributed" and t.word(i + 2) == "to":
        last = i + 2
    return Hit(i, last, 0.9 if t.low[i] == "widely" else 0.75)


def expected_to(t: Tokens, i: int) -> Hit | None:
    """Agentless "expected to": "is expected to", "the deal, expected to be signed"."""
    if t.word(i - 1) in {"widely", "generally"}:
        return None
    if t.word(i + 1) == "to":
        last = i + 1
    elif t.word(i + 1) == "that" and t.word(i - 1) == "is" and t.word(i - 2) == "it":
        last = i
    else:
        return None
    j = prev_word_index(t, i)
    if j >= 0 and t.low[j] in BE:
        return Hit(i, last, 0.85)
    if j < 0 or t.at(i - 1) == ",":
        return Hit(i, last, 0.75)  # a reduced relative or a headline
    if t.low[j] in {"he", "she", "they", "we", "i", "you", "who", "than", "as", "had", "has", "have"}:
        return None  # active: "they expected to win"
    if not t.title_case_sentence(i) and (t.word(j - 1) in DETERMINERS or is_proper(t, j)):
        return None  # a full clause with its subject: "the minister expected to win"
    return Hit(i, last, 0.6)  # a headline's passive: "Deal Expected To Be Signed"


def expected_alone(t: Tokens, i: int) -> Hit | None:
    """Agentless "is expected" closing its clause: "A crowd of around 31,000 is expected."."""
    if is_passive(t, i) and t.at(i + 1) in {".", ",", ";"} and t.word(i - 2) not in {"widely", "generally"}:
        return Hit(i, i, 0.7)
    return None


def blamed_on(t: Tokens, i: int) -> Hit | None:
    """ "blamed on X" with nobody blaming: like "attributed to" with no attributor."""
    if t.word(i + 1) != "on" and not (
        t.word(i + 1) == "at" and t.word(i + 2) == "the" and t.word(i + 4) == "on"
    ):
        return None
    if not (is_passive(t, i) or t.at(i - 1) == ",") or agent_follows(t, i, window=12):
        return None
    return Hit(i, i, 0.7)


def believed_to(t: Tokens, i: int) -> Hit | None:
    """Agentless "believed to", "thought to", "said to" ("Russian instructors, believed to number ..."),
    and "it is said/believed that"."""
    if t.word(i - 1) in {"widely", "generally", "commonly"}:
        return None
    if t.word(i + 1) == "that" and is_passive(t, i) and t.word(prev_word_index(t, i) - 1) in {"it", ""}:
        return None if agent_follows(t, i) else Hit(i, i, 0.75)
    if t.low[i] == "understood" and t.word(i - 1) in {"it's", "it’s"} and not agent_follows(t, i):
        return Hit(
            i - 1, i, 0.75
        )  # "It's understood the club's staff cleared him": nobody says who understands
    if t.low[i] == "understood" and is_passive(t, i) and t.word(i - 2) == "it" and not agent_follows(t, i):
        return Hit(i, i, 0.7)
    if t.word(i + 1) != "to":
        return None
    prev = t.word(i - 1)
    if t.low[i] == "said" and prev.endswith("s") and prev not in _NOT_NOUNS and t.word(i + 2).isalpha():
        return Hit(i, i + 1, 0.7)  # a reduced relative: "Videos said to show tanks in the streets"
    if is_passive(t, i) or t.at(i - 1) == ",":
        return None if agent_follows(t, i) else Hit(i, i + 1, 0.75)
    return None


def agentless_view(t: Tokens, i: int) -> Hit | None:
    """An attitude in the passive with nobody holding it: "X is seen as", "is considered a moderate"."""
    if t.word(i - 1) in {"widely", "generally", "commonly"} or not is_passive(t, i):
        return None
    if t.word(i + 1) not in {"to", "as", "a", "an", "one", "among"} or agent_follows(t, i, window=12):
        return None
    aux = prev_word_index(t, i)
    if t.word(aux) in {"be", "been"} and t.word(aux - 1) in {"can", "could"}:
        return None  # speculation.seen_as
    if t.word(aux) == "be" and t.word(aux - 1) in {"should", "must", "ought", "shall"}:
        return None  # "the duties should be seen as leverage": a recommendation, nobody's vague view
    return Hit(i, i, 0.65)


def reported(t: Tokens, i: int) -> Hit | None:
    w = t.low[i]
    if w == "reportedly":
        return Hit(i, i, 0.9)
    if w == "reports":
        # "according to (media) reports", "unconfirmed reports"
        j = i - 1
        if t.word(j) == "unconfirmed":
            return Hit(j, i, 0.75)
        if t.word(j) in {"some", "media", "press", "local", "recent", "several", "news", "multiple"}:
            j -= 1
        if t.word(j) == "to" and t.word(j - 1) == "according":
            return Hit(j - 1, i, 0.8)
        return None
    if _reduced_relative(t, i):
        return Hit(i, i, 0.65)  # "the abuses reported in Moura in 2022", "actions, reported in early 2025,"
    if is_passive(t, i) or (t.word(i - 1) in {"first", "initially", "also"} and t.word(i - 2) in BE):
        if t.word(i + 1) == "to" and t.word(i + 2) not in {
            "be",
            "have",
            "been",
            "contain",
            "include",
            "number",
        }:
            return None  # "no flood was reported to the insurer": told to someone, not hearsay
        return None if agent_follows(t, i) else Hit(i, i, 0.75)
    j = prev_word_index(t, i, skip=frozenset())
    if (
        j >= 0
        and (t.low[j] in {"the", "a", "an", "its", "his", "her", "their"} or t.low[j].endswith("'s"))
        and t.word(i + 1) not in {"", "that", "to", "on", "in", "by", "at", "for", "from", "with"}
    ):
        return Hit(i, i, 0.6)  # "the reported deal", "Pakistan's reported patronage"
    return None


def allegedly(t: Tokens, i: int) -> Hit | None:
    w = t.low[i]
    adverbs = {"allegedly": 0.95, "purportedly": 0.9, "supposedly": 0.8, "reputedly": 0.85}
    if w in adverbs:
        return Hit(i, i, adverbs[w])
    # alleged, purported, rumoured: attributive or passive, not with a named subject;
    # "is alleged to have met" keeps its "to", as "expected to" and "believed to" do
    if is_passive(t, i):
        last = i + 1 if t.word(i + 1) == "to" else i
        return None if agent_follows(t, i) else Hit(i, last, 0.8)
    if has_holder(t, i):
        return None
    return Hit(i, i, 0.8)


def attributed_to(t: Tokens, i: int) -> Hit | None:
    if t.word(i + 1) != "to" or t.word(i - 1) in {"widely", "generally"}:
        return None
    if negated(t, i, window=3):
        return None  # "cannot be attributed to warming": a denial, not a vague attribution
    if agent_follows(t, i + 1, window=10):
        return None  # "attributed to ISIS-K by Russian officials"
    j = prev_word_index(t, i, skip=frozenset())
    if j >= 0 and t.low[j] not in BE and t.at(i - 1) != "," and has_holder(t, i) and t.is_capitalized(j):
        return None  # "Moscow attributed to ..." (rare active use)
    return Hit(i, i + 1, 0.85)


def many_observers(t: Tokens, i: int) -> Hit | None:
    """ "many observers", "most Western analysts", "unnamed officials", "diplomatic sources"."""
    noun = t.low[i]
    j = i - 1
    while (
        j >= 0
        and t.is_word[j]
        and t.low[j] not in UNNAMED  # "Unnamed officials" opening a sentence
        and (
            t.low[j] in SOURCE_ADJECTIVES
            or (
                t.is_capitalized(j)
                and not t.low[j].endswith("'s")
                and t.low[j] not in QUANTIFIERS
                and t.low[j] not in _COUNTS
                and t.low[j] not in {"a", "an", "the"}
            )
        )
    ):
        j -= 1  # "Western intelligence sources", "senior Pakistani officials"
    if j >= 3 and [t.raw[k] for k in range(j - 3, j + 1)] in _ABBREVIATIONS:
        j -= 4  # "U.S. officials", "U.N. diplomats"
    if (
        noun in _OFFICIAL_NOUNS
        and t.word(j).isalpha()
        and (t.word(j - 1), t.word(j - 2)) == ("to", "according")
    ):
        j -= 1  # "according to party officials": one noun modifier
    first_adjective = j + 1
    quantifier = t.word(j)
    if quantifier in UNNAMED:
        return Hit(j, i, 0.9)
    if noun in SINGLE_SOURCES and quantifier not in _DEFINITE and _told_follows(t, i):
        # "A senior Ruiz aide told", "a palace insider told", "an IAEA official told": one source,
        # unnamed; the article stays outside (spans are minimal)
        if quantifier in {"a", "an"}:
            return Hit(first_adjective, i, 0.75)
        if t.word(j - 1) in {"a", "an"} and t.word(j).isalpha() and not t.is_capitalized(j):
            return Hit(j, i, 0.7)
    if (
        noun in _OFFICIAL_NOUNS
        and quantifier not in _DEFINITE
        and quantifier not in QUANTIFIERS
        and not _owned(t, first_adjective)
        and _told_follows(t, i, first_adjective)
    ):
        # "Qatari officials say", "Officials say", "Security sources in Peshawar said", "Russian
        # officials have signalled": officials nobody can be asked about (the guideline's
        # "unnamed official sources"), named by country or service at most
        return Hit(first_adjective, i, 0.7)
    if (
        noun == "estimates"
        and quantifier in {"some", "several", "many", "most"}
        and t.word(j - 1) in {"to", "by"}
    ):
        return Hit(j, i, 0.7)  # "according to some estimates", "by most estimates"
    speech = t.word(i + 1) in SPEECH_OR_THOUGHT
    if (t.word(i + 1), t.word(i + 2)) in _CLOSENESS and noun != "sources":
        # "people close to the squad", "lawyers familiar with the case", "two people briefed on the
        # matter": only their closeness is given; the cue runs to the end of its noun group
        last = _noun_group_end(t, i + 3)
        if last >= i + 3:
            start = first_adjective
            return Hit(start, last, 0.8)
    if any(t.low[k] in _PARTY_MODIFIERS for k in range(first_adjective, i)) or _owned(t, first_adjective):
        return None  # "Government lawyers argue": one side's counsel, named by the side
    if _authority(noun) and speech and any(t.is_capitalized(k) for k in range(first_adjective, i)):
        # "Western analysts say" cites them; "Turkish planners assume that" only gives a named
        # side's attitude (attitude verbs with a named holder are no cues)
        speech = t.word(i + 1) not in ATTITUDE_VERBS
    if _authority(noun) and speech and quantifier in {"", "and", "but", "while", "though", "although", "yet"}:
        # "Experts say", "Western analysts believe": authority nobody can be asked about
        return Hit(first_adjective, i, 0.7)
    if quantifier in {"of", "among"} and _authority(noun) and t.word(j - 1) in _VIEW_NOUNS:
        # "the greatest fears of International Relations scholars", "the consensus among
        # economists": a view put on a profession nobody can be asked about
        return Hit(first_adjective, i, 0.7)
    if (
        quantifier not in QUANTIFIERS
        and speech
        and t.word(j).isalpha()
        and (t.word(j - 1) in QUANTIFIERS or (noun in SINGLE_SOURCES and t.word(j - 1) in {"a", "an"}))
    ):
        # one noun modifier between: "Some election lawyers say"
        j -= 1
        quantifier = t.word(j)
    if quantifier in _COUNTS and _authority(noun) and _speech_in_clause(t, i):
        # "Two independent statisticians who reviewed the paper said": counted, never named
        return Hit(j, i, 0.65)
    if quantifier in QUANTIFIERS:
        # "some diplomats in Islamabad privately suspect": the verb past a place and an adverb
        speech_follows = any(t.word(k) in SPEECH_OR_THOUGHT for k in range(i + 1, i + 4)) or _told_follows(
            t, i
        )
        if _authority(noun) or (noun in PEOPLE_NOUNS and speech_follows):
            return Hit(j, i, QUANTIFIERS[quantifier])
        if speech and (noun in GROUP_NOUNS or noun.endswith(PERSON_ENDINGS)) and noun not in _THINGS:
            return Hit(j, i, QUANTIFIERS[quantifier] - 0.1)  # "Most traders think", "Some grandmasters say"
        return None
    if noun in {"sources", "source"} and first_adjective < i and not t.sentence_initial(first_adjective):
        return Hit(first_adjective, i, 0.8)
    if t.word(i + 1) == "familiar" and t.word(i + 2) == "with" and noun in {"people", "sources", "officials"}:
        # "people familiar with the talks": the phrase up to the end of its noun group
        last = i + 3
        if t.word(last) in {"the", "a", "this", "these"}:
            last += 1
        if t.word(last):
            return Hit(i, last, 0.85)
    if (
        noun in {"sources", "insiders"}
        and first_adjective == i
        and quantifier in {"", "and", "but", "yet"}
        and t.word(i + 1) in {"at", "in", "within", "inside", "from", "near", "around"}
    ):
        _, last = t.clause_span(i)
        if any(t.low[k] in SPEECH_OR_THOUGHT for k in range(i + 2, min(last, i + 10) + 1)):
            return Hit(i, i, 0.75)  # "Sources at the club insist", "Sources in Whitehall said"
    according = t.word(i - 1) == "to" and t.word(i - 2) == "according"
    if noun in {"sources", "source"} and (t.word(i + 1) == "close" or according):
        # "Sources close to the club": "sources" alone already names nobody (unlike "people",
        # which needs its "familiar with ..." to become a source), so the cue is the noun.
        return Hit(i, i, 0.75)
    return None


# Words in -s before "said to" that are no plural nouns: "he has said to", "this was said to".
_NOT_NOUNS = words("has was is as this its his was does yes")
_COUNTS = words("two three four five six several")
_ABBREVIATIONS = [["U", ".", "S", "."], ["U", ".", "K", "."], ["U", ".", "N", "."], ["E", ".", "U", "."]]
# Attitude verbs (as against verbs of saying): with a named holder they report a view, not a source.
ATTITUDE_VERBS = words("""assume assumes assumed believe believes believed think thinks thought fear fears feared
    suspect suspects suspected expect expects expected regard regards regarded consider considers considered
    view views viewed see sees saw""")
# Plural nouns in -ers/-ors that are things: "Several indicators suggest this".
_THINGS = words("""indicators factors sectors vectors reactors motors sensors monitors doors floors errors colors
    colours mirrors numbers orders borders waters matters markers papers letters figures""")
_OFFICIAL_NOUNS = words("officials diplomats sources official diplomat source")
# Verbs by which a source is quoted or paraphrased.
_TOLD = SPEECH_OR_THOUGHT | words("indicated warned briefed confirmed")
_DEFINITE = words("the this that these those his her their its our my your")
# What may stand between a source and its verb: auxiliaries, adverbs, a place ("in Peshawar").
_BETWEEN = words("have has had also privately publicly reportedly in at from")


def _told_follows(t: Tokens, i: int, first: int | None = None) -> bool:
    """A verb of saying within four words after the source, past auxiliaries and a place; or
    the source speaking "on condition of anonymity" in a parenthetical; or "according to" it."""
    first = i if first is None else first
    if (t.word(first - 1), t.word(first - 2)) == ("to", "according"):
        return True  # "according to party officials", "according to two diplomats"
    for k in range(i + 1, min(len(t) - 1, i + 12) + 1):
        if t.low[k] == "anonymity":
            return True  # "who spoke on condition of anonymity", "speaking on condition of anonymity"
        if t.low[k] in {".", "!", "?", "\n"}:
            break
    for k in range(i + 1, i + 5):
        w = t.word(k)
        if w in _TOLD or (w in {"signalled", "signaled"} and t.word(k + 1) == "that"):
            return True  # "Russian officials have signalled that ..." (not "signalled their irritation")
        if not w or not (w in _BETWEEN or t.is_capitalized(k)):
            return False
    return False


SINGLE_SOURCES = words("aide insider official source adviser advisor diplomat")
_CLOSENESS = {("familiar", "with"), ("close", "to"), ("briefed", "on")}


def _noun_group_end(t: Tokens, k: int) -> int:
    """The last word of the noun group opening at ``k`` ("the company's FDA discussions"), up to
    a verb of saying, a relative or punctuation; -1 if none."""
    last = -1
    for m in range(k, k + 6):
        if not t.is_word[m] if m < len(t.low) else True:
            break
        if t.low[m] in SPEECH_OR_THOUGHT or t.low[m] in {
            "that",
            "who",
            "which",
            "and",
            "but",
            "as",
            "in",
            "on",
        }:
            break
        last = m
    return last


def _speech_in_clause(t: Tokens, i: int) -> bool:
    first, last = t.sentence_span(i)
    return any(t.low[k] in SPEECH_OR_THOUGHT for k in range(i + 1, min(last, i + 14) + 1))


_MARKET_TERMS = words("volatility yield yields rate rates value valuation probability")


def _reduced_relative(t: Tokens, i: int) -> bool:
    """ "reported" right after a noun or a comma, followed by a place or a time, and no "by": a
    report with nobody reporting."""
    if t.low[i] != "reported" or t.word(i + 1) not in {
        "in",
        "on",
        "at",
        "last",
        "earlier",
        "since",
        "during",
    }:
        return False
    prev = t.word(i - 1)
    if not (
        t.at(i - 1) == ","
        or (prev.endswith("s") and prev not in BE and prev not in {"has", "was", "is", "this"})
    ):
        return False
    return not agent_follows(t, i, window=10)


def _owned(t: Tokens, k: int) -> bool:
    """ "Both sides' lawyers", "the club's doctors": somebody's own people, not a vague authority."""
    return t.at(k - 1) in {"'", "’"} or t.word(k - 1).endswith(("'s", "’s"))


def we_are_told(t: Tokens, i: int) -> Hit | None:
    if (t.word(i - 1), t.word(i - 2)) in {("are", "we"), ("am", "i")}:
        return Hit(i - 2, i, 0.75)
    if t.word(i - 1) in {"i'm", "i’m", "we're", "we’re"}:
        return Hit(i - 1, i, 0.75)
    return None


def make_of_that(t: Tokens, i: int) -> Hit | None:
    if [t.word(i + k) for k in (1, 2, 3, 4)] == ["of", "that", "what", "you"] and t.word(i + 5) in {
        "will",
        "wish",
    }:
        return Hit(i, i + 5, 0.8)
    return None


def there_is_talk(t: Tokens, i: int) -> Hit | None:
    if t.word(i - 1) in {"there's", "there’s"}:
        return Hit(i - 1, i, 0.75)
    if t.word(i - 1) in {"is", "was"} and t.word(i - 2) == "there":
        return Hit(i - 2, i, 0.75)
    return None


def implied(t: Tokens, i: int) -> Hit | None:
    w = t.low[i]
    if w in {"innuendo", "innuendos", "innuendoes"}:
        return Hit(i, i, 0.95)
    if negated(t, i, window=4):
        return None  # "he did not imply that", "denied implying"
    if w.startswith("insinuat"):
        return Hit(i, i, 0.9)
    if w.startswith("hint") and t.word(i + 1) == "as" and t.word(i + 2) == "much":
        return Hit(i, i, 0.7)  # "they hinted as much at the time"
    if w.startswith("hint"):
        _, last = t.clause_span(i)
        if w != "hint" and (
            t.word(i + 1) in {"at", "that"}
            or "that" in [t.low[k] for k in range(i + 1, min(last, i + 5) + 1)]
        ):
            return Hit(i, i, 0.7)  # "hinted last week that there was more to the story"
        return None
    if w == "implication":
        return Hit(i, i, 0.6) if t.word(i + 1) == "that" else None
    if t.word(i + 1) in _MARKET_TERMS:
        return None  # "implied volatility": a market quantity, not an insinuation
    first = i
    if t.word(i - 1) in INTENSIFIERS:
        first = i - 1
    return Hit(first, i, 0.9)
