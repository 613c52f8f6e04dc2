"""Agreement for a whole project: 1,000 documents x 3 annotators x 200 spans per layer.

Data (fixed seed) is loaded with COPY into a scratch database; the span
trigger is switched off for the load only (quotes are generated from the text,
so they match). ``compute_s`` times ``agreement_project_compute``: every
document's F1 (exact and overlap, per label) and alpha, written to the
Agreement table, then the project rows summed in SQL. Target < 30 s.
"""

from __future__ import annotations

import random
from datetime import UTC, datetime

from tests.bench.support import VOCABULARY, Timer, scratch_database

DOCUMENTS = 1_000
ANNOTATORS = 3
SPANS = 200
WORDS_PER_DOC = 1_400
BUDGET_S = 30.0
CODES = ["CLAIM", "EVIDENCE", "OPINION", "HEDGE"]


def _document(rng: random.Random, index: int) -> tuple[str, list[int], list[int]]:
    words = [rng.choice(VOCABULARY) for _ in range(WORDS_PER_DOC)]
    words[0] = f"doc{index}"  # unique text per document (content hashes are unique per project)
    starts, ends, position = [], [], 0
    for word in words:
        starts.append(position)
        ends.append(position + len(word))
        position += len(word) + 1
    return " ".join(words), starts, ends


def _layers(rng: random.Random, starts: list[int], ends: list[int]) -> list[set[tuple[int, int, str]]]:
    """A shared 'truth' of 200 spans, then per annotator: 70 % kept, 15 % boundary moved,
    10 % relabelled, 5 % somewhere else; duplicates are re-drawn."""
    words = len(starts)
    step = words // SPANS
    truth = []
    for i in range(SPANS):
        first = i * step + rng.randrange(2)
        last = min(words - 1, first + rng.randrange(1, 5))
        truth.append((first, last, rng.choice(CODES)))
    layers = []
    for _ in range(ANNOTATORS):
        layer: set[tuple[int, int, str]] = set()
        for first, last, code in truth:
            while True:
                roll = rng.random()
                a, b, c = first, last, code
                if roll < 0.15:
                    b = min(words - 1, max(a, b + rng.choice((-1, 1))))
                elif roll < 0.25:
                    c = rng.choice(CODES)
                elif roll < 0.30:
                    a = rng.randrange(words - 5)
                    b = a + rng.randrange(1, 5)
                span = (starts[a], ends[b], c)
                if span not in layer:
                    layer.add(span)
                    break
        layers.append(layer)
    return layers


def run() -> dict:
    with scratch_database("assay_bench_agreement") as connection:
        return _run(connection)


def _run(connection) -> dict:
    from django.contrib.auth import get_user_model

    from annotator.documents.models import Document
    from annotator.documents.services import content_hash
    from annotator.projects.models import Label, Membership, Project, Role
    from annotator.projects.services import labels_create_defaults
    from annotator.reviews.agreement_services import agreement_project_compute
    from annotator.reviews.models import Agreement, Assignment, AssignmentState

    rng = random.Random(20261122)
    project = Project.objects.create(name="Agreement bench", slug="agreement-bench")
    labels_create_defaults(project=project)
    label_ids = dict(Label.objects.filter(project=project).values_list("code", "id"))
    users = [get_user_model().objects.create(username=f"bench-annotator-{i}") for i in range(ANNOTATORS)]
    Membership.objects.bulk_create(Membership(project=project, user=u, role=Role.ANNOTATOR) for u in users)

    with Timer() as load:
        generated = [_document(rng, i) for i in range(DOCUMENTS)]
        documents = Document.objects.bulk_create(
            Document(
                project=project,
                text=text,
                content_hash=content_hash(text),
                char_count=len(text),
                word_count=len(text.split()),
                title=f"Bench document {i}",
            )  # fmt: skip
            for i, (text, _, _) in enumerate(generated)
        )
        now = datetime.now(UTC)
        Assignment.objects.bulk_create(
            Assignment(
                project=project, document=d, annotator=u, state=AssignmentState.SUBMITTED, submitted_at=now
            )
            for d in documents
            for u in users
        )
        spans = 0
        with connection.cursor() as cursor:
            cursor.execute("ALTER TABLE annotations_annotation DISABLE TRIGGER annotation_check_span")
            raw = connection.connection.cursor()
            with raw.copy(
                'COPY annotations_annotation (project_id, document_id, annotator_id, layer, start, "end", quote,'
                " label_id, note, status, status_reason, version, created_at, updated_at) FROM STDIN"
            ) as copy:
                for document, (text, starts, ends) in zip(documents, generated, strict=True):
                    for user, layer in zip(users, _layers(rng, starts, ends), strict=True):
                        for start, end, code in layer:
                            copy.write_row(
                                (
                                    project.pk,
                                    document.pk,
                                    user.pk,
                                    "annotator",
                                    start,
                                    end,
                                    text[start:end],
                                    label_ids[code],
                                    "",
                                    "pending",
                                    "",
                                    1,
                                    now,
                                    now,
                                )  # fmt: skip
                            )
                            spans += 1
            cursor.execute("ALTER TABLE annotations_annotation ENABLE TRIGGER annotation_check_span")
            cursor.execute("ANALYZE annotations_annotation")

    with Timer() as compute:
        overall = agreement_project_compute(project=project)

    return {
        "documents": DOCUMENTS,
        "annotators": ANNOTATORS,
        "spans": spans,
        "load_s": round(load.seconds, 2),
        "compute_s": round(compute.seconds, 2),
        "budget_s": BUDGET_S,
        "within_budget": compute.seconds < BUDGET_S,
        "agreement_rows": Agreement.objects.filter(project=project).count(),
        "project_alpha": round(overall.alpha, 4),
        "project_exact_f1": round(overall.exact_f1, 4),
        "project_overlap_f1": round(overall.overlap_f1, 4),
    }
