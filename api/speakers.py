"""Speakers: the people and bodies claims are attributed to (shared by all projects)."""

from __future__ import annotations

import django_filters
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.response import Response

from annotator.sources.models import Speaker, SpeakerKind
from annotator.sources.services import speaker_get_or_create
from api.representations import ErrorSerializer


class SpeakerSerializer(serializers.ModelSerializer):
    class Meta:
        model = Speaker
        fields = ("id", "name", "kind")
        read_only_fields = ("id",)


class SpeakerInput(serializers.Serializer):
    name = serializers.CharField(max_length=200)
    kind = serializers.ChoiceField(choices=SpeakerKind.choices, default=SpeakerKind.PERSON)


class SpeakerFilter(django_filters.FilterSet):
    name = django_filters.CharFilter(lookup_expr="icontains")
    kind = django_filters.ChoiceFilter(choices=SpeakerKind.choices)

    class Meta:
        model = Speaker
        fields = []


@extend_schema_view(list=extend_schema(summary="Speakers, optionally filtered by name and kind"))
class SpeakerViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = SpeakerSerializer
    filterset_class = SpeakerFilter
    queryset = Speaker.objects.all()

    @extend_schema(
        request=SpeakerInput,
        responses={200: SpeakerSerializer, 201: SpeakerSerializer, 400: ErrorSerializer},
        summary="Find a speaker by name and kind (200) or create it (201)",
    )
    def create(self, request):
        payload = SpeakerInput(data=request.data)
        payload.is_valid(raise_exception=True)
        speaker, created = speaker_get_or_create(**payload.validated_data)
        code = status.HTTP_201_CREATED if created else status.HTTP_200_OK
        return Response(SpeakerSerializer(speaker).data, status=code)
