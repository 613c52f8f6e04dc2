"""hedges_suggest and hedges_evaluate as the issue specifies them, and the scorer."""

from __future__ import annotations

import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from annotator.hedges.evaluation import evaluate, gold_from_marked

ROOT = Path(__file__).resolve().parents[2]
GOLD = Path(__file__).resolve().parent / "gold"
SEEDS = sorted((ROOT / "seeds").glob("00[012]_*.txt"))


def run(*args) -> str:
    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def test_suggest_json_keys_are_basenames_and_offsets_are_code_points(tmp_path):
    sub = tmp_path / "deep" / "dir"
    sub.mkdir(parents=True)
    one = sub / "one.txt"
    one.write_text("𝐀 Talks\u00a0might resume; the envoy very strongly implied it.\n", encoding="utf-8")
    two = tmp_path / "two.txt"
    two.write_text("Kabul must act.\n", encoding="utf-8")
    result = json.loads(run("hedges_suggest", str(one), str(two), "--json"))
    assert list(result) == ["one.txt", "two.txt"]
    assert result["two.txt"] == []
    text = one.read_text(encoding="utf-8")
    assert [(c["start"], c["end"], c["text"], c["kind"], c["rule"]) for c in result["one.txt"]] == [
        (8, 13, "might", "modal", "modal.might"),
        (37, 53, "strongly implied", "insinuation", "insinuation.implied"),
    ]
    for cue in result["one.txt"]:
        assert text[cue["start"] : cue["end"]] == cue["text"]
        assert set(cue) == {"start", "end", "text", "kind", "confidence", "rule"}


def test_suggest_min_confidence_filters(tmp_path):
    f = tmp_path / "c.txt"
    f.write_text("While Russia may view them as partners, the talks might fail.", encoding="utf-8")
    result = json.loads(run("hedges_suggest", str(f), "--json", "--min-confidence", "0.8"))
    assert [c["text"] for c in result["c.txt"]] == ["might"]


def test_suggest_rejects_non_utf8_naming_the_file(tmp_path):
    f = tmp_path / "latin.txt"
    f.write_bytes("caf\xe9 might".encode("latin-1"))
    with pytest.raises(CommandError, match=r"latin\.txt: not UTF-8 \(byte 3\)"):
        run("hedges_suggest", str(f), "--json")


def test_seed_gold_scores_at_least_the_target():
    """Exact-span precision and recall >= 0.90 on seeds 000-002, kind right on >= 90%."""
    report = json.loads(
        run("hedges_evaluate", "--gold", str(GOLD / "seeds_000_002.json"), *map(str, SEEDS), "--json")
    )
    assert report["exact"]["gold"] == 33
    assert report["exact"]["precision"] >= 0.9 and report["exact"]["recall"] >= 0.9
    assert report["kind_agreement"] >= 0.9


def test_independent_reading_of_all_five_seeds_scores_at_least_the_target():
    """All five seeds, as read by an engineer who saw only the guideline (not the rules, not the
    other gold): exact-span precision and recall >= 0.90, kind right on >= 90% (issue 13)."""
    seeds = sorted((ROOT / "seeds").glob("00[0-4]_*.txt"))
    report = json.loads(
        run("hedges_evaluate", "--gold", str(GOLD / "seeds_independent.json"), *map(str, seeds), "--json")
    )
    assert report["exact"]["gold"] == 114
    assert report["exact"]["precision"] >= 0.9 and report["exact"]["recall"] >= 0.9
    assert report["kind_agreement"] >= 0.9


# Gold sets by the prefix of their file names: each set was written by one hand (blind3_,
# blind4_, blind5_ by engineers who saw only the guideline), so a set is scored as a whole.
GOLD_SETS = sorted({p.name.removesuffix(".marked.txt").split("_")[0] for p in GOLD.glob("*.marked.txt")})


@pytest.mark.parametrize("prefix", GOLD_SETS)
def test_own_text_gold_scores_at_least_the_target(prefix):
    marked = [arg for p in sorted(GOLD.glob(f"{prefix}_*.marked.txt")) for arg in ("--marked", str(p))]
    marked += (
        ["--marked", str(GOLD / f"{prefix}.marked.txt")] if (GOLD / f"{prefix}.marked.txt").exists() else []
    )
    report = json.loads(run("hedges_evaluate", *marked, "--json"))
    assert report["exact"]["precision"] >= 0.9 and report["exact"]["recall"] >= 0.9, report["false_negatives"]


def test_evaluate_rejects_gold_that_does_not_fit_its_text(tmp_path):
    text = tmp_path / "t.txt"
    text.write_text("It might rain.", encoding="utf-8")
    gold = tmp_path / "g.json"
    gold.write_text(json.dumps({"t.txt": [{"start": 3, "end": 8, "text": "mighT", "kind": "modal"}]}))
    with pytest.raises(CommandError, match=r"t\.txt entry 0: text 'mighT' differs from the file's 'might'"):
        run("hedges_evaluate", "--gold", str(gold), str(text))
    gold.write_text(json.dumps({"t.txt": [{"start": 3, "end": 8, "kind": "booster"}]}))
    with pytest.raises(CommandError, match=r"t\.txt entry 0: kind 'booster' is not one of"):
        run("hedges_evaluate", "--gold", str(gold), str(text))


def test_scores_by_hand():
    """Gold: 3 cues; predictions: one exact, one overlapping with the wrong end, one spurious."""
    gold = {
        "f": [
            {"start": 0, "end": 5, "kind": "modal"},
            {"start": 10, "end": 26, "kind": "insinuation"},
            {"start": 40, "end": 45, "kind": "weasel"},
        ]
    }
    pred = {
        "f": [
            {"start": 0, "end": 5, "kind": "modal"},
            {"start": 19, "end": 26, "kind": "insinuation"},
            {"start": 60, "end": 65, "kind": "modal"},
        ]
    }
    r = evaluate(gold=gold, predicted=pred)
    assert (r.exact.true_positives, r.exact.predicted, r.exact.gold) == (1, 3, 3)
    assert r.exact.precision == pytest.approx(1 / 3) and r.exact.recall == pytest.approx(1 / 3)
    assert r.overlap.true_positives == 2 and r.overlap.recall == pytest.approx(2 / 3)
    assert r.by_kind_exact["modal"].precision == pytest.approx(1 / 2)
    assert r.by_kind_exact["weasel"].recall == 0.0
    assert r.kind_agreement == 1.0


def test_marked_gold_offsets():
    text, cues = gold_from_marked("A [[might|modal]] and\u00a0[[strongly implied|insinuation]].")
    assert text == "A might and\u00a0strongly implied."
    assert cues == [
        {"start": 2, "end": 7, "text": "might", "kind": "modal"},
        {"start": 12, "end": 28, "text": "strongly implied", "kind": "insinuation"},
    ]
