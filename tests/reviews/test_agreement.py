"""Agreement values computed by hand on small fixtures (definitions: docs/review.md, "Agreement: exact definitions")."""

import pytest

from annotator.reviews import agreement as m
from annotator.reviews.agreement import Span

TEXT = "The cat sat on the mat today"
# tokens: The[0,3) cat[4,7) sat[8,11) on[12,14) the[15,18) mat[19,22) today[23,28)
A = [Span(0, 11, "CLAIM"), Span(15, 22, "EVIDENCE")]
B = [Span(0, 11, "CLAIM"), Span(12, 22, "EVIDENCE"), Span(23, 28, "HEDGE")]
LABELS = ["CLAIM", "EVIDENCE", "OPINION", "HEDGE"]


def test_tokens_are_whitespace_separated_code_point_ranges():
    """Tokens are maximal runs of non-space characters, with code point offsets."""
    assert m.tokenize(TEXT) == ([0, 4, 8, 12, 15, 19, 23], [3, 7, 11, 14, 18, 22, 28])
    assert m.tokenize("été  ok") == ([0, 5], [3, 7])


def test_exact_and_overlap_f1_by_hand():
    """Exact: only CLAIM[0,11) matches: F1 = 2·1/(2+3) = 0.4. Overlap: EVIDENCE [15,22)
    and [12,22) share 7 code points and also match: F1 = 2·2/(2+3) = 0.8."""
    assert m.exact_matches(A, B) == 1
    assert m.overlap_matches(A, B) == 2
    assert m.f1(1, 2, 3) == pytest.approx(0.4)
    assert m.f1(2, 2, 3) == pytest.approx(0.8)


def test_overlap_matching_is_one_to_one():
    """A's CLAIM[0,11) overlaps both of B's CLAIMs [0,3) and [4,11) but matches one:
    F1 = 2·1/(1+2) = 2/3. A different label never matches."""
    a = [Span(0, 11, "CLAIM")]
    b = [Span(0, 3, "CLAIM"), Span(4, 11, "CLAIM")]
    assert m.overlap_matches(a, b) == 1
    assert m.f1(m.overlap_matches(a, b), 1, 2) == pytest.approx(2 / 3)
    assert m.overlap_matches(a, [Span(0, 11, "OPINION")]) == 0


def test_overlap_matching_keeps_exact_pairs():
    """B[0,20) overlaps A[0,10) by 10 and A[10,20) by 10, but A[10,20) has an exact
    twin in B, so the exact pair is kept and B[0,20) pairs with A[0,10): 2 matches."""
    a = [Span(0, 10, "CLAIM"), Span(10, 20, "CLAIM")]
    b = [Span(0, 20, "CLAIM"), Span(10, 20, "CLAIM")]
    assert m.exact_matches(a, b) == 1
    assert m.overlap_matches(a, b) == 2


def test_token_values_resolve_overlaps_by_shortest_span():
    """A HEDGE[4,7) inside a CLAIM[0,22) keeps its token; a span touching part of
    a token covers it ([1,2) covers "The")."""
    starts, ends = m.tokenize(TEXT)
    values = m.token_values(starts, ends, [Span(0, 22, "CLAIM"), Span(4, 7, "HEDGE")])
    assert values == ["CLAIM", "HEDGE", "CLAIM", "CLAIM", "CLAIM", "CLAIM", "none"]
    assert m.token_values(starts, ends, [Span(1, 2, "OPINION")])[:2] == ["OPINION", "none"]


def test_alpha_by_hand():
    """Token values: A = C C C none E E none, B = C C C E E E H (C=CLAIM, E=EVIDENCE, H=HEDGE).
    Coincidences (m=2, divide by m-1=1): C-C 3·2=6, E-E 2·2=4, none-E 1, E-none 1, none-H 1, H-none 1.
    n_C=6, n_E=5, n_none=2, n_H=1, n=14. Observed off-diagonal = 4.
    Expected Σ_{c≠k} n_c·n_k = 14² - (36+25+4+1) = 130. alpha = 1 - 13·4/130 = 0.6."""
    starts, ends = m.tokenize(TEXT)
    matrix = m.coincidences([m.token_values(starts, ends, A), m.token_values(starts, ends, B)])
    assert matrix == {
        ("CLAIM", "CLAIM"): 6,
        ("EVIDENCE", "EVIDENCE"): 4,
        ("none", "EVIDENCE"): 1,
        ("EVIDENCE", "none"): 1,
        ("none", "HEDGE"): 1,
        ("HEDGE", "none"): 1,
    }
    assert m.alpha_nominal(matrix) == pytest.approx(0.6)


def test_per_label_values_by_hand():
    """Per label, values collapse to "label" vs "none":
    CLAIM: no disagreement -> 1.0; exact F1 = 2·1/(1+1) = 1.0.
    EVIDENCE: n_E=5, n_none=9, observed 2, expected 2·5·9=90 -> 1 - 13·2/90 = 64/90; exact F1 0, overlap F1 1.0.
    HEDGE: n_H=1, n_none=13, observed 2, expected 2·1·13=26 -> 1 - 13·2/26 = 0; F1 = 0/(0+1) = 0.
    OPINION: nobody used it: every token is none -> alpha 1.0 and F1 undefined (None)."""
    scopes = m.document_agreement(TEXT, {7: A, 9: B}, LABELS)
    assert scopes[None].exact_f1 == pytest.approx(0.4)
    assert scopes[None].overlap_f1 == pytest.approx(0.8)
    assert scopes[None].alpha == pytest.approx(0.6)
    assert scopes[None].units == 7
    assert scopes["CLAIM"].alpha == pytest.approx(1.0) and scopes["CLAIM"].exact_f1 == pytest.approx(1.0)
    assert scopes["EVIDENCE"].alpha == pytest.approx(64 / 90)
    assert (scopes["EVIDENCE"].exact_f1, scopes["EVIDENCE"].overlap_f1) == (0.0, 1.0)
    assert scopes["HEDGE"].alpha == pytest.approx(0.0) and scopes["HEDGE"].exact_f1 == 0.0
    assert scopes["OPINION"].alpha == 1.0 and scopes["OPINION"].exact_f1 is None
    assert scopes[None].pairs == [
        {
            "a": 7,
            "b": 9,
            "spans_a": 2,
            "spans_b": 3,
            "exact": 1,
            "overlap": 2,
            "exact_f1": 0.4,
            "overlap_f1": 0.8,
        }
    ]


def test_three_annotators_alpha_by_hand():
    """Three coders, two tokens "a b": X = C none, Y = C none, Z = C C.
    Unit 1 (C,C,C): C-C pairs 3·2=6, /(m-1=2) -> 3. Unit 2 (none,none,C): none-none 2·1=2 -> 1,
    none-C 2, C-none 2 -> 1 each. n_C=3+1=4, n_none=1+1=2, n=6. observed 2; expected 2·4·2=16.
    alpha = 1 - 5·2/16 = 0.375. Exact F1 pooled over the pairs X-Y, X-Z, Y-Z (one span each):
    2·(1+0+0)/(2+2+2) = 1/3. Overlap: Z's [0,3) overlaps the others' [0,1): 2·3/6 = 1.0."""
    text = "a b"
    layers = {1: [Span(0, 1, "CLAIM")], 2: [Span(0, 1, "CLAIM")], 3: [Span(0, 3, "CLAIM")]}
    scopes = m.document_agreement(text, layers, ["CLAIM"])
    assert scopes[None].alpha == pytest.approx(0.375)
    assert scopes[None].exact_f1 == pytest.approx(1 / 3)
    assert scopes[None].overlap_f1 == pytest.approx(1.0)


def test_alpha_needs_two_layers():
    """One layer has nothing to agree with: no alpha, no F1."""
    scopes = m.document_agreement(TEXT, {7: A}, LABELS)
    assert scopes[None].alpha is None and scopes[None].exact_f1 is None and scopes[None].units == 0


def test_alpha_matches_krippendorffs_published_example():
    """Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability", section C: 4 observers,
    12 units, missing values; the published nominal alpha is 0.743."""
    x = None
    data = [
        [1, 2, 3, 3, 2, 1, 4, 1, 2, x, x, x],
        [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, x, 3],
        [x, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, x],
        [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, x],
    ]
    layers = [[None if v is None else str(v) for v in row] for row in data]
    assert round(m.alpha_nominal(m.coincidences(layers)), 3) == 0.743
