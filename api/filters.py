"""Query filters for the list endpoints (django-filter; documented in the schema)."""

from __future__ import annotations

from datetime import UTC

import django_filters
from django import forms
from django.db.models import Q
from django_filters.fields import IsoDateTimeField, RangeField
from django_filters.widgets import DateRangeWidget
from drf_spectacular.utils import extend_schema_field

from annotator.annotations.models import Annotation, Layer, Relation, RelationType, ReviewStatus
from annotator.documents.models import Document
from annotator.jobs.models import Job, JobKind, JobState
from annotator.reviews.models import Assignment, AssignmentState
from api.representations import MAX_ID


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


@extend_schema_field({"type": "integer", "minimum": 1, "maximum": MAX_ID})
class IdFilter(django_filters.NumberFilter):
    """A row id: whole numbers only (NumberFilter would accept 1.5)."""

    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", MAX_ID)
        super().__init__(*args, **kwargs)


class RepeatableField(forms.Field):
    """Every value of a repeated query parameter (?x=1&x=2), each cleaned by ``item``."""

    widget = forms.SelectMultiple  # reads QueryDict.getlist

    def __init__(self, *, item: forms.Field | None = None, choices=None, **kwargs):
        super().__init__(**kwargs)
        self.item = item or (forms.ChoiceField(choices=choices) if choices else forms.CharField())

    def to_python(self, value):
        if value in (None, "", []):
            return []
        values = value if isinstance(value, list | tuple) else [value]
        return [self.item.clean(v) for v in values]


class RepeatableFilter(django_filters.MultipleChoiceFilter):
    """Any of several values: ``?status=accepted&status=pending``; ``iexact`` compares case-insensitively."""

    field_class = RepeatableField

    def __init__(self, *args, iexact: bool = False, **kwargs):
        self.iexact = iexact
        kwargs.setdefault("distinct", False)
        super().__init__(*args, **kwargs)

    def filter(self, qs, value):
        if not value:
            return qs
        if self.iexact:
            condition = Q()
            for item in value:
                condition |= Q(**{f"{self.field_name}__iexact": item})
        else:
            condition = Q(**{f"{self.field_name}__in": value})
        qs = qs.filter(condition)
        return qs.distinct() if self.distinct else qs


@extend_schema_field({"type": "integer", "minimum": 1, "maximum": MAX_ID})
class IdsFilter(RepeatableFilter):
    """One or more row ids: ``?label=3&label=4``."""

    def __init__(self, *args, **kwargs):
        kwargs["item"] = forms.IntegerField(min_value=1, max_value=MAX_ID)
        super().__init__(*args, **kwargs)


@extend_schema_field({"type": "string", "maxLength": 100})
class CodesFilter(RepeatableFilter):
    """One or more codes, compared case-insensitively: ``?label_code=claim&label_code=EVIDENCE``."""

    def __init__(self, *args, **kwargs):
        kwargs["item"] = forms.CharField(max_length=100)
        super().__init__(*args, iexact=True, **kwargs)


def ChoicesFilter(choices, **kwargs) -> RepeatableFilter:  # noqa: N802 - reads as a filter class
    return RepeatableFilter(choices=choices, **kwargs)


class _LayeredFilter(django_filters.FilterSet):
    project = IdsFilter(field_name="project_id")
    document = IdsFilter(field_name="document_id")
    annotator = IdsFilter(field_name="annotator_id")
    layer = ChoicesFilter(Layer.choices)
    status = ChoicesFilter(ReviewStatus.choices)
    source = IdFilter(field_name="document__source_id", help_text="Outlet (source) of the document")
    author = IdFilter(field_name="document__authors", help_text="An author of the document", distinct=True)
    created = DateTimeRangeFilter(field_name="created_at")
    updated = DateTimeRangeFilter(field_name="updated_at")


class AnnotationFilter(_LayeredFilter):
    label = IdsFilter(field_name="label_id")
    label_code = CodesFilter(field_name="label__code", help_text="Label code, e.g. CLAIM (any case)")
    subtype = IdsFilter(field_name="subtype_id")
    q = django_filters.CharFilter(
        field_name="quote", lookup_expr="icontains", max_length=200,
        help_text="Spans whose text contains this (case-insensitive)",
    )  # fmt: skip

    class Meta:
        model = Annotation
        fields = []


class RelationFilter(_LayeredFilter):
    type = ChoicesFilter(RelationType.choices)
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
    state = ChoicesFilter(AssignmentState.choices)
    status = ChoicesFilter(AssignmentState.choices, field_name="state")
    updated = DateTimeRangeFilter(field_name="updated_at")

    class Meta:
        model = Assignment
        fields = []


class JobFilter(django_filters.FilterSet):
    project = IdFilter(field_name="project_id")
    kind = ChoicesFilter(JobKind.choices)
    state = ChoicesFilter(JobState.choices)
    created = DateTimeRangeFilter(field_name="created_at")

    class Meta:
        model = Job
        fields = []
