"""The plain-SQL trigram functions stand in for pg_trgm where the server has no contrib
modules (the embedded development PostgreSQL); here they must agree with pg_trgm."""

import json
from pathlib import Path

import pytest
from django.db import connection

pytestmark = pytest.mark.django_db

PAIRS = json.loads((Path(__file__).parent / "seed_pairs.json").read_text())


def _texts() -> list[str]:
    found = []

    def walk(value):
        if isinstance(value, dict):
            for key, item in value.items():
                if key in ("quote", "text") and isinstance(item, str):
                    found.append(item)
                else:
                    walk(item)
        elif isinstance(value, list):
            for item in value:
                walk(item)

    walk(PAIRS)
    return found + ["Widely considered — “passively facilitated”!", "", "Über-élite 2026 a"]


def test_trigram_similarity_in_plain_sql_equals_pg_trgm():
    """Every pair of texts (seed restatements, punctuation, accents, empty) scores the same."""
    texts = _texts()
    assert len(texts) >= 6
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm'")
        assert cursor.fetchone(), "the test database has pg_trgm (CI's PostgreSQL ships it)"
        for a in texts:
            for b in texts:
                cursor.execute("SELECT similarity(%s, %s), assay_trgm_similarity(%s, %s)", [a, b, a, b])
                ours, theirs = cursor.fetchone()[::-1]
                assert ours == pytest.approx(theirs, abs=1e-6), (a, b)


def test_word_similarity_fallback_is_the_share_of_the_first_texts_trigrams_found():
    """By hand: "taliban" has trigrams "  t", " ta", "tal", "ali", "lib", "iba", "ban", "an " (8);
    "the taliban regime" holds all of them, "talibs" 5 of them ("  t", " ta", "tal", "ali", "lib")."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT assay_trgm_word_similarity('Taliban', 'the Taliban regime'),"
            " assay_trgm_word_similarity('Taliban', 'talibs'), assay_trgm_word_similarity('', 'x')"
        )
        assert cursor.fetchone() == (1.0, 0.625, 0.0)
