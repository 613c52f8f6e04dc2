"""Layer differences (pure functions)."""

from annotator.reviews.compare import Item, layer_differences, relation_differences, segments


def test_span_differences_by_hand():
    """ann 1: CLAIM[0,11) EVIDENCE[15,22); ann 2: CLAIM[0,11) EVIDENCE[12,22) HEDGE[23,28) OPINION[4,7)."""
    layers = {
        1: [Item(1, 0, 11, "CLAIM"), Item(2, 15, 22, "EVIDENCE")],
        2: [
            Item(3, 0, 11, "CLAIM"),
            Item(4, 12, 22, "EVIDENCE"),
            Item(5, 23, 28, "HEDGE"),
            Item(6, 4, 7, "OPINION"),
        ],
    }
    diff = layer_differences(layers)
    assert {k: v[0] for k, v in diff[1].items()} == {1: "agreed", 2: "boundary"}
    # OPINION[4,7) overlaps only ann1's CLAIM: a label difference; HEDGE overlaps nothing of ann1.
    assert {k: v[0] for k, v in diff[2].items()} == {3: "agreed", 4: "boundary", 5: "missing", 6: "label"}


def test_relation_differences():
    key = ("supports", (0, 3, "EVIDENCE"), (4, 9, "CLAIM"))
    other = ("attacks", (0, 3, "EVIDENCE"), (4, 9, "CLAIM"))
    result = relation_differences({1: [(10, key)], 2: [(20, key), (21, other)], 3: [(30, key)]})
    assert result == {10: "agreed", 20: "agreed", 21: "missing", 30: "agreed"}


def test_segments_pick_the_innermost_span():
    spans = [Item(1, 0, 10, "CLAIM"), Item(2, 2, 4, "HEDGE")]
    cut = [(s, e, top.id if top else None) for s, e, top in segments("0123456789ab", spans)]
    assert cut == [(0, 2, 1), (2, 4, 2), (4, 10, 1), (10, 12, None)]
