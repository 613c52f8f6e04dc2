"""The JSON shapes of spans and relations, shared by every endpoint that returns them.

Lists are built from ``.values()`` rows (no model instances, no per-row
serializer work) because the workspace loads hundreds of spans per request;
the serializers below describe the same shapes for the OpenAPI schema.
"""

from __future__ import annotations

import copy

from rest_framework import serializers

from annotator.annotations.models import Layer, RelationType, ReviewStatus
from annotator.interchange.sql import IsoTimestamp

MAX_ID = 2**63 - 1  # PostgreSQL bigint: larger ids would be a database error, not a 404
MAX_OFFSET = 2**31 - 1

ANNOTATION_FIELDS = (
    "id", "document", "annotator", "layer", "start", "end", "quote", "label", "subtype",
    "note", "status", "status_reason", "version", "created_at", "updated_at",
)  # fmt: skip
RELATION_FIELDS = (
    "id", "document", "annotator", "layer", "type", "source", "target", "speaker",
    "note", "status", "status_reason", "version", "created_at", "updated_at",
)  # fmt: skip
_FOREIGN_KEYS = {"document", "annotator", "label", "subtype", "source", "target", "speaker"}


def _instance_data(instance, fields) -> dict:
    return {f: getattr(instance, f"{f}_id" if f in _FOREIGN_KEYS else f) for f in fields}


def annotation_data(annotation) -> dict:
    return _instance_data(annotation, ANNOTATION_FIELDS)


def relation_data(relation) -> dict:
    return _instance_data(relation, RELATION_FIELDS)


def _columns(fields):
    return [IsoTimestamp(f) if f in ("created_at", "updated_at") else (f"{f}_id" if f in _FOREIGN_KEYS else f)
            for f in fields]  # fmt: skip


def _rows(queryset, fields) -> list[dict]:
    return [dict(zip(fields, row, strict=True)) for row in queryset.values_list(*_columns(fields))]


def annotation_rows(queryset) -> list[dict]:
    return _rows(queryset, ANNOTATION_FIELDS)


def relation_rows(queryset) -> list[dict]:
    return _rows(queryset, RELATION_FIELDS)


class FlatInputSerializer(serializers.Serializer):
    """An input serializer of plain fields, cheaper to instantiate on hot paths.

    DRF rebuilds every declared field for each serializer instance (a deep copy that
    runs each field's ``__init__`` again): about half of validating a span's input.
    Plain fields are not changed by validation, only bound to their serializer, so a
    shallow copy of each is enough. Not for nested serializers (they hold fields of their own).
    """

    def get_fields(self):
        return {name: copy.copy(field) for name, field in self._declared_fields.items()}


class StrictCharField(serializers.CharField):
    """A string, and only a string: DRF's CharField would store ``-5104`` as "-5104"."""

    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("invalid")
        return super().to_internal_value(data)


def id_field(**kwargs) -> serializers.IntegerField:
    return serializers.IntegerField(min_value=1, max_value=MAX_ID, **kwargs)


def parse_id(value) -> int | None:
    """A path or query id as an int, or None when it cannot name a row."""
    try:
        number = int(value)
    except (TypeError, ValueError):
        return None
    return number if 1 <= number <= MAX_ID else None


class AnnotationSerializer(serializers.Serializer):
    """A span: ``[start, end)`` in Unicode code points of the document text."""

    id = serializers.IntegerField(read_only=True)
    document = serializers.IntegerField(read_only=True)
    annotator = serializers.IntegerField(read_only=True)
    layer = serializers.ChoiceField(choices=Layer.choices, read_only=True)
    start = serializers.IntegerField(read_only=True)
    end = serializers.IntegerField(read_only=True)
    quote = serializers.CharField(read_only=True)
    label = serializers.IntegerField(read_only=True)
    subtype = serializers.IntegerField(read_only=True, allow_null=True)
    note = serializers.CharField(read_only=True)
    status = serializers.ChoiceField(choices=ReviewStatus.choices, read_only=True)
    status_reason = serializers.CharField(read_only=True)
    version = serializers.IntegerField(read_only=True)
    created_at = serializers.DateTimeField(read_only=True)
    updated_at = serializers.DateTimeField(read_only=True)


class RelationSerializer(serializers.Serializer):
    """A link from span ``source`` to span ``target``, or to a ``speaker`` (attributed_to)."""

    id = serializers.IntegerField(read_only=True)
    document = serializers.IntegerField(read_only=True)
    annotator = serializers.IntegerField(read_only=True)
    layer = serializers.ChoiceField(choices=Layer.choices, read_only=True)
    type = serializers.ChoiceField(choices=RelationType.choices, read_only=True)
    source = serializers.IntegerField(read_only=True)
    target = serializers.IntegerField(read_only=True, allow_null=True)
    speaker = serializers.IntegerField(read_only=True, allow_null=True)
    note = serializers.CharField(read_only=True)
    status = serializers.ChoiceField(choices=ReviewStatus.choices, read_only=True)
    status_reason = serializers.CharField(read_only=True)
    version = serializers.IntegerField(read_only=True)
    created_at = serializers.DateTimeField(read_only=True)
    updated_at = serializers.DateTimeField(read_only=True)


class ErrorSerializer(serializers.Serializer):
    """The one error shape of the API."""

    message = serializers.CharField()
    errors = serializers.DictField(child=serializers.ListField(child=serializers.CharField()))


class ConflictSerializer(ErrorSerializer):
    current = serializers.DictField()
