"""Computing and storing agreement (the pure maths is in agreement.py).

Which layers count: annotator layers whose assignment is submitted or
approved. Document rows are recomputed whole and replaced; project rows are
sums of document rows, aggregated in SQL.
"""

from __future__ import annotations

from collections import defaultdict

from django.db import connection, transaction
from django.db.models import Count, Exists, Max, OuterRef, Sum

from annotator.annotations.models import Annotation, Layer
from annotator.documents.models import Document
from annotator.jobs.runner import JobOutcome
from annotator.projects.models import Label, Project
from annotator.reviews import agreement as maths
from annotator.reviews.models import Agreement, Assignment, AssignmentState

COMPARED_STATES = [AssignmentState.SUBMITTED, AssignmentState.APPROVED]
BATCH = 200


def _compared_layers(document_ids: list[int]) -> dict[int, list[int]]:
    layers: dict[int, list[int]] = defaultdict(list)
    rows = Assignment.objects.filter(document_id__in=document_ids, state__in=COMPARED_STATES).values_list(
        "document_id", "annotator_id"
    )
    for document_id, annotator_id in rows:
        layers[document_id].append(annotator_id)
    return layers


def _rows_for(project: Project, documents: list[tuple[int, str]], labels: dict[int, str]) -> list[Agreement]:
    document_ids = [doc_id for doc_id, _ in documents]
    compared = _compared_layers(document_ids)
    spans: dict[int, dict[int, list[maths.Span]]] = defaultdict(lambda: defaultdict(list))
    if compared:
        compared_layer = Assignment.objects.filter(
            document_id=OuterRef("document_id"),
            annotator_id=OuterRef("annotator_id"),
            state__in=COMPARED_STATES,
        )
        rows = Annotation.objects.filter(
            Exists(compared_layer), document_id__in=document_ids, layer=Layer.ANNOTATOR
        ).values_list("document_id", "annotator_id", "start", "end", "label_id")
        for document_id, annotator_id, start, end, label_id in rows.iterator(chunk_size=20000):
            spans[document_id][annotator_id].append(maths.Span(start, end, labels[label_id]))
    code_to_id = {code: pk for pk, code in labels.items()}
    out = []
    for document_id, text in documents:
        layers = {a: spans[document_id].get(a, []) for a in compared.get(document_id, [])}
        for code, scope in maths.document_agreement(text, layers, list(code_to_id)).items():
            out.append(_row(project, document_id, code_to_id.get(code), scope))
    return out


def _row(project, document_id, label_id, scope: maths.Scope) -> Agreement:
    return Agreement(
        project=project,
        document_id=document_id,
        label_id=label_id,
        annotators=scope.annotators,
        pair_spans=scope.pair_spans,
        exact_matches=scope.exact_matches,
        overlap_matches=scope.overlap_matches,
        exact_f1=scope.exact_f1,
        overlap_f1=scope.overlap_f1,
        alpha=scope.alpha,
        units=scope.units if scope.annotators >= 2 else 0,
        coincidences=scope.coincidences,
        pairs=scope.pairs,
    )


def _labels(project: Project) -> dict[int, str]:
    return dict(Label.objects.filter(project=project).values_list("id", "code"))


def _lock_project(project: Project) -> None:
    """Serialize agreement writes per project: each write deletes and re-inserts rows
    under a unique constraint, so two concurrent writers would collide."""
    Project.objects.select_for_update().filter(pk=project.pk).values_list("pk", flat=True).first()


@transaction.atomic
def agreement_document_compute(*, document: Document) -> Agreement:
    """Recompute one document's agreement rows, then the project's. Safe to run twice."""
    project = document.project
    _lock_project(project)
    rows = _rows_for(project, [(document.pk, document.text)], _labels(project))
    Agreement.objects.filter(document=document).delete()
    Agreement.objects.bulk_create(rows)
    agreement_project_refresh(project=project)
    return Agreement.objects.get(document=document, label__isnull=True)


def agreement_project_compute(*, project: Project, progress=None) -> Agreement:
    """Recompute every document of the project in batches, then the project rows."""
    labels = _labels(project)
    ids = list(Document.objects.filter(project=project).order_by("pk").values_list("pk", flat=True))
    for index in range(0, len(ids), BATCH):
        chunk = ids[index : index + BATCH]
        documents = list(Document.objects.filter(pk__in=chunk).order_by("pk").values_list("pk", "text"))
        rows = _rows_for(project, documents, labels)
        with transaction.atomic():
            _lock_project(project)
            Agreement.objects.filter(document_id__in=chunk).delete()
            Agreement.objects.bulk_create(rows, batch_size=2000)
        if progress:
            progress(min(99, int(100 * (index + len(chunk)) / max(1, len(ids)))))
    return agreement_project_refresh(project=project)


def agreement_project_job_run(*, job, progress, project_id: int) -> JobOutcome:
    """An on-demand agreement job's work (reviews.tasks.agreement_project_compute runs it through jobs.runner)."""
    overall = agreement_project_compute(project=Project.objects.get(pk=project_id), progress=progress)
    return JobOutcome(
        counts={"documents": Document.objects.filter(project_id=project_id).count()},
        message=f"Agreement computed: alpha={overall.alpha}, exact F1={overall.exact_f1}",
    )


def _summed_coincidences(project: Project) -> dict[tuple[str, str], float]:
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT cell.key, SUM(cell.value::float8)
              FROM reviews_agreement a, jsonb_each_text(a.coincidences) AS cell
             WHERE a.project_id = %s AND a.document_id IS NOT NULL AND a.label_id IS NULL
             GROUP BY cell.key
            """,
            [project.pk],
        )
        return maths.matrix_from_json(dict(cursor.fetchall()))


def _summed_pairs(project: Project) -> dict[int | None, list[dict]]:
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT a.label_id, (p->>'a')::bigint, (p->>'b')::bigint,
                   SUM((p->>'spans_a')::int), SUM((p->>'spans_b')::int),
                   SUM((p->>'exact')::int), SUM((p->>'overlap')::int)
              FROM reviews_agreement a, jsonb_array_elements(a.pairs) AS p
             WHERE a.project_id = %s AND a.document_id IS NOT NULL
             GROUP BY 1, 2, 3 ORDER BY 2, 3
            """,
            [project.pk],
        )
        out: dict[int | None, list[dict]] = defaultdict(list)
        for label_id, a, b, spans_a, spans_b, exact, overlap in cursor.fetchall():
            pair = maths.PairCounts(a=a, b=b, spans_a=spans_a, spans_b=spans_b, exact=exact, overlap=overlap)
            out[label_id].append(pair.as_dict())
        return out


@transaction.atomic
def agreement_project_refresh(*, project: Project) -> Agreement:
    """Project rows from the document rows: counts summed in SQL, alpha from the summed matrix."""
    _lock_project(project)
    sums = (
        Agreement.objects.filter(project=project, document__isnull=False)
        .values("label_id")
        .annotate(
            annotators=Max("annotators"),
            pair_spans=Sum("pair_spans"),
            exact_matches=Sum("exact_matches"),
            overlap_matches=Sum("overlap_matches"),
            units=Sum("units"),
            documents=Count("id"),
        )
    )
    matrix = _summed_coincidences(project)
    pairs = _summed_pairs(project)
    labels = _labels(project)
    Agreement.objects.filter(project=project, document__isnull=True).delete()
    rows = []
    for item in sums:
        label_id = item["label_id"]
        scoped = matrix if label_id is None else maths.collapse(matrix, labels[label_id])
        scope = maths.Scope(
            annotators=item["annotators"] or 0,
            pair_spans=item["pair_spans"] or 0,
            exact_matches=item["exact_matches"] or 0,
            overlap_matches=item["overlap_matches"] or 0,
            alpha=maths.alpha_nominal(scoped) if scoped else None,
            units=item["units"] or 0,
            coincidences=maths.matrix_to_json(matrix) if label_id is None else {},
            pairs=pairs.get(label_id, []),
        )
        rows.append(_row(project, None, label_id, scope))
    Agreement.objects.bulk_create(rows)
    overall = next((r for r in rows if r.label_id is None), None)
    if overall is None:
        overall = Agreement.objects.create(project=project, annotators=0)
    return overall
