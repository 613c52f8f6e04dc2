"""Source credibility: full recompute over a large corpus, and an incremental recompute after one change.

Targets: full recompute of 1,000,000 annotations across 10,000 documents and
100 outlets in < 2 s; incremental recompute after one change in < 50 ms.
Sizes come from env vars for a reduced run:
CRED_BENCH_ANNOTATIONS (1000000), CRED_BENCH_DOCUMENTS (10000), CRED_BENCH_SOURCES (100).

Data are generated with INSERT ... SELECT generate_series, with triggers and
foreign-key checks off (session_replication_role = replica) in a scratch
database: the rows are consistent by construction (quote = the text at the
offsets, one project, one gold layer, the link flags and speakers the triggers
would set),
and checking a million of them row by row would only slow the set-up. The
flags are then checked in one pass (credibility_link_flags_rebuild must find
nothing to change), and the database is vacuumed and analysed, as autovacuum
would leave it.

Per document: spans in groups of ten (4 claims, 3 evidence, 1 opinion,
2 hedges), two evidence spans support claims, one attacks, a hedge qualifies
a claim, and one claim per group is attributed to one of 50 speakers.
"""

from __future__ import annotations

import os
import statistics
import time

from tests.bench.support import Timer, scratch_database

# Pass/fail is judged on the medians (issue 6).
FULL_TARGET_SECONDS = 2.0
INCREMENTAL_TARGET_MS = 50.0


def _sizes() -> tuple[int, int, int]:
    annotations = int(os.environ.get("CRED_BENCH_ANNOTATIONS", 1_000_000))
    documents = int(os.environ.get("CRED_BENCH_DOCUMENTS", 10_000))
    sources = int(os.environ.get("CRED_BENCH_SOURCES", 100))
    return annotations, documents, sources


GENERATE = """
INSERT INTO sources_source (name, domain, created_at)
  SELECT 'Bench outlet ' || g, 'outlet' || g || '.bench', now() FROM generate_series(1, %(sources)s) g;
INSERT INTO sources_author (name, created_at)
  SELECT 'Bench author ' || g, now() FROM generate_series(1, %(authors)s) g;
INSERT INTO sources_speaker (name, kind, description, created_at)
  SELECT 'Bench speaker ' || g, 'person', '', now() FROM generate_series(1, 50) g;

INSERT INTO documents_document (project_id, text, content_hash, char_count, word_count, title, url, source_id,
                                language, provenance, created_at, updated_at)
SELECT %(project)s, t.text, encode(sha256(convert_to(t.text, 'UTF8')), 'hex'), char_length(t.text),
       array_length(regexp_split_to_array(t.text, '\\s+'), 1), 'Bench document ' || t.g, '',
       CASE WHEN t.g %% 20 = 0 THEN NULL ELSE (SELECT min(id) FROM sources_source) + (t.g %% %(sources)s) END,
       'en', '{}'::jsonb, now(), now()
FROM (SELECT g, 'Document ' || lpad(g::text, 6, '0') || ' ' || repeat('words of text ', %(reps)s) AS text
      FROM generate_series(1, %(documents)s) g) t;

INSERT INTO documents_document_authors (document_id, author_id)
SELECT d.id, (SELECT min(id) FROM sources_author) + (d.id %% %(authors)s) FROM documents_document d
UNION
SELECT d.id, (SELECT min(id) FROM sources_author) + ((d.id * 7) %% %(authors)s)
FROM documents_document d WHERE d.id %% 10 = 0;

-- The link flags and speakers the triggers would set for the links below (checked after generation).
INSERT INTO annotations_annotation (project_id, document_id, annotator_id, layer, start, "end", quote, label_id,
                                    subtype_id, note, status, status_reason, version, created_at, updated_at,
                                    is_supported, is_attacked, is_qualified, support_depth, speakers)
SELECT %(project)s, d.id, %(user)s, 'gold', k * 6, k * 6 + 5, substr(d.text, k * 6 + 1, 5),
       CASE WHEN k %% 10 < 4 THEN %(claim)s WHEN k %% 10 < 7 THEN %(evidence)s
            WHEN k %% 10 = 7 THEN %(opinion)s ELSE %(hedge)s END,
       CASE WHEN k %% 10 BETWEEN 4 AND 6 THEN (%(subtypes)s::bigint[])[1 + (k / 10) %% 5] END,
       '', 'pending', '', 1, now(), now(),
       k %% 10 IN (0, 1) AND k + 4 < %(per_doc)s, k %% 10 = 3 AND k + 3 < %(per_doc)s,
       k %% 10 = 2 AND k + 6 < %(per_doc)s,
       CASE WHEN k %% 10 IN (0, 1) AND k + 4 < %(per_doc)s THEN 1 END,
       CASE WHEN k %% 10 = 0 THEN ARRAY[(SELECT min(id) FROM sources_speaker) + (d.id %% 50)] END
FROM documents_document d CROSS JOIN generate_series(0, %(per_doc)s - 1) k;

-- Links inside each group of ten: e4 -> c0 supports, e5 -> c1 supports, e6 -> c3 attacks, h8 -> c2 qualifies.
INSERT INTO annotations_relation (project_id, document_id, annotator_id, layer, type, source_id, target_id,
                                  note, status, status_reason, version, created_at, updated_at)
SELECT a.project_id, a.document_id, a.annotator_id, 'gold', link.type, a.id, c.id, '', 'pending', '', 1, now(), now()
FROM annotations_annotation a
JOIN (VALUES (4, 4, 'supports'), (5, 4, 'supports'), (6, 3, 'attacks'), (8, 6, 'qualifies'))
  AS link(k, back, type) ON (a.start / 6) %% 10 = link.k
JOIN annotations_annotation c ON c.document_id = a.document_id AND c.start = a.start - link.back * 6;

INSERT INTO annotations_relation (project_id, document_id, annotator_id, layer, type, source_id, speaker_id,
                                  note, status, status_reason, version, created_at, updated_at)
SELECT a.project_id, a.document_id, a.annotator_id, 'gold', 'attributed_to', a.id,
       (SELECT min(id) FROM sources_speaker) + (a.document_id %% 50), '', 'pending', '', 1, now(), now()
FROM annotations_annotation a WHERE (a.start / 6) %% 10 = 0;
"""


def _generate(connection, project, user, labels: dict, subtypes: list, sizes) -> dict:
    annotations, documents, sources = sizes
    per_doc = max(1, annotations // documents)
    params = {
        "project": project.pk, "user": user.pk, "sources": sources, "authors": max(1, sources * 2),
        "documents": documents, "per_doc": per_doc, "reps": (per_doc * 6) // 14 + 2, "subtypes": subtypes,
        **{code.lower(): pk for code, pk in labels.items()},
    }  # fmt: skip
    with connection.cursor() as cursor:
        cursor.execute("SET session_replication_role = replica")
        for statement in filter(None, (s.strip() for s in GENERATE.split(";\n"))):
            cursor.execute(statement, params)
        cursor.execute("SET session_replication_role = DEFAULT")
        # The rebuild recomputes every flag from the relations: it must find nothing to change.
        cursor.execute(
            "SELECT credibility_link_flags_rebuild(%s) + credibility_speakers_rebuild(%s)",
            [project.pk, project.pk],
        )
        (wrong_flags,) = cursor.fetchone()
        assert wrong_flags == 0, f"{wrong_flags} generated spans have link flags the relations do not give"
        cursor.execute("VACUUM ANALYZE")
        cursor.execute("SELECT count(*) FROM annotations_annotation")
        (total,) = cursor.fetchone()
        cursor.execute("SELECT count(*) FROM annotations_relation")
        (relations,) = cursor.fetchone()
    return {"annotations": total, "relations": relations, "documents": documents, "sources": sources}


def run() -> dict:
    sizes = _sizes()
    # CRED_BENCH_DATABASE: another scratch name, when several people share one server.
    with scratch_database(os.environ.get("CRED_BENCH_DATABASE", "assay_bench_credibility")) as connection:
        from django.contrib.auth import get_user_model

        from annotator.annotations.models import Annotation
        from annotator.credibility import tasks
        from annotator.credibility.metrics import Targets
        from annotator.credibility.models import ScoreDirty
        from annotator.credibility.scheduling import scores_mark_dirty
        from annotator.credibility.services import scores_recompute, scores_recompute_dirty
        from annotator.projects.models import Label, LabelSubtype, Project, Role
        from annotator.projects.services import labels_create_defaults, membership_set

        project = Project.objects.create(name="Bench", slug="bench")
        labels_create_defaults(project=project)
        user = get_user_model().objects.create(username="bench-reviewer")
        membership_set(project=project, user=user, role=Role.REVIEWER)
        labels = dict(Label.objects.filter(project=project).values_list("code", "pk"))
        subtypes = list(
            LabelSubtype.objects.filter(label__project=project, label__code="EVIDENCE")
            .order_by("position")
            .values_list("pk", flat=True)
        )
        started = time.perf_counter()
        corpus = _generate(connection, project, user, labels, subtypes, sizes)
        corpus["generate_seconds"] = round(time.perf_counter() - started, 1)

        full = []
        for _ in range(5):
            with Timer() as timer:
                rows = scores_recompute(project=project, targets=Targets(everything=True))
            full.append(timer.seconds)

        # Incremental: one span changes on one document, the marker is written and the
        # recompute task's service claims it and recomputes that document's sources.
        tasks.scores_recompute_dirty.apply_async = lambda **kwargs: (
            None
        )  # measure the service, not the broker
        document_id = Annotation.objects.filter(project=project).values_list("document_id", flat=True).first()
        incremental, touched = [], 0
        for i in range(7):
            Annotation.objects.filter(document_id=document_id, start=i * 60).update(
                label_id=labels["EVIDENCE"]
            )
            with Timer() as timer:
                scores_mark_dirty(project_id=project.pk, document_ids=[document_id])
                touched = scores_recompute_dirty(project_id=project.pk)
            incremental.append(timer.seconds)
        assert not ScoreDirty.objects.filter(project=project).exists()

    full_median = statistics.median(full)
    incremental_median_ms = statistics.median(incremental) * 1000
    return {
        **corpus,
        "score_rows": rows,
        "full_recompute_seconds": round(min(full), 3),
        "full_recompute_median_seconds": round(full_median, 3),
        "full_target_seconds": FULL_TARGET_SECONDS,
        "full_pass": full_median < FULL_TARGET_SECONDS,
        "incremental_ms": round(min(incremental) * 1000, 1),
        "incremental_median_ms": round(incremental_median_ms, 1),
        "incremental_rows": touched,
        "incremental_target_ms": INCREMENTAL_TARGET_MS,
        "incremental_pass": incremental_median_ms < INCREMENTAL_TARGET_MS,
        "load_average": os.getloadavg()[0],  # other work on the machine skews both figures
    }
