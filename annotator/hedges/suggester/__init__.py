"""Hedge cue suggester: rules plus context, explainable rule by rule.

``suggest(text)`` returns the minimal hedge cues of a plain text as
``Suggestion`` rows (code point offsets, kind, confidence, the rule that fired).
Each rule in ``RULES`` is a trigger word list and a function that looks at the
cue's context (sentence, clause, holder, negation, conditionals) and either
returns the cue's token range with a confidence or declines. Publisher
boilerplate is skipped first; overlapping candidates keep the longest.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from annotator.hedges.suggester import rules_attribution as attribution
from annotator.hedges.suggester import rules_could, rules_should
from annotator.hedges.suggester import rules_modal as modal
from annotator.hedges.suggester import rules_speculation as speculation
from annotator.hedges.suggester.boilerplate import boilerplate_ranges
from annotator.hedges.suggester.context import Hit
from annotator.hedges.suggester.tokens import Tokens, tokenize

KINDS = ("modal", "speculation", "weasel", "insinuation")


@dataclass(frozen=True)
class Rule:
    name: str
    kind: str
    triggers: tuple[str, ...]
    check: Callable[[Tokens, int], Hit | None]
    description: str


@dataclass(frozen=True)
class Suggestion:
    start: int
    end: int
    text: str
    kind: str
    confidence: float
    rule: str

    def as_dict(self) -> dict:
        return {
            "start": self.start,
            "end": self.end,
            "text": self.text,
            "kind": self.kind,
            "confidence": self.confidence,
            "rule": self.rule,
        }


def _rule(name: str, triggers: str, check, description: str) -> Rule:
    return Rule(name, name.split(".")[0], tuple(triggers.split()), check, description)


RULES: dict[str, Rule] = {
    r.name: r
    for r in [
        _rule("modal.might", "might", modal.might,
              'Epistemic "might"; not the noun ("military might") nor "as simple as it might seem".'),
        _rule("modal.may", "may", modal.may,
              'Epistemic "may"; not the month, "Be that as it may", "come what may", nor permission: a rule '
              'binding people ("Under league rules, a player may not ..."), "may apply for", "may switch to", '
              '"may only be deployed once", "may ... only once a quarter", a ruling\'s parties ("the plaintiffs '
              'may seek damages").'),
        _rule("modal.could", "could", rules_could.could,
              '"could" meaning "might": an outcome verb, "be"/"have", a thing as subject, the consequent of a '
              'conditional, an agent\'s act at a point in time, a prospect\'s that-clause ("speculation that X '
              'could"); not ability, capacity or option ("could push", "with its lines it could turn out", '
              '"could carry 33 billion cubic metres", "200 children a week", "could offer to", "only X could", '
              '"can ... and could"), an if-clause, "whether it could", "could not/hardly".'),
        _rule("modal.should", "should shouldn't", rules_should.should,
              'Epistemic "should" of expectation: an event with a time ("should arrive by Friday"), a thing\'s '
              'outcome ("the talks should produce a deal"), "should be able to", "should be lower still", '
              '"should already be", a result awaited ("we should know by March"); not advice to a person, group '
              'or institution ("the bank should cut rates", "Residents in high-risk areas should clear ..."), '
              '"should have done", "should not", a passive recommendation ("should be addressed by the '
              'mission"), a reported proposal.'),
        _rule("modal.likely", "likely unlikely", modal.likely,
              '"likely", "unlikely", "most/least likely", "it\'s likely that" whole; a referential "it" ("It is '
              'unlikely within 2027") and degree words stay outside.'),
        _rule("modal.probable", "probably probable improbable probability", modal.probable,
              '"probably", "probable", "most probable".'),
        _rule("modal.possible", "possible possibly possibility plausible impossible implausible", modal.possible,
              '"possible", "possibly", "it\'s possible", "plausible", litotes "not impossible"; not "as soon as '
              'possible", "made possible", "possible to".'),
        _rule("modal.potential", "potential potentially", modal.potential,
              '"potentially", attributive "potential" ("a potential axis") and a likelihood ("above-normal '
              'potential for fires"); not the noun of capacity ("its potential", "enormous potential for '
              'trade").'),
        _rule("modal.apparent", "apparent apparently seemingly", modal.apparent,
              'Attributive "apparent", "apparently", "seemingly"; not "it became apparent that" (evident).'),
        _rule("modal.almost_certainly", "almost", modal.almost_certainly, '"almost certainly".'),
        _rule("modal.chance", "chance chances", modal.chance,
              '"There\'s a chance", "chances are"; not "a chance to" (an opportunity).'),
        _rule("modal.cards", "cards", modal.cards, '"in the cards", "on the cards".'),
        _rule("modal.perhaps", "perhaps maybe conceivably plausibly arguably", modal.perhaps,
              '"perhaps", "maybe", "conceivably", "plausibly", "arguably".'),
        _rule("speculation.presumably", "presumably", modal.perhaps,
              '"presumably": an inference ("it may be presumed"), so speculation rather than modal.'),
        _rule("speculation.seem", "seem seems seemed", speculation.seem,
              '"seems"; not in comparisons ("not as simple as it seems").'),
        _rule("speculation.appear", "appear appears appeared appearing", speculation.appear,
              '"appears to" (with "to"), "it appears that"; not "appeared in court".'),
        _rule("speculation.suggest", "suggest suggests suggested suggesting suggestion", speculation.suggest,
              '"suggest(s)" of inference; not a proposal ("suggested that X should", a person\'s "suggested that '
              'the airlines meet her officials"), "than the headlines suggest", not negated.'),
        _rule("speculation.unclear", "unclear unknown clear uncertain question far means knows doubtful questionable", speculation.unclear,
              '"it\'s unclear", "it\'s unknown" whole; "unknown whether", "X is unknown."; "an open question", '
              '"far from certain", "by no means certain", "nobody knows whether", "it is doubtful that"; not '
              '"unknown gunmen".'),
        _rule("speculation.impossible_to_know", "impossible difficult hard harder", speculation.impossible_to_know,
              '"it\'s impossible to know/predict", "hard to say", with "right now"/"yet" inside kept whole.'),
        _rule("speculation.remains_to_be_seen", "remains remain", speculation.remains_to_be_seen,
              '"remains to be seen".'),
        _rule("speculation.ruled_out", "ruled rule", speculation.ruled_out, '"can\'t be ruled out".'),
        _rule("speculation.in_all_probability", "probability likelihood", speculation.in_all_probability,
              '"in all probability", "in all likelihood".'),
        _rule("speculation.speculation",
              "speculation speculations speculative speculate speculates speculated speculating",
              speculation.speculation, '"speculation", "speculative", "It can only be speculated"; not negated, '
              'not of the market ("speculative projects", "currency speculation").'),
        _rule("speculation.suspect", "suspect suspects suspected suspecting", speculation.suspect,
              'The verb of conjecture with or without a holder ("Taliban leaders suspected that", "both suspect '
              'X of", "I suspect", agentless passive, attributive "three suspected cases"); not negated or denied '
              '("neither suspected", "unrealistic to suspect"), not "widely suspected" (weasel), not the noun.'),
        _rule("speculation.assume", "assume assumes assumed assuming", speculation.assume,
              '"assume" with a that-clause, with or without "that" ("they assumed the fire would stop"); not '
              'negated or with a negative subject, not "Assuming ..., " (a conditional), not "assume office".'),
        _rule("speculation.seen_as", "seen viewed interpreted read", speculation.seen_as,
              '"can be seen as", "could be viewed as".'),
        _rule("speculation.suspicion", "suspicion suspicions", speculation.suspicion,
              'Suspicion nouns carrying a proposition ("suspicions that", "suspicions in Manila that", '
              '"suspicions of ... sympathies"); not "suspicions about their intentions".'),
        _rule("speculation.dont_know", "don't don’t", speculation.dont_know,
              '"I don\'t know (whether ...)": the writer\'s own uncertainty, as "it\'s unknown" is nobody\'s.'),
        _rule("speculation.touch_and_go", "touch", speculation.touch_and_go, '"touch and go".'),
        _rule("speculation.in_doubt", "doubt", speculation.in_doubt,
              '"in doubt" ("with its bases in doubt"); not "no doubt", "beyond doubt".'),
        _rule("weasel.we_are_told", "told", attribution.we_are_told,
              '"we are told", "I am told", "I\'m told": a source the writer will not name.'),
        _rule("speculation.first_person", "suppose guess reckon presume", speculation.first_person_belief,
              '"I suppose", "I guess": the writer\'s own conjecture; "I think", "we believe" are attitude verbs '
              'whose holder the byline names, like any named holder\'s.'),
        _rule("speculation.fixed", "guess tell call early", speculation.fixed_uncertainty,
              '"anyone\'s guess", "only time will tell", "too early to call/say/tell".'),
        _rule("insinuation.make_of_that", "make", attribution.make_of_that,
              '"Make of that what you will": the reader is left to draw the insinuated conclusion.'),
        _rule("weasel.widely", "widely generally commonly", attribution.widely,
              '"widely considered/suspected/believed", "generally accepted".'),
        _rule("weasel.expected_to", "expected", attribution.expected_to,
              'Agentless "expected to" ("is expected to" -> "expected to"); not "they expected to".'),
        _rule("weasel.expected_alone", "expected", attribution.expected_alone,
              'Agentless "is expected" closing its clause ("A crowd of 31,000 is expected.").'),
        _rule("weasel.blamed_on", "blamed", attribution.blamed_on,
              '"blamed on X" with nobody blaming ("a fire, blamed at the time on a fault").'),
        _rule("weasel.there_is_talk", "talk", attribution.there_is_talk,
              '"There\'s talk (in X) that": a rumour with no source.'),
        _rule("weasel.believed_to", "believed thought said rumoured rumored understood", attribution.believed_to,
              'Agentless "believed to", "thought to", "said to" ("is said to have ..."), "it is said/believed '
              'that", "It\'s understood".'),
        _rule("weasel.agentless_view", "considered regarded seen viewed perceived deemed", attribution.agentless_view,
              'A passive attitude with no holder: "is seen as", "is considered a"; not "seen by Russia as".'),
        _rule("weasel.reported", "reported reportedly reports", attribution.reported,
              '"reportedly", agentless "reported", "according to reports"; not "reported to the insurer" (told '
              'to someone).'),
        _rule("weasel.allegedly",
              "allegedly purportedly supposedly reputedly alleged purported rumoured rumored",
              attribution.allegedly, '"allegedly", agentless "alleged"/"rumoured" ("is alleged to" keeps its "to"); not with a named '
              'subject.'),
        _rule("weasel.attributed_to", "attributed", attribution.attributed_to,
              '"attributed to" with no attributor.'),
        _rule("weasel.unnamed_sources",
              " ".join(sorted(attribution.AUTHORITY_NOUNS | attribution.PEOPLE_NOUNS | attribution.GROUP_NOUNS
                             | attribution.SINGLE_SOURCES | {"source", "estimates"})),
              attribution.many_observers,
              '"many/most observers", "Some scientists", "Most traders think" (people by their ending), '
              '"Experts say", "Two independent statisticians ... said", "unnamed officials", "diplomatic '
              'sources", "Sources close to", "Sources at the club insist", "people familiar with the talks", '
              '"people close to the squad", "the fears of ... scholars"; not one side\'s own ("Government '
              'lawyers argue", "Both sides\' lawyers").'),
        _rule("insinuation.implied",
              "implied implies imply implying insinuate insinuated insinuates insinuating insinuation "
              "innuendo innuendos innuendoes insinuations hinted hints hinting implication",
              attribution.implied, '"implied", "strongly implied", "innuendo", "insinuated", "insinuations", "hinted (...) that"; '
              'not negated.'),
    ]
}  # fmt: skip

_TRIGGERS: dict[str, list[Rule]] = {}
for _r in RULES.values():
    for _w in _r.triggers:
        _TRIGGERS.setdefault(_w, []).append(_r)


_SUFFIX_ENDINGS = attribution.EXPERT_ENDINGS + attribution.PERSON_ENDINGS
_SUFFIX_TRIGGERS = [RULES["weasel.unnamed_sources"]]


def suggest(text: str, *, disabled: Iterable[str] = (), min_confidence: float = 0.0) -> list[Suggestion]:
    """The hedge cues of ``text``, sorted by offset; rules named in ``disabled`` do not fire."""
    tokens = tokenize(text)
    skip = boilerplate_ranges(text)
    off = set(disabled)
    triggers = _TRIGGERS
    candidates: list[tuple[int, int, Rule, Hit]] = []
    low, starts, ends = tokens.low, tokens.starts, tokens.ends
    for i, word in enumerate(low):
        rules = triggers.get(word)
        if not rules:
            if not word.endswith(_SUFFIX_ENDINGS):
                continue
            rules = _SUFFIX_TRIGGERS  # "hydrologists", "traders": people by their ending
        for rule in rules:
            if rule.name in off:
                continue
            hit = rule.check(tokens, i)
            if hit is None or hit.confidence < min_confidence:
                continue
            candidates.append((starts[hit.first], ends[hit.last], rule, hit))
    return _resolve(text, candidates, skip)


def _resolve(text: str, candidates, skip: list[tuple[int, int]]) -> list[Suggestion]:
    # Longest first, then earliest: a fixed expression wins over the cue words inside it.
    candidates.sort(key=lambda c: (c[0] - c[1], c[0]))
    skip_starts = [s for s, _ in skip]
    kept: list[tuple[int, int]] = []  # sorted by start, never overlapping
    out: list[Suggestion] = []
    for start, end, rule, hit in candidates:
        k = bisect_right(skip_starts, start) - 1
        if k >= 0 and start < skip[k][1]:
            continue  # boilerplate
        at = bisect_right(kept, (start, end))
        if (at > 0 and kept[at - 1][1] > start) or (at < len(kept) and kept[at][0] < end):
            continue
        kept.insert(at, (start, end))
        out.append(Suggestion(start, end, text[start:end], rule.kind, round(hit.confidence, 2), rule.name))
    out.sort(key=lambda s: (s.start, s.end))
    return out
