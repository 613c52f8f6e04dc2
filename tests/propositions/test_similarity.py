"""Suggestions of restatements on the seeds: the repeated statements of issue 15 find each other,
unrelated claims do not (fixture spans in seed_pairs.json, offsets found by searching the seed texts)."""

from __future__ import annotations

import pytest
from django.db import connection

from annotator.annotations.models import Layer
from annotator.annotations.services import annotation_create
from annotator.projects.models import Label, Role
from annotator.propositions import similarity
from annotator.propositions.services import proposition_create
from tests.factories import DocumentFactory, ProjectFactory, member
from tests.propositions.conftest import PAIRS, seed_file_text

pytestmark = pytest.mark.django_db


def _candidates(project, span):
    return similarity.span_candidates(
        project_id=project.pk, text=span.quote, document_id=span.document_id, layer=Layer.GOLD, annotator_id=0
    )


def test_fixture_quotes_are_the_seed_text_at_their_offsets():
    """Every fixture span reads exactly text[start:end] (code points) of its seed file."""
    entries = [e for group in PAIRS["groups"].values() for e in group] + PAIRS["unrelated"]
    for entry in entries:
        assert seed_file_text(entry["file"])[entry["start"] : entry["end"]] == entry["quote"]
    assert PAIRS["groups"]["drone_strike_passively_facilitated"][0]["start"] == 1516
    assert PAIRS["groups"]["tensions_remained_manageable"][1]["start"] == 13776


def test_the_repeats_list_groups_each_restated_proposition_and_nothing_else(seed_claims):
    """The project-wide list yields exactly two groups: the four drone-strike statements
    (000, 002, 003, 004) and the two "remained manageable" statements (002, 004)."""
    project, _, spans = seed_claims
    groups = similarity.repeat_groups(similarity.repeat_pairs(project_id=project.pk))
    drone = sorted(spans[f"drone_strike_passively_facilitated[{i}]"].pk for i in range(4))
    manageable = sorted(spans[f"tensions_remained_manageable[{i}]"].pk for i in range(2))
    assert sorted(g["spans"] for g in groups) == sorted([drone, manageable])


def test_each_statement_has_a_restatement_among_its_candidates_and_no_unrelated_claim(seed_claims):
    """Direct candidates: each statement's list holds other members of its group only, and the
    strongest restatements (002 and 003, 002 and 004) rank first."""
    project, _, spans = seed_claims
    unrelated = {spans[f"unrelated[{i}]"].pk for i in range(len(PAIRS["unrelated"]))}
    for name, group in PAIRS["groups"].items():
        members = {spans[f"{name}[{i}]"].pk for i in range(len(group))}
        for i in range(len(group)):
            span = spans[f"{name}[{i}]"]
            found = {c["id"] for c in _candidates(project, span) if not c["contradicts"]}
            assert found & (members - {span.pk}), f"{name}[{i}] has no restatement among {found}"
            assert not found & unrelated
            assert found <= members
    top = _candidates(project, spans["drone_strike_passively_facilitated[1]"])
    assert [c["id"] for c in top[:2]] == [
        spans["drone_strike_passively_facilitated[2]"].pk,
        spans["drone_strike_passively_facilitated[3]"].pk,
    ]
    assert 0.68 < top[0]["score"] < 0.7


def test_unrelated_claims_have_no_candidate_in_the_groups(seed_claims):
    project, _, spans = seed_claims
    grouped = {s.pk for key, s in spans.items() if not key.startswith("unrelated")}
    for i in range(len(PAIRS["unrelated"])):
        found = {c["id"] for c in _candidates(project, spans[f"unrelated[{i}]"]) if not c["contradicts"]}
        assert not found & grouped, f"unrelated[{i}] matched {found & grouped}"


def test_once_one_statement_states_a_proposition_every_restatement_is_offered_it(seed_claims):
    """Suggested propositions reach through linked spans: with 002's statement linked to P,
    000, 003 and 004 are each offered P; an unrelated claim is not."""
    project, reviewer, spans = seed_claims
    proposition = proposition_create(
        project=project, text="Pakistan passively facilitated the US drone strike in Kabul in August 2022",
        user=reviewer, spans=[spans["drone_strike_passively_facilitated[1]"]],
    )  # fmt: skip
    for i in (0, 2, 3):
        span = spans[f"drone_strike_passively_facilitated[{i}]"]
        found = similarity.proposition_suggestions(
            project_id=project.pk, text=span.quote, span_id=span.pk, user_id=reviewer.pk, all_layers=True
        )
        assert [s["id"] for s in found] == [proposition.pk]
    unrelated = spans["unrelated[0]"]
    assert (
        similarity.proposition_suggestions(
            project_id=project.pk,
            text=unrelated.quote,
            span_id=unrelated.pk,
            user_id=reviewer.pk,
            all_layers=True,
        )
        == []
    )


# Exact candidate lists (best first, scores to two places, "contradicts?" marked) of every fixture
# claim. 000 <-> 003 (0.22) is found once 000's aside "- which just unsuccessfully attempted to
# assassinate former Prime Minister Imran Khan -" no longer counts and the corpus-frequent stock
# phrases weigh little; 004's negated "no credible chance of Pakistan ever ... passively
# facilitating American drone strikes" comes after the restatements of 002 and 003, flagged.
D = "drone_strike_passively_facilitated"
EXPECTED = {
    f"{D}[0]": [(f"{D}[3]", 0.33, False), (f"{D}[1]", 0.31, False), (f"{D}[2]", 0.22, False)],
    f"{D}[1]": [(f"{D}[2]", 0.69, False), (f"{D}[3]", 0.43, False), (f"{D}[0]", 0.31, False),
                ("unrelated[3]", 0.21, True)],
    f"{D}[2]": [(f"{D}[1]", 0.69, False), (f"{D}[3]", 0.33, False), (f"{D}[0]", 0.22, False),
                ("unrelated[3]", 0.21, True)],
    f"{D}[3]": [(f"{D}[1]", 0.43, False), (f"{D}[2]", 0.33, False), (f"{D}[0]", 0.33, False)],
    "tensions_remained_manageable[0]": [("tensions_remained_manageable[1]", 0.34, False)],
    "tensions_remained_manageable[1]": [("tensions_remained_manageable[0]", 0.34, False)],
    **{f"unrelated[{i}]": [] for i in range(len(PAIRS["unrelated"]))},
    "unrelated[3]": [(f"{D}[2]", 0.21, True), (f"{D}[1]", 0.21, True)],
}  # fmt: skip


def test_exact_candidate_lists_on_the_seed_pairs_and_non_pairs(seed_claims):
    project, _, spans = seed_claims
    key_of = {span.pk: key for key, span in spans.items()}
    found = {
        key: [(key_of[c["id"]], round(c["score"], 2), c["contradicts"]) for c in _candidates(project, span)]
        for key, span in spans.items()
    }
    assert found == EXPECTED


# Pairs outside the seeds: a paraphrase, the same statement negated, a claim sharing only the
# corpus's stock phrase ("the central bank ... in March", frequent here as in any central-bank
# commentary), and one whose shared words sit in an aside.
OWN_CLAIMS = {
    "stated": "The central bank raised interest rates by half a point in March to curb inflation",
    "paraphrase": "In March the central bank lifted its interest rates by half a percentage point to rein in inflation",
    "negated": "The central bank did not raise interest rates in March, whatever inflation did",
    "stock_phrase": "The central bank governor gave a speech on climate risk in March",
    "aside": "Farm incomes fell again (the central bank raised interest rates in March) across the north",
    "other": "The finance ministry published its annual budget review with the central bank",
    "background_1": "In March the central bank warned that house prices were overvalued",
    "background_2": "The central bank sold foreign reserves in March to support the currency",
    "background_3": "Bond yields climbed in March after the central bank minutes were released",
}


@pytest.fixture
def own_claims(db):
    project = ProjectFactory()
    reviewer = member(project, Role.REVIEWER)
    claim = Label.objects.get(project=project, code="CLAIM")
    spans = {}
    for key, text in OWN_CLAIMS.items():
        document = DocumentFactory(project=project, text=text)
        spans[key] = annotation_create(
            document=document, annotator=reviewer, start=0, end=len(text), label=claim, quote=text,
            layer=Layer.GOLD,
        )  # fmt: skip
    return project, spans


def test_own_pairs_paraphrase_found_negation_flagged_stock_phrase_and_aside_not(own_claims):
    project, spans = own_claims
    key_of = {span.pk: key for key, span in spans.items()}
    found = [(key_of[c["id"]], c["contradicts"]) for c in _candidates(project, spans["stated"])]
    assert found == [("paraphrase", False), ("negated", True)]
    groups = similarity.repeat_groups(similarity.repeat_pairs(project_id=project.pk))
    assert [g["spans"] for g in groups] == [sorted([spans["stated"].pk, spans["paraphrase"].pk])]


def test_lexeme_counts_follow_span_writes(own_claims):
    """The weights' document frequencies: the spans holding each lexeme, kept on insert and delete."""
    project, spans = own_claims

    def count(lexeme):
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT sum(spans) FROM propositions_lexemecount WHERE project_id = %s AND lexeme = %s",
                [project.pk, lexeme],
            )
            row = cursor.fetchone()
        return row and row[0]

    assert (count(""), count("bank"), count("march"), count("inflat")) == (
        9,
        8,
        7,
        3,
    )  # the aside's words do not count
    spans["negated"].delete()
    assert (count(""), count("bank"), count("march"), count("inflat")) == (8, 7, 6, 2)


def test_main_wording_and_polarity():
    """Asides between dashes or in parentheses are dropped, hyphens split words; a negation cue
    (whole words, or n't with either apostrophe) in the main wording makes it negated."""
    cases = [
        (
            "Pakistan’s regime – which just tried to oust Khan – continues",
            "Pakistan’s regime continues",
            False,
        ),
        ("A post-modern coup (not a war) happened", "A post modern coup happened", False),
        ("Islamabad won’t allow it", "Islamabad won’t allow it", True),
        ("There was no credible chance", "There was no credible chance", True),
        ("Nothing changed; a knot of notables met", "Nothing changed; a knot of notables met", True),
        ("A knot of notables met at Notting Hill", "A knot of notables met at Notting Hill", False),
    ]
    with connection.cursor() as cursor:
        for text, main, negated in cases:
            cursor.execute("SELECT propositions_main_text(%s), propositions_negated(%s)", [text, text])
            wording, polarity = cursor.fetchone()
            assert (" ".join(wording.split()), polarity) == (main, negated), text
