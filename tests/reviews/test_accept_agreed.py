""" "Accept all agreed" as one bulk operation on the demo's "20 truths…" (issue 16, item 2):
exact counts, one history row per change by the reviewer at one time, a bounded number of
queries whatever the number of items, and one credibility mark for the document."""

from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from annotator.annotations.models import Annotation, Layer, Relation, ReviewStatus
from annotator.core.errors import ApplicationError
from annotator.credibility.scheduling import scores_mark_dirty
from annotator.documents.models import Document
from annotator.projects.models import Label
from annotator.reviews.accept_agreed import gold_accept_agreed

# What the two submitted layers of "20 truths…" share (seeds/ and the sample layer are fixed).
AGREED_SPANS, AGREED_RELATIONS = 12, 4


@pytest.fixture
def demo(db):
    for command in (("load_seeds",), ("create_demo_users",), ("load_sample_layer", "--demo-workflow")):
        call_command(*command, stdout=StringIO())
    document = Document.objects.get(title__startswith="20 truths")
    return document, get_user_model().objects.get(username="reviewer")


def _keys(document, username):
    return {
        (a.start, a.end, a.label_id)
        for a in Annotation.objects.filter(
            document=document, layer=Layer.ANNOTATOR, annotator__username=username
        )
    }


def test_accepts_exactly_what_both_layers_share_in_bulk(demo, django_assert_max_num_queries):
    document, reviewer = demo
    agreed = _keys(document, "annotator1") & _keys(document, "annotator2")
    assert len(agreed) == AGREED_SPANS
    with django_assert_max_num_queries(25):  # was 1,212 in the request: one save (and recompute) per item
        result = gold_accept_agreed(document=document, reviewer=reviewer)
    assert result == {
        "spans": AGREED_SPANS,
        "relations": AGREED_RELATIONS,
        "already_spans": 0,
        "already_relations": 0,
        "layers": 2,
    }
    gold = Annotation.objects.filter(document=document, layer=Layer.GOLD)
    assert {(g.start, g.end, g.label_id) for g in gold} == agreed
    assert all(g.origin_id and g.quote == document.text[g.start : g.end] for g in gold)
    assert Relation.objects.filter(document=document, layer=Layer.GOLD).count() == AGREED_RELATIONS
    marked = Annotation.objects.filter(document=document, layer=Layer.ANNOTATOR, status=ReviewStatus.ACCEPTED)
    assert sorted(marked.values_list("version", flat=True)) == [2] * (2 * AGREED_SPANS)
    # History: a "+" row per gold copy and a "~" row per decision, all the reviewer's, at one time.
    rows = Annotation.history.filter(document_id=document.pk, history_user=reviewer)
    assert rows.filter(history_type="+").count() == AGREED_SPANS
    assert rows.filter(history_type="~", status=ReviewStatus.ACCEPTED).count() == 2 * AGREED_SPANS
    relation_rows = Relation.history.filter(document_id=document.pk, history_user=reviewer)
    assert relation_rows.filter(history_type="+").count() == AGREED_RELATIONS
    assert relation_rows.filter(history_type="~").count() == 2 * AGREED_RELATIONS
    assert len(set(rows.values_list("history_date", flat=True))) == 1

    again = gold_accept_agreed(document=document, reviewer=reviewer)
    assert again == {
        "spans": 0,
        "relations": 0,
        "already_spans": AGREED_SPANS,
        "already_relations": AGREED_RELATIONS,
        "layers": 2,
    }


def test_marks_source_scores_dirty_once_for_the_document(demo, django_capture_on_commit_callbacks):
    document, reviewer = demo
    with django_capture_on_commit_callbacks() as callbacks:
        gold_accept_agreed(document=document, reviewer=reviewer)
    assert len(callbacks) == 1
    mark = callbacks[0]
    assert mark.func is scores_mark_dirty
    # The agreed attributions bring their speaker along, as their per-save marks did.
    speakers = Relation.objects.filter(document=document, layer=Layer.GOLD, type="attributed_to")
    assert speakers.count() == 1
    assert mark.keywords == {
        "project_id": document.project_id,
        "document_ids": [document.pk],
        "speaker_ids": [speakers.get().speaker_id],
    }


def test_a_retired_label_is_refused_and_nothing_is_written(demo):
    document, reviewer = demo
    Label.objects.filter(project_id=document.project_id, code="CLAIM").update(is_active=False)
    with pytest.raises(ApplicationError) as error:
        gold_accept_agreed(document=document, reviewer=reviewer)
    assert error.value.errors == {"label": ["Label CLAIM is retired; pick an active label."]}
    assert not Annotation.objects.filter(document=document, layer=Layer.GOLD).exists()
    assert not Annotation.objects.filter(document=document, status=ReviewStatus.ACCEPTED).exists()


def test_the_page_reports_the_number_accepted_and_swaps_in_the_gold_layer(demo):
    """The review page's button (JSON, as its script asks): the exact counts in the message, then
    "accepted before" on a second click, and the re-rendered comparison lists the 12 gold spans."""
    from django.test import Client

    document, reviewer = demo
    client = Client()
    client.force_login(reviewer)
    url = f"/review/documents/{document.pk}/gold/agreed/"
    first = client.post(url, {"refresh": document.pk}, HTTP_ACCEPT="application/json").json()
    assert first["message"] == "Accepted 12 agreed span(s) and 4 relation(s) into gold."
    assert first["html"].count('data-layer="gold" data-label=') == AGREED_SPANS
    again = client.post(url, {"refresh": document.pk}, HTTP_ACCEPT="application/json").json()
    assert again["message"] == (
        "Accepted 0 agreed span(s) and 0 relation(s) into gold."
        " 12 span(s) and 4 relation(s) were accepted before."
    )
