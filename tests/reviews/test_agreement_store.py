"""Stored agreement: computed on submit (on commit), per document, label and project."""

import pytest

from annotator.reviews.agreement_services import agreement_document_compute, agreement_project_compute
from annotator.reviews.models import Agreement
from annotator.reviews.selectors import documents_lowest_agreement, review_queue
from annotator.reviews.services import assignment_submit
from tests.factories import AssignmentFactory, DocumentFactory, member
from tests.reviews.conftest import TEXT, submitted


def test_submit_computes_agreement_on_commit(scene, django_capture_on_commit_callbacks):
    """Values match the hand computation in test_agreement.py: exact F1 0.4, overlap 0.8, alpha 0.6."""
    ann3 = member(scene.project, username="ann3")
    AssignmentFactory(document=scene.document, annotator=ann3, state="in_progress")
    agreement_document_compute(document=scene.document)
    with django_capture_on_commit_callbacks(execute=True):
        assignment_submit(document=scene.document, annotator=ann3)
    row = Agreement.objects.get(document=scene.document, label__isnull=True)
    # ann3 submitted an empty layer: 3 layers now; pairs with ann3 add |A| and 0 matches.
    assert row.annotators == 3
    assert (row.exact_matches, row.overlap_matches, row.pair_spans) == (1, 2, 5 + 2 + 3)
    assert row.exact_f1 == pytest.approx(2 * 1 / 10)


def test_document_and_label_rows(scene):
    row = agreement_document_compute(document=scene.document)
    assert (row.exact_f1, row.overlap_f1) == (pytest.approx(0.4), pytest.approx(0.8))
    assert row.alpha == pytest.approx(0.6)
    by_label = {
        r.label.code: r for r in Agreement.objects.filter(document=scene.document, label__isnull=False)
    }
    assert by_label["EVIDENCE"].alpha == pytest.approx(64 / 90)
    assert by_label["HEDGE"].alpha == pytest.approx(0.0)
    assert by_label["OPINION"].exact_f1 is None


def test_project_alpha_pools_the_documents(scene):
    """A second document annotated identically doubles every coincidence: n=28,
    observed 8, expected 28² - (12²+10²+4²+2²) = 520, alpha = 1 - 27·8/520 = 0.584615...
    (not the mean of the documents' 0.6). F1 pools too: 2·2/10 = 0.4 exact."""
    doc2 = DocumentFactory(project=scene.project, text=TEXT + " ")
    submitted(doc2, scene.ann1, [(0, 11, "CLAIM"), (15, 22, "EVIDENCE")])
    submitted(doc2, scene.ann2, [(0, 11, "CLAIM"), (12, 22, "EVIDENCE"), (23, 28, "HEDGE")])
    project_row = agreement_project_compute(project=scene.project)
    assert project_row.document is None
    assert project_row.alpha == pytest.approx(1 - 27 * 8 / 520)
    assert project_row.exact_f1 == pytest.approx(0.4)
    assert project_row.pairs == [
        {
            "a": scene.ann1.pk,
            "b": scene.ann2.pk,
            "spans_a": 4,
            "spans_b": 6,
            "exact": 2,
            "overlap": 4,
            "exact_f1": 0.4,
            "overlap_f1": 0.8,
        }
    ]
    evidence = Agreement.objects.get(project=scene.project, document=None, label__code="EVIDENCE")
    # EVIDENCE collapsed: n_E=10, n_none=18, observed 4, expected 2·10·18=360: 1 - 27·4/360 = 0.7
    assert evidence.alpha == pytest.approx(0.7)


def test_queue_orders_by_lowest_agreement_then_oldest(scene):
    """A perfectly agreeing document (alpha 1) comes after the scene's (0.6); no-agreement documents last."""
    good = DocumentFactory(project=scene.project, text="All agree here")
    submitted(good, scene.ann1, [(0, 3, "CLAIM")])
    submitted(good, scene.ann2, [(0, 3, "CLAIM")])
    single = DocumentFactory(project=scene.project, text="Only one layer")
    submitted(single, scene.ann1, [(0, 4, "CLAIM")])
    agreement_project_compute(project=scene.project)
    queue = list(review_queue(user=scene.reviewer))
    assert [d.pk for d in queue] == [scene.document.pk, good.pk, single.pk]
    assert [d.alpha for d in queue] == [pytest.approx(0.6), 1.0, None]
    assert list(review_queue(user=scene.ann1)) == []
    assert [d.pk for d in review_queue(user=scene.reviewer, annotator_id=scene.ann2.pk)] == [
        scene.document.pk,
        good.pk,
    ]
    hedge = scene.project.labels.get(code="HEDGE")
    assert [d.pk for d in review_queue(user=scene.reviewer, label_id=hedge.pk)] == [scene.document.pk]
    assert [(d.pk, d.alpha) for d in documents_lowest_agreement(project=scene.project, limit=1)] == [
        (scene.document.pk, pytest.approx(0.6))
    ]


def test_sent_back_layer_leaves_the_comparison(scene, django_capture_on_commit_callbacks):
    """After changes are requested from ann2 only ann1's layer is compared: no alpha, no F1."""
    from annotator.reviews.services import assignment_request_changes

    agreement_document_compute(document=scene.document)
    with django_capture_on_commit_callbacks(execute=True):
        assignment_request_changes(assignment=scene.a2, reviewer=scene.reviewer, reason="Redo EVIDENCE.")
    row = Agreement.objects.get(document=scene.document, label__isnull=True)
    assert (row.annotators, row.alpha, row.exact_f1) == (1, None, None)


def test_source_filter_in_queue(scene):
    from tests.factories import SourceFactory

    outlet = SourceFactory(name="Daily Example")
    assert list(review_queue(user=scene.reviewer, source_id=outlet.pk)) == []
    type(scene.document).objects.filter(pk=scene.document.pk).update(source=outlet)
    assert [d.pk for d in review_queue(user=scene.reviewer, source_id=outlet.pk)] == [scene.document.pk]


def test_concurrent_recomputations_do_not_collide(scene, transactional_db):
    """Two workers recomputing different documents of one project at once both succeed
    (each write replaces rows under a unique constraint; the project row lock serializes them)."""
    import threading

    from django.db import connection

    doc2 = DocumentFactory(project=scene.project, text="Another text here")
    submitted(doc2, scene.ann1, [(0, 7, "CLAIM")])
    submitted(doc2, scene.ann2, [(0, 7, "CLAIM")])
    errors = []

    def work(document):
        try:
            for _ in range(5):
                agreement_document_compute(document=document)
        except Exception as exc:  # noqa: BLE001 - collected and asserted below
            errors.append(repr(exc))
        finally:
            connection.close()

    threads = [threading.Thread(target=work, args=(d,)) for d in (scene.document, doc2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert Agreement.objects.filter(project=scene.project, document=None, label=None).count() == 1
    assert Agreement.objects.filter(project=scene.project, label=None).count() == 3
