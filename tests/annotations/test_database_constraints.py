"""PostgreSQL refuses broken data even when code bypasses the services."""

import pytest
from django.db import IntegrityError, connection, transaction

from annotator.annotations.models import SAME_AS_COMPOSITE, Annotation, Relation
from annotator.core.integrity import constraint_name
from annotator.documents.models import Document
from annotator.projects.models import Role
from tests.factories import DocumentFactory, ProjectFactory, SpeakerFactory, label, member

pytestmark = pytest.mark.django_db

TEXT = "Officials 😀 said the e\u0301lite\u00a0is widely considered corrupt."


@pytest.fixture
def doc():
    return DocumentFactory(text=TEXT)


def raw_span(doc, annotator, start, end, quote=None, code="CLAIM", project=None, **extra):
    return Annotation(
        project=project or doc.project,
        document=doc,
        annotator=annotator,
        start=start,
        end=end,
        quote=TEXT[start:end] if quote is None else quote,
        label=label(project or doc.project, code),
        **extra,
    )


def refused(obj) -> str:
    """Save ``obj`` bypassing services; return the name of the rule PostgreSQL broke."""
    with pytest.raises(IntegrityError) as exc, transaction.atomic():
        obj.save()
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    return constraint_name(exc.value)


def test_a_span_inside_the_text_with_its_exact_quote_is_stored(doc, annotator):
    """Code-point offsets: 'widely considered' is at 31-48: the emoji and the combining mark are one code point each."""
    assert TEXT.index("widely considered") == 31
    span = raw_span(doc, annotator, 31, 48)
    span.save()
    assert Annotation.objects.get(pk=span.pk).quote == "widely considered"


@pytest.mark.parametrize(
    ("start", "end", "quote", "rule"),
    [
        (-1, 4, "", "annotation_start_not_negative"),
        (5, 5, "", "annotation_start_before_end"),
        (7, 3, "", "annotation_start_before_end"),
        (50, 61, "", "annotation_within_text"),
        (0, 9, "Officialz", "annotation_quote_matches"),
        # One code point off, as a UTF-16 count of the emoji would make it:
        (32, 49, "widely considered", "annotation_quote_matches"),
    ],
)
def test_bad_spans_are_refused_by_the_database(doc, annotator, start, end, quote, rule):
    assert len(TEXT) == 57
    assert refused(raw_span(doc, annotator, start, end, quote=quote)) == rule


def test_label_of_another_project_is_refused(doc, annotator):
    other = ProjectFactory()
    span = raw_span(doc, annotator, 0, 9)
    span.label = label(other, "CLAIM")
    assert refused(span) == "annotation_label_project_fk"


def test_document_of_another_project_is_refused(doc, annotator):
    other = ProjectFactory()
    member_elsewhere = member(other, Role.ANNOTATOR)
    span = raw_span(doc, member_elsewhere, 0, 9, project=other)
    assert refused(span) == "annotation_document_project_fk"


def test_subtype_of_another_label_is_refused(doc, annotator):
    span = raw_span(doc, annotator, 0, 9, code="CLAIM")
    span.subtype = label(doc.project, "EVIDENCE").subtypes.get(code="statistic")
    assert refused(span) == "annotation_subtype_label_fk"


def test_non_member_annotator_is_refused(doc):
    outsider = member(ProjectFactory(), Role.MANAGER)
    assert refused(raw_span(doc, outsider, 0, 9)) == "annotation_annotator_member_fk"


def test_relations_across_documents_projects_or_layers_are_refused(doc, annotator):
    claim = raw_span(doc, annotator, 0, 9)
    claim.save()
    hedge = raw_span(doc, annotator, 31, 48, code="HEDGE")
    hedge.save()

    other_doc = DocumentFactory(project=doc.project, text="Another text entirely.")
    elsewhere = Annotation.objects.create(
        project=doc.project,
        document=other_doc,
        annotator=annotator,
        start=0,
        end=7,
        quote="Another",
        label=label(doc.project, "EVIDENCE"),
    )
    cross_document = Relation(
        project=doc.project,
        document=doc,
        annotator=annotator,
        type="supports",
        source=elsewhere,
        target=claim,
    )
    assert refused(cross_document) == "relation_source_same_layer_fk"

    other_project = ProjectFactory()
    cross_project = Relation(
        project=other_project, document=doc, annotator=annotator, type="qualifies", source=hedge, target=claim
    )
    assert refused(cross_project) == "relation_document_project_fk"

    someone_else = member(doc.project, Role.ANNOTATOR)
    theirs = raw_span(doc, someone_else, 0, 9)
    theirs.save()
    cross_layer = Relation(
        project=doc.project, document=doc, annotator=annotator, type="supports", source=hedge, target=theirs
    )
    assert refused(cross_layer) == "relation_target_same_layer_fk"


def test_relation_endpoints_must_fit_the_type(doc, annotator):
    claim = raw_span(doc, annotator, 0, 9)
    claim.save()
    base = {"project": doc.project, "document": doc, "annotator": annotator, "source": claim}
    assert refused(Relation(**base, type="attributed_to")) == "relation_endpoints_match_type"
    assert (
        refused(Relation(**base, type="supports", speaker=SpeakerFactory()))
        == "relation_endpoints_match_type"
    )
    assert refused(Relation(**base, type="supports", target=claim)) == "relation_not_self"
    other = raw_span(doc, annotator, 31, 48, code="HEDGE")
    other.save()
    assert refused(Relation(**base, type="explains", target=other)) == "relation_type_valid"


def test_document_text_cannot_change_once_stored(doc):
    Document.objects.filter(pk=doc.pk).update(title="A new title")  # metadata may change
    with pytest.raises(IntegrityError) as exc, transaction.atomic():
        Document.objects.filter(pk=doc.pk).update(text="Officials said nothing.")
    assert constraint_name(exc.value) == "document_text_immutable"
    doc.refresh_from_db()
    assert doc.text == TEXT


def test_document_hash_and_length_must_describe_the_text(doc):
    bad = Document(project=doc.project, text="short", content_hash="0" * 64, char_count=5, word_count=1)
    assert refused(bad) == "document_hash_matches"
    bad = DocumentFactory.build(project=doc.project, text="short")
    bad.char_count = 6
    assert refused(bad) == "document_char_count_matches"


@pytest.mark.parametrize(("table", "field"), sorted(SAME_AS_COMPOSITE))
def test_a_missing_row_is_refused_by_a_composite_key_without_the_single_column_one(
    doc, annotator, table, field
):
    """Spans and relations keep no single-column foreign key where a composite one implies it
    (one check fewer per inserted row): a reference to a row that does not exist is still
    refused by the database, by one of the composite keys."""
    claim = raw_span(doc, annotator, 0, 9, subtype=None)
    claim.save()
    if table == "annotation":
        row = raw_span(doc, annotator, 31, 48, code="HEDGE")
        row.subtype = label(doc.project, "HEDGE").subtypes.first()
    else:
        hedge = raw_span(doc, annotator, 31, 48, code="HEDGE")
        hedge.save()
        row = Relation(project=doc.project, document=doc, annotator=annotator, type="qualifies", source=hedge,
                       target=claim)  # fmt: skip
    setattr(row, f"{field}_id", 2**31 - 1)  # fits every id column, names no row
    composite = {name for (t, _), name in SAME_AS_COMPOSITE.items() if t == table}
    if (table, field) == ("annotation", "document"):
        composite.add("annotation_quote_matches")  # the span trigger reads the document first
    assert refused(row) in composite
