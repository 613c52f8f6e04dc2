"""Building the gold layer from annotators' layers."""

import pytest

from annotator.annotations.models import Annotation, Layer, Relation, ReviewStatus
from annotator.core.errors import ApplicationError, PermissionDenied
from annotator.reviews.accept_agreed import gold_accept_agreed
from annotator.reviews.adjudication import (
    gold_accept_annotation,
    gold_accept_relation,
    gold_add,
    gold_delete,
    gold_update,
)
from tests.factories import RelationFactory, label


def _gold(scene, reviewer=None):
    return list(
        Annotation.objects.filter(
            document=scene.document, layer=Layer.GOLD, annotator=reviewer or scene.reviewer
        )
        .order_by("start")
        .values_list("start", "end", "label__code")
    )


def test_accept_span_copies_with_origin_once(scene):
    span = Annotation.objects.get(annotator=scene.ann2, start=23)
    gold = gold_accept_annotation(annotation=span, reviewer=scene.reviewer)
    again = gold_accept_annotation(annotation=span, reviewer=scene.reviewer)
    span.refresh_from_db()
    assert gold.pk == again.pk and gold.origin == span and span.status == ReviewStatus.ACCEPTED
    assert _gold(scene) == [(23, 28, "HEDGE")]


def test_accept_all_agreed(scene):
    """Only CLAIM[0,11) is in both layers; both copies are accepted, one gold span is made.
    The supports relation both annotators drew between agreed spans is copied too."""
    for annotator in (scene.ann1, scene.ann2):
        claim = Annotation.objects.get(annotator=annotator, start=0)
        extra = Annotation.objects.create(
            project=scene.project,
            document=scene.document,
            annotator=annotator,
            start=23,
            end=28,
            quote="today",
            label=label(scene.project, "EVIDENCE"),
        )
        RelationFactory(source=extra, target=claim, type="supports")
    result = gold_accept_agreed(document=scene.document, reviewer=scene.reviewer)
    assert result == {"spans": 2, "relations": 1, "already_spans": 0, "already_relations": 0, "layers": 2}
    assert _gold(scene) == [(0, 11, "CLAIM"), (23, 28, "EVIDENCE")]
    assert Relation.objects.filter(layer=Layer.GOLD).values_list("type", flat=True).get() == "supports"
    assert set(
        Annotation.objects.filter(start=0, layer=Layer.ANNOTATOR).values_list("status", flat=True)
    ) == {"accepted"}
    again = gold_accept_agreed(document=scene.document, reviewer=scene.reviewer)
    assert again == {"spans": 0, "relations": 0, "already_spans": 2, "already_relations": 1, "layers": 2}


def test_accept_agreed_counts_spans_whose_gold_copy_already_exists(scene):
    """Gold already holds the agreed CLAIM (the demo's case): accepting marks both annotators'
    copies accepted and reports that one span, not zero (issue 16: "Accepted 0 ... 37 rows changed")."""
    gold_add(
        document=scene.document, reviewer=scene.reviewer, start=0, end=11, label=label(scene.project, "CLAIM")
    )
    result = gold_accept_agreed(document=scene.document, reviewer=scene.reviewer)
    assert (result["spans"], result["already_spans"]) == (1, 0)
    assert set(
        Annotation.objects.filter(start=0, layer=Layer.ANNOTATOR).values_list("status", flat=True)
    ) == {"accepted"}
    assert _gold(scene) == [(0, 11, "CLAIM")]


def test_accept_relation_brings_its_spans(scene):
    src = Annotation.objects.get(annotator=scene.ann1, start=15)
    tgt = Annotation.objects.get(annotator=scene.ann1, start=0)
    rel = RelationFactory(source=src, target=tgt, type="supports")
    gold = gold_accept_relation(relation=rel, reviewer=scene.reviewer)
    assert (gold.source.start, gold.target.start, gold.origin) == (15, 0, rel)
    assert _gold(scene) == [(0, 11, "CLAIM"), (15, 22, "EVIDENCE")]


def test_edit_add_delete_gold(scene):
    """Boundaries move with a version; the manager edits the same gold layer; annotators cannot add gold."""
    gold = gold_add(
        document=scene.document,
        reviewer=scene.reviewer,
        start=4,
        end=7,
        label=label(scene.project, "OPINION"),
    )
    gold = gold_update(annotation=gold, reviewer=scene.reviewer, version=1, start=0)
    assert (gold.start, gold.end, gold.quote, gold.version) == (0, 7, "The cat", 2)
    gold = gold_update(annotation=gold, reviewer=scene.manager, version=2, start=1)
    assert (gold.start, gold.quote, gold.version, gold.annotator) == (1, "he cat", 3, scene.reviewer)
    with pytest.raises(
        PermissionDenied, match="This needs the reviewer role in the project; you are annotator."
    ):
        gold_add(
            document=scene.document, reviewer=scene.ann1, start=0, end=3, label=label(scene.project, "CLAIM")
        )
    with pytest.raises(ApplicationError, match=r"End 99 is past the end of the text \(28 code points\)."):
        gold_update(annotation=gold, reviewer=scene.reviewer, version=3, end=99)
    gold_delete(annotation=gold, reviewer=scene.reviewer, version=3)
    assert _gold(scene) == []


def test_reviewer_cannot_adjudicate_own_layer(scene):
    from annotator.reviews.models import Assignment

    Assignment.objects.filter(pk=scene.a1.pk).update(annotator=scene.reviewer)
    with pytest.raises(PermissionDenied, match="You cannot review your own work."):
        gold_accept_agreed(document=scene.document, reviewer=scene.reviewer)


def test_a_document_has_one_gold_layer_shared_by_its_reviewers(scene):
    """A second reviewer adds to and links into the gold layer the first one started:
    every gold row stays under the first reviewer, so links between their spans hold."""
    from annotator.annotations.relation_services import relation_create
    from tests.factories import member

    second = member(scene.project, "reviewer", username="rev2")
    claim = gold_accept_annotation(
        annotation=Annotation.objects.get(annotator=scene.ann1, start=0), reviewer=scene.reviewer
    )
    evidence = gold_add(
        document=scene.document, reviewer=second, start=15, end=22, label=label(scene.project, "EVIDENCE")
    )
    link = relation_create(source=evidence, target=claim, type="supports")
    # Accepting a span already in gold (from another annotator) finds the same gold span.
    again = gold_accept_annotation(
        annotation=Annotation.objects.get(annotator=scene.ann2, start=0), reviewer=second
    )
    assert again.pk == claim.pk
    assert _gold(scene) == [(0, 11, "CLAIM"), (15, 22, "EVIDENCE")]
    assert _gold(scene, second) == []
    assert (link.annotator, link.layer) == (scene.reviewer, Layer.GOLD)
    assert not Annotation.objects.filter(layer=Layer.GOLD).exclude(annotator=scene.reviewer).exists()


def test_the_database_refuses_a_second_gold_layer_on_a_document(scene):
    """Code that writes rows directly cannot start a second gold layer either."""
    from django.db import IntegrityError, transaction

    from tests.factories import member

    gold_add(
        document=scene.document, reviewer=scene.reviewer, start=0, end=3, label=label(scene.project, "CLAIM")
    )
    second = member(scene.project, "reviewer", username="rev2")
    with pytest.raises(IntegrityError, match="already has a gold layer"), transaction.atomic():
        Annotation.objects.create(
            project=scene.project,
            document=scene.document,
            annotator=second,
            layer=Layer.GOLD,
            start=4,
            end=7,
            quote="cat",
            label=label(scene.project, "CLAIM"),
        )
