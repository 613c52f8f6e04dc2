"""Query filters for the list endpoints (django-filter; documented in the schema)."""

from __future__ import annotations

from datetime import UTC

import django_filters
from django import forms
from django_filters.fields import IsoDateTimeField, RangeField
from django_filters.widgets import DateRangeWidget

from annotator.annotations.models import Annotation, Layer, Relation, RelationType, ReviewStatus
from annotator.documents.models import Document
from annotator.jobs.models import Job, JobKind, JobState
from annotator.reviews.models import Assignment, AssignmentState


class UtcIsoDateTimeField(IsoDateTimeField):
    """ISO 8601, converted to UTC here: PostgreSQL refuses offsets beyond ±15:59."""

    default_error_messages = {"invalid": "Enter an ISO 8601 date-time such as 2026-01-31T12:00:00Z."}

    def to_python(self, value):
        parsed = super().to_python(value)
        if parsed is None:
            return None
        try:
            return parsed.astimezone(UTC)
        except OverflowError:
            raise forms.ValidationError("The date is out of range.") from None


class UtcIsoDateTimeRangeField(RangeField):
    widget = DateRangeWidget

    def __init__(self, *args, **kwargs):
        super().__init__((UtcIsoDateTimeField(), UtcIsoDateTimeField()), *args, **kwargs)


class DateTimeRangeFilter(django_filters.IsoDateTimeFromToRangeFilter):
    """?<name>_after= and ?<name>_before= as ISO 8601 date-times."""

    field_class = UtcIsoDateTimeRangeField


class IdFilter(django_filters.NumberFilter):
    """A row id: whole numbers only (NumberFilter would accept 1.5)."""

    field_class = forms.IntegerField


class _LayeredFilter(django_filters.FilterSet):
    project = IdFilter(field_name="project_id")
    document = IdFilter(field_name="document_id")
    annotator = IdFilter(field_name="annotator_id")
    layer = django_filters.ChoiceFilter(choices=Layer.choices)
    status = django_filters.ChoiceFilter(choices=ReviewStatus.choices)
    source = IdFilter(field_name="document__source_id", help_text="Outlet (source) of the document")
    author = IdFilter(field_name="document__authors", help_text="An author of the document", distinct=True)
    created = DateTimeRangeFilter(field_name="created_at")
    updated = DateTimeRangeFilter(field_name="updated_at")


class AnnotationFilter(_LayeredFilter):
    label = IdFilter(field_name="label_id")
    label_code = django_filters.CharFilter(field_name="label__code", help_text="Label code, e.g. CLAIM")
    subtype = IdFilter(field_name="subtype_id")

    class Meta:
        model = Annotation
        fields = []


class RelationFilter(_LayeredFilter):
    type = django_filters.ChoiceFilter(choices=RelationType.choices)
    speaker = IdFilter(field_name="speaker_id")
    label = IdFilter(field_name="source__label_id", help_text="Label of the source span")

    class Meta:
        model = Relation
        fields = []


class DocumentFilter(django_filters.FilterSet):
    project = IdFilter(field_name="project_id")
    source = IdFilter(field_name="source_id")
    author = IdFilter(field_name="authors", distinct=True)
    language = django_filters.CharFilter()
    title = django_filters.CharFilter(lookup_expr="icontains")
    published = django_filters.DateFromToRangeFilter(field_name="published_on")
    created = DateTimeRangeFilter(field_name="created_at")
    label = IdFilter(
        field_name="annotations__label_id", distinct=True, help_text="Has a span with this label"
    )
    annotator = IdFilter(field_name="assignments__annotator_id", distinct=True, help_text="Assigned to")
    status = django_filters.ChoiceFilter(
        field_name="assignments__state", choices=AssignmentState.choices, distinct=True,
        help_text="Has an assignment in this state",
    )  # fmt: skip

    class Meta:
        model = Document
        fields = []


class AssignmentFilter(django_filters.FilterSet):
    project = IdFilter(field_name="project_id")
    document = IdFilter(field_name="document_id")
    annotator = IdFilter(field_name="annotator_id")
    state = django_filters.ChoiceFilter(choices=AssignmentState.choices)
    status = django_filters.ChoiceFilter(field_name="state", choices=AssignmentState.choices)
    updated = DateTimeRangeFilter(field_name="updated_at")

    class Meta:
        model = Assignment
        fields = []


class JobFilter(django_filters.FilterSet):
    project = IdFilter(field_name="project_id")
    kind = django_filters.ChoiceFilter(choices=JobKind.choices)
    state = django_filters.ChoiceFilter(choices=JobState.choices)
    created = DateTimeRangeFilter(field_name="created_at")

    class Meta:
        model = Job
        fields = []
