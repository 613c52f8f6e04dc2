"""Propositions: suggested restatements for one claim among 100,000 claims.

Target (issue 15): candidates for one claim in well under 100 ms at the median.

Corpus (generated, fixed seed): PROP_BENCH_CLAIMS claims (100000) in documents of 100
claims each, every claim a gold CLAIM span over one generated sentence of 12 to 35
words drawn from a Zipf-distributed vocabulary of 20,000 words (letters drawn with English frequencies) plus
English function words (so character trigrams and lexemes are shared the way a real
corpus shares them). 200 of the sentences are planted again, reworded (a fifth of the
words replaced, two swapped), in other documents; 2,000 claims are linked to 1,000
propositions. Rows go in with triggers off (they are consistent by construction), then
the project's lexeme counts (the similarity weights) are recounted and VACUUM ANALYZE.
PROP_BENCH_DATABASE names the scratch database (default assay_bench_propositions).

Figures: ``candidates_ms`` (span_candidates: claims of other documents restating the
claim) and ``suggestions_ms`` (proposition_suggestions: propositions it may restate),
median and p95 over 200 planted and 100 random claims; ``planted_recall``: the share
of planted rewordings found among their original's candidates.
"""

from __future__ import annotations

import itertools
import os
import random
import statistics
import time

from tests.bench.support import median_ms, percentile_ms, scratch_database

TARGET_MS = 100.0
PER_DOCUMENT = 100
PLANTED = 200
FUNCTION_WORDS = [
    "the",
    "a",
    "of",
    "to",
    "in",
    "and",
    "that",
    "is",
    "was",
    "for",
    "on",
    "by",
    "with",
    "as",
    "it",
    "its",
    "at",
    "from",
    "be",
    "has",
    "have",
]
LETTERS = "etaoinshrdlcumwfgypbvkjxqz"
LETTER_WEIGHTS = list(
    itertools.accumulate(
        [
            12.7,
            9.1,
            8.2,
            7.5,
            7.0,
            6.7,
            6.3,
            6.1,
            6.0,
            4.3,
            4.0,
            2.8,
            2.8,
            2.4,
            2.4,
            2.2,
            2.0,
            2.0,
            1.9,
            1.5,
            1.0,
            0.8,
            0.2,
            0.2,
            0.1,
            0.1,
        ]
    )  # fmt: skip
)


def _vocabulary(rng: random.Random, size: int = 20000) -> list[str]:
    """Words of 3 to 11 letters drawn with English letter frequencies."""
    words = set()
    while len(words) < size:
        words.add("".join(rng.choices(LETTERS, cum_weights=LETTER_WEIGHTS, k=rng.randint(3, 11))))
    return sorted(words, key=lambda w: (len(w), w))


def _sentence(rng: random.Random, words: list[str], cumulative: list[float]) -> list[str]:
    length = rng.randint(12, 35)
    content = rng.choices(words, cum_weights=cumulative, k=length)
    return [rng.choice(FUNCTION_WORDS) if rng.random() < 0.35 else word for word in content]


def _reword(rng: random.Random, sentence: list[str], words: list[str]) -> list[str]:
    out = list(sentence)
    for i in rng.sample(range(len(out)), max(1, len(out) // 5)):
        out[i] = rng.choice(words)
    i = rng.randrange(len(out) - 1)
    out[i], out[i + 1] = out[i + 1], out[i]
    return out


def _generate(connection, project, user, claim_label: int, claims: int) -> dict:
    rng = random.Random(15)
    words = _vocabulary(rng)
    cumulative = list(itertools.accumulate(1 / (rank + 1) for rank in range(len(words))))
    # Pre-draw sentences faster than choices() one word at a time.
    sentences = [
        " ".join(_sentence(rng, words, cumulative)).capitalize() + "." for _ in range(min(claims, 20_000))
    ]
    documents = max(2, claims // PER_DOCUMENT)
    planted = {}
    rows_docs, rows_spans = [], []
    for d in range(documents):
        parts = [rng.choice(sentences) if i % 5 else sentences[(d * PER_DOCUMENT + i) % len(sentences)]
                 for i in range(PER_DOCUMENT)]  # fmt: skip
        if d >= documents // 2 and len(planted) < PLANTED:
            original_doc = d - documents // 2
            original = sentences[(original_doc * PER_DOCUMENT) % len(sentences)]
            reworded = " ".join(_reword(rng, original[:-1].split(), words)) + "."
            parts[1] = reworded
            planted[(original_doc, 0)] = (d, 1)
        text, offsets = "", []
        for part in parts:
            offsets.append((len(text), len(text) + len(part)))
            text += part + " "
        rows_docs.append(text)
        rows_spans.append(offsets)
    with connection.cursor() as cursor:
        cursor.execute("SET session_replication_role = replica")
        cursor.execute("DROP INDEX IF EXISTS annotation_quote_trgm_idx")
        doc_ids = []
        for text in rows_docs:
            cursor.execute(
                "INSERT INTO documents_document (project_id, text, content_hash, char_count, word_count, title, url,"
                " language, provenance, created_at, updated_at) VALUES (%s, %s, encode(sha256(convert_to(%s, 'UTF8')),"
                " 'hex'), char_length(%s), 100, '', '', 'en', '{}', now(), now()) RETURNING id",
                [project.pk, text, text, text],
            )
            doc_ids.append(cursor.fetchone()[0])
        for doc_id, text, offsets in zip(doc_ids, rows_docs, rows_spans, strict=True):
            cursor.execute(
                'INSERT INTO annotations_annotation (project_id, document_id, annotator_id, layer, start, "end",'
                " quote, label_id, note, status, status_reason, version, created_at, updated_at, is_supported,"
                " is_attacked, is_qualified) SELECT %s, %s, %s, 'gold', s, e, substr(%s, s + 1, e - s), %s, '',"
                " 'pending', '', 1, now(), now(), false, false, false"
                " FROM unnest(%s::int[], %s::int[]) AS o(s, e)",
                [
                    project.pk,
                    doc_id,
                    user.pk,
                    text,
                    claim_label,
                    [o[0] for o in offsets],
                    [o[1] for o in offsets],
                ],
            )
        # 1,000 propositions, each stated by two claims of different documents.
        cursor.execute(
            "INSERT INTO propositions_proposition (project_id, text, note, version, created_at, updated_at)"
            " SELECT %s, a.quote, '', 1, now(), now() FROM annotations_annotation a"
            " WHERE a.project_id = %s ORDER BY a.id LIMIT 1000 OFFSET 500",
            [project.pk, project.pk],
        )
        cursor.execute(
            "INSERT INTO propositions_propositionlink (project_id, proposition_id, annotation_id, document_id,"
            " annotator_id, layer, status, status_reason, version, created_at, updated_at)"
            " SELECT a.project_id, p.id, a.id, a.document_id, a.annotator_id, 'gold', 'pending', '', 1, now(), now()"
            " FROM propositions_proposition p JOIN annotations_annotation a ON a.quote = p.text"
            " AND a.project_id = p.project_id"
            " WHERE p.project_id = %s ON CONFLICT DO NOTHING",
            [project.pk],
        )
        cursor.execute("SET session_replication_role = DEFAULT")
        # The lexeme counts the similarity weights come from (their trigger was off for the load).
        cursor.execute("SELECT propositions_lexeme_recount(%s)", [project.pk])
        cursor.execute(
            "CREATE INDEX annotation_quote_trgm_idx ON annotations_annotation USING gin (quote gin_trgm_ops)"
        )
        cursor.execute("VACUUM ANALYZE")
        cursor.execute("SELECT count(*) FROM annotations_annotation")
        (total,) = cursor.fetchone()
        cursor.execute("SELECT count(*) FROM propositions_propositionlink")
        (links,) = cursor.fetchone()
    return {"claims": total, "documents": documents, "links": links, "planted": planted, "doc_ids": doc_ids}


def run() -> dict:
    claims = int(os.environ.get("PROP_BENCH_CLAIMS", 100_000))
    # PROP_BENCH_DATABASE: a scratch database name of one's own on a shared server.
    with scratch_database(os.environ.get("PROP_BENCH_DATABASE", "assay_bench_propositions")) as connection:
        from django.contrib.auth import get_user_model

        from annotator.annotations.models import Annotation
        from annotator.projects.models import Label, Project, Role
        from annotator.projects.services import labels_create_defaults, membership_set
        from annotator.propositions import similarity

        project = Project.objects.create(name="Bench", slug="bench")
        labels_create_defaults(project=project)
        user = get_user_model().objects.create(username="bench-reviewer")
        membership_set(project=project, user=user, role=Role.REVIEWER)
        claim = Label.objects.get(project=project, code="CLAIM").pk
        started = time.perf_counter()
        corpus = _generate(connection, project, user, claim, claims)
        generate_seconds = round(time.perf_counter() - started, 1)

        doc_ids = corpus["doc_ids"]
        spans = {
            (doc_ids.index(a.document_id), i % PER_DOCUMENT): a
            for i, a in enumerate(Annotation.objects.filter(project=project).order_by("document_id", "start"))
        }
        rng = random.Random(7)
        queries = [spans[key] for key in corpus["planted"]]
        queries += [spans[(rng.randrange(len(doc_ids)), rng.randrange(PER_DOCUMENT))] for _ in range(100)]
        found = 0
        candidate_times, suggestion_times = [], []
        for span in queries:
            began = time.perf_counter()
            result = similarity.span_candidates(project_id=project.pk, text=span.quote, document_id=span.document_id,
                                                layer="gold", annotator_id=0)  # fmt: skip
            candidate_times.append(time.perf_counter() - began)
            began = time.perf_counter()
            similarity.proposition_suggestions(project_id=project.pk, text=span.quote, span_id=span.pk,
                                               user_id=user.pk, all_layers=True)  # fmt: skip
            suggestion_times.append(time.perf_counter() - began)
            key = next((k for k, v in spans.items() if v.pk == span.pk), None)
            target = corpus["planted"].get(key)
            if target is not None and spans[target].pk in {c["id"] for c in result}:
                found += 1
    candidates_median = median_ms(candidate_times)
    return {
        "claims": corpus["claims"],
        "documents": corpus["documents"],
        "proposition_links": corpus["links"],
        "generate_seconds": generate_seconds,
        "queries": len(queries),
        "candidates_ms": {
            "median": candidates_median,
            "p95": percentile_ms(candidate_times, 95),
            "mean": round(statistics.mean(candidate_times) * 1000, 2),
        },  # fmt: skip
        "suggestions_ms": {"median": median_ms(suggestion_times), "p95": percentile_ms(suggestion_times, 95)},
        "planted_recall": round(found / max(1, len(corpus["planted"])), 3),
        "target_ms": TARGET_MS,
        "pass": candidates_median < TARGET_MS,
    }
