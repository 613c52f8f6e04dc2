"""Outlets (sources) and authors: shared by all projects so scores compare across them."""

from __future__ import annotations

import django_filters
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.response import Response

from annotator.core.errors import PermissionDenied
from annotator.projects.models import Membership, Role
from annotator.sources.models import Author, Source
from annotator.sources.services import author_get_or_create, source_get_or_create
from api.representations import ErrorSerializer, StrictCharField


class SourceSerializer(serializers.ModelSerializer):
    class Meta:
        model = Source
        fields = ("id", "name", "domain", "created_at")
        read_only_fields = fields


class SourceInput(serializers.Serializer):
    name = StrictCharField(max_length=200)
    domain = serializers.CharField(required=False, allow_blank=True, default="", max_length=253)


class AuthorSerializer(serializers.ModelSerializer):
    class Meta:
        model = Author
        fields = ("id", "name", "created_at")
        read_only_fields = fields


class AuthorInput(serializers.Serializer):
    name = StrictCharField(max_length=200)


class SourceFilter(django_filters.FilterSet):
    name = django_filters.CharFilter(lookup_expr="icontains")
    domain = django_filters.CharFilter(lookup_expr="iexact")

    class Meta:
        model = Source
        fields = []


class AuthorFilter(django_filters.FilterSet):
    name = django_filters.CharFilter(lookup_expr="icontains")

    class Meta:
        model = Author
        fields = []


def _assert_some_manager(user) -> None:
    if user.is_superuser:
        return
    if not Membership.objects.filter(user=user, is_active=True, role=Role.MANAGER).exists():
        raise PermissionDenied("Only project managers can add sources and authors.")


def _found_or_added(request, input_class, output_class, *, find, add) -> Response:
    """A manager names a row: 200 with it when ``find`` has it, else 201 with the row ``add`` made."""
    _assert_some_manager(request.user)
    payload = input_class(data=request.data)
    payload.is_valid(raise_exception=True)
    existed = find(payload.validated_data).exists()
    row = add(payload.validated_data)
    return Response(output_class(row).data, status=status.HTTP_200_OK if existed else status.HTTP_201_CREATED)


class SourceViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = SourceSerializer
    filterset_class = SourceFilter
    queryset = Source.objects.all()

    @extend_schema(
        request=SourceInput,
        responses={200: SourceSerializer, 201: SourceSerializer, 400: ErrorSerializer, 403: ErrorSerializer},
        summary="Find a source by name (200) or add it (201; managers)",
    )
    def create(self, request):
        return _found_or_added(
            request,
            SourceInput,
            SourceSerializer,
            find=lambda data: Source.objects.filter(name__iexact=data["name"].strip()),
            add=lambda data: source_get_or_create(**data),
        )


class AuthorViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = AuthorSerializer
    filterset_class = AuthorFilter
    queryset = Author.objects.all()

    @extend_schema(
        request=AuthorInput,
        responses={200: AuthorSerializer, 201: AuthorSerializer, 400: ErrorSerializer, 403: ErrorSerializer},
        summary="Find an author by name (200) or add them (201; managers)",
    )
    def create(self, request):
        return _found_or_added(
            request,
            AuthorInput,
            AuthorSerializer,
            find=lambda data: Author.objects.filter(name__iexact=" ".join(data["name"].split())),
            add=lambda data: author_get_or_create(name=data["name"]),
        )
