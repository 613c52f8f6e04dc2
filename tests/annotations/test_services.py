"""Span and relation rules as the services report them (field and message)."""

import pytest
from django.db.models.signals import post_save

from annotator.annotations.models import Annotation, Layer
from annotator.annotations.relation_services import relation_create
from annotator.annotations.services import annotation_create, annotation_delete, annotation_update
from annotator.core.errors import ApplicationError, Conflict
from tests.factories import (
    AnnotationFactory,
    DocumentFactory,
    ProjectFactory,
    SpeakerFactory,
    label,
)

pytestmark = pytest.mark.django_db

# Emoji (astral), combining mark, CRLF and NBSP before the span under test.
TEXT = "Intro 😀 cafe\u0301\r\nIt is\u00a0widely considered true. Data: 42% said so."


@pytest.fixture
def doc():
    return DocumentFactory(text=TEXT)


def test_offsets_are_code_points_across_emoji_combining_mark_crlf_and_nbsp(doc, annotator):
    """'widely considered' starts at code point 21: "Intro " (6) + emoji (1) + " cafe" (5)
    + combining acute (1) + CR LF (2) + "It is" (5) + NBSP (1). Its quote is stored with it."""
    assert TEXT.index("widely considered") == 21
    span = annotation_create(
        document=doc, annotator=annotator, start=21, end=38, label=label(doc.project, "HEDGE")
    )
    assert span.quote == "widely considered"
    assert (span.start, span.end, span.version) == (21, 38, 1)
    nbsp_span = annotation_create(
        document=doc, annotator=annotator, start=15, end=27, label=label(doc.project, "CLAIM")
    )
    assert nbsp_span.quote == "It is\u00a0widely"


@pytest.mark.parametrize(
    ("start", "end", "field", "message"),
    [
        (-1, 3, "start", "Start -1 is before the beginning of the text (0)."),
        (5, 5, "end", "End (5) must be after start (5)."),
        (9, 4, "end", "End (4) must be after start (9)."),
        (64, 70, "start", "Start 64 is past the end of the text (63 code points)."),
        (50, 64, "end", "End 64 is past the end of the text (63 code points)."),
        ("1", 4, "start", "Start must be a whole number of code points."),
    ],
)
def test_bad_offsets_are_refused_naming_the_field(doc, annotator, start, end, field, message):
    assert len(TEXT) == 63
    with pytest.raises(ApplicationError) as exc:
        annotation_create(
            document=doc, annotator=annotator, start=start, end=end, label=label(doc.project, "CLAIM")
        )
    assert exc.value.errors == {field: [message]}
    assert not Annotation.objects.exists()


def test_a_quote_that_differs_from_the_text_is_refused(doc, annotator):
    with pytest.raises(ApplicationError) as exc:
        annotation_create(
            document=doc,
            annotator=annotator,
            start=0,
            end=5,
            quote="Outro",
            label=label(doc.project, "CLAIM"),
        )
    assert exc.value.errors == {"quote": ["The quote does not match the text at 0-5, which reads 'Intro'."]}


def test_a_label_of_another_project_is_refused(doc, annotator):
    other = ProjectFactory()
    with pytest.raises(ApplicationError) as exc:
        annotation_create(document=doc, annotator=annotator, start=0, end=5, label=label(other, "CLAIM"))
    assert exc.value.errors == {"label": ["Label CLAIM belongs to another project."]}


def test_overlapping_and_nested_spans_are_allowed(doc, annotator):
    claim = label(doc.project, "CLAIM")
    annotation_create(document=doc, annotator=annotator, start=15, end=44, label=claim)
    annotation_create(document=doc, annotator=annotator, start=21, end=38, label=label(doc.project, "HEDGE"))
    annotation_create(document=doc, annotator=annotator, start=30, end=50, label=claim)
    assert Annotation.objects.count() == 3


def test_stale_version_is_refused_with_the_current_span(doc, annotator):
    """Two tabs: the second write, based on version 1, gets a Conflict and changes nothing."""
    span = annotation_create(
        document=doc, annotator=annotator, start=0, end=5, label=label(doc.project, "CLAIM")
    )
    updated = annotation_update(annotation=span, version=1, end=7)
    assert (updated.quote, updated.version) == ("Intro 😀", 2)
    with pytest.raises(Conflict) as exc:
        annotation_update(annotation=span, version=1, note="from the other tab")
    assert exc.value.current["version"] == 2
    assert exc.value.current["end"] == 7
    assert str(exc.value) == "This span was changed elsewhere (you had version 1, it is now 2)."
    span.refresh_from_db()
    assert span.note == ""
    with pytest.raises(Conflict):
        annotation_delete(annotation=span, version=1)
    assert Annotation.objects.filter(pk=span.pk).exists()


def test_changing_the_label_drops_a_subtype_of_the_old_label(doc, annotator):
    evidence = label(doc.project, "EVIDENCE")
    span = annotation_create(
        document=doc,
        annotator=annotator,
        start=51,
        end=54,
        label=evidence,
        subtype=evidence.subtypes.get(code="statistic"),
    )
    updated = annotation_update(annotation=span, version=1, label=label(doc.project, "CLAIM"))
    assert updated.subtype is None


def test_relations_link_spans_of_one_document_and_layer(doc, annotator):
    claim = annotation_create(
        document=doc, annotator=annotator, start=15, end=44, label=label(doc.project, "CLAIM")
    )
    evidence = annotation_create(
        document=doc, annotator=annotator, start=45, end=63, label=label(doc.project, "EVIDENCE")
    )
    relation = relation_create(source=evidence, target=claim, type="supports")
    assert (relation.document_id, relation.annotator_id, relation.layer) == (
        doc.pk,
        annotator.pk,
        Layer.ANNOTATOR,
    )

    elsewhere = AnnotationFactory(document=DocumentFactory(project=doc.project), annotator=annotator)
    with pytest.raises(ApplicationError) as exc:
        relation_create(source=evidence, target=elsewhere, type="attacks")
    assert exc.value.errors["target"][0].startswith(f"The target span is in document {elsewhere.document_id}")

    with pytest.raises(ApplicationError) as exc:
        relation_create(source=claim, target=claim, type="supports")
    assert exc.value.errors == {"target": ["A span cannot be linked to itself."]}

    with pytest.raises(ApplicationError) as exc:
        relation_create(source=claim, type="attributed_to")
    assert exc.value.errors == {"speaker": ["attributed_to needs the speaker the claim is attributed to."]}

    attributed = relation_create(
        source=claim, type="attributed_to", speaker=SpeakerFactory(name="Unnamed officials")
    )
    assert attributed.target is None


def test_another_annotators_span_cannot_be_a_target(doc, annotator):
    mine = annotation_create(
        document=doc, annotator=annotator, start=0, end=5, label=label(doc.project, "CLAIM")
    )
    theirs = AnnotationFactory(document=doc, start=6, end=7)
    with pytest.raises(ApplicationError) as exc:
        relation_create(source=mine, target=theirs, type="supports")
    assert exc.value.errors == {"target": ["The target span is in another annotator's layer."]}


def test_a_submitted_layer_is_read_only(doc, annotator):
    from annotator.reviews.services import assignment_submit

    span = annotation_create(
        document=doc, annotator=annotator, start=0, end=5, label=label(doc.project, "CLAIM")
    )
    assignment_submit(document=doc, annotator=annotator)
    with pytest.raises(ApplicationError) as exc:
        annotation_update(annotation=span, version=1, note="late change")
    assert exc.value.errors == {
        "document": ["This layer is submitted and read-only until a reviewer sends it back."]
    }


def test_a_duplicate_span_is_refused_and_nothing_changes(doc, annotator):
    """The same label at the same offsets in the same layer is refused with the offsets named."""
    claim = label(doc.project, "CLAIM")
    annotation_create(document=doc, annotator=annotator, start=0, end=5, label=claim)
    with pytest.raises(ApplicationError) as exc:
        annotation_create(document=doc, annotator=annotator, start=0, end=5, label=claim, note="again")
    assert exc.value.errors == {"non_field_errors": ["This layer already has a CLAIM span at 0-5."]}
    assert Annotation.objects.filter(document=doc).count() == 1


def test_first_span_opens_the_layer_and_an_assigned_layer_moves_to_in_progress(doc, annotator):
    from annotator.reviews.models import Assignment, AssignmentState
    from tests.factories import AssignmentFactory

    annotation_create(document=doc, annotator=annotator, start=0, end=5, label=label(doc.project, "CLAIM"))
    assert Assignment.objects.get(document=doc, annotator=annotator).state == AssignmentState.IN_PROGRESS

    other_doc = DocumentFactory(project=doc.project, text="Assigned text here.")
    AssignmentFactory(document=other_doc, annotator=annotator, state=AssignmentState.ASSIGNED)
    annotation_create(
        document=other_doc, annotator=annotator, start=0, end=8, label=label(doc.project, "CLAIM")
    )
    assigned = Assignment.objects.get(document=other_doc, annotator=annotator)
    assert (assigned.state, assigned.version) == (AssignmentState.IN_PROGRESS, 2)


def test_span_creation_stands_in_for_every_post_save_receiver_of_spans():
    """A new span is stored by one statement (span_sql.py) that writes what Annotation's
    post_save receivers would: simple-history's row and the change hook's marks (hooks.py). A receiver
    added later is not called for new spans unless annotation_create calls it: add it
    there, then here."""
    receivers, async_receivers = post_save._live_receivers(Annotation)
    names = sorted(f"{r.__module__}.{r.__qualname__}" for r in receivers)
    assert names == [
        "annotator.annotations.receivers._on_span",
        "simple_history.models.HistoricalRecords.post_save",
    ]
    assert async_receivers == []
