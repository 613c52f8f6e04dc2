"""Propositions across documents: resources over annotator/propositions' services and selectors.

    propositions/                 list (?project=, ?q=), create (optionally stated by spans)
    propositions/{id}/            the proposition with its statements and support/attacks; reword
    proposition-links/            list (?project=, ?proposition=, ?span=); link spans to a proposition
    proposition-links/{id}/       adjudicate (reviewers); unlink
    proposition-merges/           merge propositions into one
    proposition-splits/           move some links to a new proposition
    proposition-changes/          the project's undoable changes (?project=)
    proposition-undos/            undo one change
    proposition-suggestions/      for a span (?span=): propositions it may restate, and similar spans
    proposition-repeats/          likely repeats of a project (?project=); confirm groups in bulk
    evidence-provenance/{span}/   an evidence span's provenance and the suggested one; set; clear
    proposition-figures/          per-source figures (?project=)

Permissions: non-members get 404; annotators read and write links of their own
layer; merging, splitting and adjudicating need a reviewer (annotator/propositions/access.py).
"""

from __future__ import annotations

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import APIView

from annotator.annotations.models import Layer
from annotator.core.errors import ApplicationError, NotFound, PermissionDenied
from annotator.documents.models import Document
from annotator.projects.kinds import EVIDENCE, kind_role
from annotator.projects.models import Role
from annotator.projects.selectors import role_at_least
from annotator.propositions import access, selectors, similarity
from annotator.propositions.adjudication import link_review
from annotator.propositions.models import PropositionLink
from annotator.propositions.provenance import provenance_clear, provenance_set, provenance_suggest
from annotator.propositions.services import (
    link_delete,
    links_create,
    proposition_create,
    proposition_merge,
    proposition_split,
    proposition_update,
    repeats_confirm,
)
from annotator.propositions.undo import change_undo
from api.propositions.serializers import (
    ERRORS,
    PROJECT,
    ROW_ID,
    ChangeSerializer,
    CreateInput,
    FiguresSerializer,
    LinkInput,
    LinkSerializer,
    MergeInput,
    PropositionDetailSerializer,
    PropositionListSerializer,
    PropositionSerializer,
    ProvenanceInput,
    ProvenanceSerializer,
    RepeatGroupSerializer,
    RepeatsInput,
    ReviewInput,
    SplitInput,
    StatementSerializer,
    SuggestionsSerializer,
    UndoInput,
    UpdateInput,
    project_param,
)
from api.representations import ErrorSerializer, parse_id
from api.versioning import etag, requested_version


def _valid(serializer_class, request) -> dict:
    payload = serializer_class(data=request.data)
    payload.is_valid(raise_exception=True)
    return payload.validated_data


def _spans(user, ids: list[int], field: str = "spans"):
    return [access.span_access(user=user, pk=pk, write=True, field=field)[0] for pk in dict.fromkeys(ids)]


def _detail(user, role, proposition) -> dict:
    statements = selectors.proposition_statements(user=user, role=role, proposition=proposition)
    relations = [
        {
            "relation": r["relation"].pk,
            "type": r["relation"].type,
            "direction": r["direction"],
            "document": r["relation"].document_id,
            "span": r["other"].pk,
            "quote": r["other"].quote,
            "proposition": r["other_proposition"].pk if r["other_proposition"] else None,
            "provenance": r["provenance"].kind if r["provenance"] else None,
            "counts_as_support": r["counts"],
        }  # fmt: skip
        for r in selectors.proposition_relations(user=user, role=role, proposition=proposition)
    ]
    data = PropositionSerializer(proposition).data
    data["statements"] = StatementSerializer(statements, many=True).data
    data["relations"] = relations
    return data


# ---- views ------------------------------------------------------------------------------------


class PropositionListView(APIView):
    @extend_schema(
        parameters=[PROJECT, OpenApiParameter("q", str, description="Words in the wording")],
        responses={200: PropositionListSerializer(many=True), **ERRORS},
        summary="A project's propositions, most stated first (at most 500)",
    )
    def get(self, request):
        project_id = project_param(request)
        role = access.project_role(user=request.user, project_id=project_id)
        q = (request.query_params.get("q") or "").strip()[:200]
        rows = selectors.proposition_list(user=request.user, role=role, project_id=project_id, q=q)[:500]
        return Response(PropositionListSerializer(rows, many=True).data)

    @extend_schema(request=CreateInput, responses={201: PropositionSerializer, **ERRORS},
                   summary="Create a proposition, optionally stated by spans")  # fmt: skip
    def post(self, request):
        data = _valid(CreateInput, request)
        project, _ = access.project_get(user=request.user, project_id=data["project"])
        spans = _spans(request.user, data["spans"])
        proposition = proposition_create(project=project, text=data["text"], note=data["note"],
                                         user=request.user, spans=spans)  # fmt: skip
        return Response(PropositionSerializer(proposition).data, status=status.HTTP_201_CREATED,
                        headers={"ETag": etag(proposition.version)})  # fmt: skip


class PropositionDetailView(APIView):
    @extend_schema(responses={200: PropositionDetailSerializer, **ERRORS},
                   summary="A proposition, every visible span stating it (publication order), support and attacks")  # fmt: skip
    def get(self, request, pk):
        proposition, role = access.proposition_access(user=request.user, pk=pk)
        return Response(_detail(request.user, role, proposition), headers={"ETag": etag(proposition.version)})

    @extend_schema(request=UpdateInput, responses={200: PropositionSerializer, 409: ErrorSerializer, **ERRORS},
                   summary="Reword a proposition (reviewers, or its creator); send the version")  # fmt: skip
    def patch(self, request, pk):
        proposition, role = access.proposition_access(user=request.user, pk=pk)
        if proposition.created_by_id != request.user.pk and not role_at_least(role, Role.REVIEWER):
            raise PermissionDenied("Only reviewers reword propositions others created.")
        data = _valid(UpdateInput, request)
        version = requested_version(request, data.pop("version", None))
        proposition = proposition_update(proposition=proposition, user=request.user, version=version,
                                         text=data.get("text"), note=data.get("note"))  # fmt: skip
        return Response(PropositionSerializer(proposition).data, headers={"ETag": etag(proposition.version)})


class LinkListView(APIView):
    @extend_schema(
        parameters=[PROJECT, OpenApiParameter("proposition", ROW_ID), OpenApiParameter("span", ROW_ID)],
        responses={200: LinkSerializer(many=True), **ERRORS},
        summary="Links you may see (your own layer; every layer for reviewers), at most 1000",
    )
    def get(self, request):
        project_id = project_param(request)
        role = access.project_role(user=request.user, project_id=project_id)
        links = selectors.visible_links(user=request.user, role=role, project_id=project_id).order_by("id")
        for name, field in (("proposition", "proposition_id"), ("span", "annotation_id")):
            if request.query_params.get(name) is not None:
                value = parse_id(request.query_params.get(name))
                if value is None:
                    raise ApplicationError.field(name, f"{name} must be an id.")
                links = links.filter(**{field: value})
        return Response(LinkSerializer(links[:1000], many=True).data)

    @extend_schema(request=LinkInput, responses={201: LinkSerializer(many=True), **ERRORS},
                   summary="State that spans restate a proposition (a span linked elsewhere moves)")  # fmt: skip
    def post(self, request):
        data = _valid(LinkInput, request)
        proposition, _ = access.proposition_access(user=request.user, pk=data["proposition"])
        links = links_create(
            proposition=proposition, spans=_spans(request.user, data["spans"]), user=request.user
        )
        return Response(LinkSerializer(links, many=True).data, status=status.HTTP_201_CREATED)


class LinkDetailView(APIView):
    @extend_schema(request=ReviewInput, responses={200: LinkSerializer, **ERRORS},
                   summary="Adjudicate a link (reviewers): accept (copied onto the matching gold span) or reject")  # fmt: skip
    def patch(self, request, pk):
        link, role = access.link_access(user=request.user, pk=pk)
        data = _valid(ReviewInput, request)
        if not role_at_least(role, Role.REVIEWER):
            raise PermissionDenied("Only reviewers and managers adjudicate links.")
        link = link_review(link=link, reviewer=request.user, role=role, decision=data["decision"],
                           reason=data["reason"])  # fmt: skip
        return Response(LinkSerializer(link).data)

    @extend_schema(parameters=[OpenApiParameter("version", int)], responses={204: None, 409: ErrorSerializer, **ERRORS},
                   summary="Unlink a span from its proposition (undoable)")  # fmt: skip
    def delete(self, request, pk):
        link, _ = access.link_access(user=request.user, pk=pk, write=True)
        version = (
            parse_id(request.query_params.get("version")) if request.query_params.get("version") else None
        )
        link_delete(link=link, user=request.user, version=version)
        return Response(status=status.HTTP_204_NO_CONTENT)


class MergeView(APIView):
    @extend_schema(request=MergeInput, responses={200: PropositionSerializer, **ERRORS},
                   summary="Merge propositions into one (reviewers; undoable)")  # fmt: skip
    def post(self, request):
        data = _valid(MergeInput, request)
        into, _ = access.proposition_access(user=request.user, pk=data["into"], minimum=Role.REVIEWER)
        others = [access.proposition_access(user=request.user, pk=pk)[0] for pk in data["propositions"]]
        return Response(
            PropositionSerializer(proposition_merge(into=into, others=others, user=request.user)).data
        )


class SplitView(APIView):
    @extend_schema(request=SplitInput, responses={201: PropositionSerializer, **ERRORS},
                   summary="Move some links of a proposition to a new one (reviewers; undoable)")  # fmt: skip
    def post(self, request):
        data = _valid(SplitInput, request)
        proposition, _ = access.proposition_access(
            user=request.user, pk=data["proposition"], minimum=Role.REVIEWER
        )
        links = list(PropositionLink.objects.filter(pk__in=data["links"], project_id=proposition.project_id))
        missing = sorted(set(data["links"]) - {link.pk for link in links})
        if missing:
            raise NotFound.field("links", f"No link(s) {', '.join(map(str, missing))} in this project.")
        new = proposition_split(proposition=proposition, links=links, text=data["text"], user=request.user)
        return Response(PropositionSerializer(new).data, status=status.HTTP_201_CREATED)


class ChangeListView(APIView):
    @extend_schema(parameters=[PROJECT], responses={200: ChangeSerializer(many=True), **ERRORS},
                   summary="The project's latest 100 changes to propositions, newest first")  # fmt: skip
    def get(self, request):
        project_id = project_param(request)
        access.project_role(user=request.user, project_id=project_id)
        return Response(
            ChangeSerializer(selectors.changes_recent(project_id=project_id, limit=100), many=True).data
        )


class UndoView(APIView):
    @extend_schema(request=UndoInput, responses={200: ChangeSerializer, **ERRORS},
                   summary="Undo a change (your own; any change for reviewers)")  # fmt: skip
    def post(self, request):
        data = _valid(UndoInput, request)
        change, _ = access.change_access(user=request.user, pk=data["change"])
        return Response(ChangeSerializer(change_undo(change=change, user=request.user)).data)


class SuggestionsView(APIView):
    @extend_schema(
        parameters=[OpenApiParameter("span", ROW_ID, required=True)],
        responses={200: SuggestionsSerializer, **ERRORS},
        summary="Propositions a span may restate and similar spans of other documents, best first",
    )
    def get(self, request):
        span_id = parse_id(request.query_params.get("span"))
        if span_id is None:
            raise ApplicationError.field("span", "Give ?span=<id> of a claim or evidence span.")
        span, role = access.span_access(user=request.user, pk=span_id)
        reviewer = role_at_least(role, Role.REVIEWER)
        link = (
            PropositionLink.objects.filter(annotation=span).values("id", "proposition_id", "version").first()
            or {}
        )
        propositions = similarity.proposition_suggestions(
            project_id=span.project_id,
            text=span.quote,
            span_id=span.pk,
            user_id=request.user.pk,
            all_layers=reviewer,
        )
        spans = similarity.span_candidates(
            project_id=span.project_id, text=span.quote, document_id=span.document_id, layer=span.layer,
            annotator_id=span.annotator_id, kinds=(span.label.kind,),
        )  # fmt: skip
        return Response({"span": span.pk, "linked_to": link.get("proposition_id"), "link": link.get("id"),
                         "link_version": link.get("version"), "propositions": propositions, "spans": spans})  # fmt: skip


class RepeatsView(APIView):
    @extend_schema(
        parameters=[PROJECT, OpenApiParameter("layer", str, enum=["gold", "annotator"])],
        responses={200: RepeatGroupSerializer(many=True), **ERRORS},
        summary="Likely repeats: groups of claims in different documents that restate each other",
    )
    def get(self, request):
        project_id = project_param(request)
        role = access.project_role(user=request.user, project_id=project_id)
        layer = request.query_params.get("layer") or (
            Layer.GOLD if role_at_least(role, Role.REVIEWER) else "annotator"
        )
        if layer not in Layer.values:
            raise ApplicationError.field("layer", "layer is gold or annotator.")
        if layer == Layer.GOLD and not role_at_least(role, Role.REVIEWER):
            raise PermissionDenied("Only reviewers and managers can see the gold layer.")
        groups = selectors.repeat_groups_with_quotes(
            project_id=project_id, layer=layer, annotator_id=request.user.pk
        )
        return Response(groups)

    @extend_schema(request=RepeatsInput, responses={201: PropositionSerializer(many=True), **ERRORS},
                   summary="Confirm groups of repeats in bulk (reviewers): one proposition per group")  # fmt: skip
    def post(self, request):
        data = _valid(RepeatsInput, request)
        project, _ = access.project_get(user=request.user, project_id=data["project"], minimum=Role.REVIEWER)
        groups = []
        for index, group in enumerate(data["groups"]):
            spans = _spans(request.user, group["spans"], field=f"groups[{index}].spans")
            proposition = None
            if group["proposition"] is not None:
                proposition, _ = access.proposition_access(user=request.user, pk=group["proposition"])
            groups.append({"spans": spans, "proposition": proposition, "text": group["text"]})
        made = repeats_confirm(project=project, groups=groups, user=request.user)
        return Response(PropositionSerializer(made, many=True).data, status=status.HTTP_201_CREATED)


def _provenance(span) -> dict:
    current = getattr(span, "provenance", None)
    return {
        "span": span.pk,
        "kind": current.kind if current else None,
        "cited_document": current.cited_document_id if current else None,
        "cited_title": current.cited_title if current else "",
        "cited_url": current.cited_url if current else "",
        "note": current.note if current else "",
        "suggestion": provenance_suggest(span=span),
    }


class ProvenanceView(APIView):
    @extend_schema(responses={200: ProvenanceSerializer, **ERRORS},
                   summary="An evidence span's provenance, and the suggested one with its reason")  # fmt: skip
    def get(self, request, span):
        evidence, _ = access.span_access(user=request.user, pk=span)
        if kind_role(evidence.label.kind) != EVIDENCE:
            raise ApplicationError.field(
                "span", f"Span {evidence.pk} is a {evidence.label.kind} span; provenance is for evidence."
            )
        return Response(_provenance(evidence))

    @extend_schema(request=ProvenanceInput, responses={200: ProvenanceSerializer, **ERRORS},
                   summary="Set an evidence span's provenance (whoever may write its layer)")  # fmt: skip
    def put(self, request, span):
        evidence, _ = access.span_access(user=request.user, pk=span, write=True)
        data = _valid(ProvenanceInput, request)
        cited = None
        if data["cited_document"] is not None:
            cited = Document.objects.filter(pk=data["cited_document"], project_id=evidence.project_id).first()
            if cited is None:
                raise ApplicationError.field(
                    "cited_document", f"There is no document {data['cited_document']} in this project."
                )
        provenance_set(span=evidence, kind=data["kind"], user=request.user, cited_document=cited,
                       cited_title=data["cited_title"], cited_url=data["cited_url"], note=data["note"])  # fmt: skip
        evidence.refresh_from_db()
        return Response(_provenance(access.span_access(user=request.user, pk=span)[0]))

    @extend_schema(responses={204: None, **ERRORS}, summary="Clear an evidence span's provenance")
    def delete(self, request, span):
        evidence, _ = access.span_access(user=request.user, pk=span, write=True)
        provenance_clear(span=evidence)
        return Response(status=status.HTTP_204_NO_CONTENT)


class FiguresView(APIView):
    @extend_schema(
        parameters=[
            PROJECT,
            OpenApiParameter("kind", str, enum=["outlet", "author"], description="Default outlet"),
        ],
        responses={200: FiguresSerializer(many=True), **ERRORS},
        summary="Per outlet or author: claim spans, distinct propositions, repetition rate, supported share",
    )
    def get(self, request):
        project_id = project_param(request)
        access.project_role(user=request.user, project_id=project_id)
        kind = request.query_params.get("kind") or "outlet"
        if kind not in selectors.SOURCE_FIGURES:
            raise ApplicationError.field("kind", "kind is outlet or author.")
        rows = selectors.source_figures(project_id=project_id, kind=kind)
        return Response(FiguresSerializer(rows, many=True).data)
