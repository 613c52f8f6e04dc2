"""Reviewers' POST actions on one document: accept, reject or correct a span or relation,
copy into and edit the gold layer, recompute agreement."""

from __future__ import annotations

from annotator.access import access_project, access_project_row
from annotator.annotations.models import Annotation, Relation
from annotator.documents.models import Document
from annotator.projects.models import Role
from annotator.projects.selectors import project_label_get
from annotator.reviews import accept_agreed, adjudication, decisions
from annotator.reviews.agreement_services import agreement_document_compute
from annotator.reviews.views.params import int_param
from annotator.reviews.views.post_actions import action


@action
def annotation_decide(request, pk, decision):
    span = access_project_row(Annotation, request.user, pk, noun="Span")
    if decision == "gold":
        adjudication.gold_accept_annotation(annotation=span, reviewer=request.user)
        return f"Copied {span.label.code} “{span.quote[:40]}” into the gold layer."
    if decision == "correct":
        changes = {}
        for name in ("start", "end"):
            if request.POST.get(name, "") != "":
                changes[name] = int_param(request.POST[name], name)
        if request.POST.get("label"):
            changes["label"] = project_label_get(project_id=span.project_id, label_id=request.POST["label"])
        decisions.annotation_correct(
            annotation=span, reviewer=request.user, reason=request.POST.get("reason", ""), **changes
        )
        return "Correction written to the gold layer; the original is kept."
    decisions.annotation_review(
        annotation=span, reviewer=request.user, decision=decision, reason=request.POST.get("reason", "")
    )
    verb = "Rejected" if decision == "reject" else "Accepted"
    return f"{verb} {span.annotator.username}'s {span.label.code} “{span.quote[:40]}”."


@action
def relation_decide(request, pk, decision):
    relation = access_project_row(Relation, request.user, pk, noun="Relation")
    if decision == "gold":
        adjudication.gold_accept_relation(relation=relation, reviewer=request.user)
        return "Relation copied into the gold layer."
    if decision == "correct":
        decisions.relation_correct(
            relation=relation,
            reviewer=request.user,
            type=request.POST.get("type", ""),
            reason=request.POST.get("reason", ""),
        )
        return "Corrected relation written to the gold layer; the original is kept."
    decisions.relation_review(
        relation=relation, reviewer=request.user, decision=decision, reason=request.POST.get("reason", "")
    )
    return "Relation rejected." if decision == "reject" else "Relation accepted."


@action
def gold_agreed(request, pk):
    doc = access_project_row(Document, request.user, pk, noun="Document")
    result = accept_agreed.gold_accept_agreed(document=doc, reviewer=request.user)
    message = f"Accepted {result['spans']} agreed span(s) and {result['relations']} relation(s) into gold."
    if result["already_spans"] or result["already_relations"]:
        message += (
            f" {result['already_spans']} span(s) and {result['already_relations']} relation(s)"
            " were accepted before."
        )
    return message


@action
def gold_add(request, pk):
    doc = access_project_row(Document, request.user, pk, noun="Document")
    label = project_label_get(project_id=doc.project_id, label_id=request.POST.get("label"))
    span = adjudication.gold_add(
        document=doc,
        reviewer=request.user,
        start=int_param(request.POST.get("start"), "start"),
        end=int_param(request.POST.get("end"), "end"),
        label=label,
    )
    return f"Added {label.code} “{span.quote[:40]}” to the gold layer."


@action
def gold_edit(request, pk):
    span = access_project_row(Annotation, request.user, pk, noun="Span")
    if request.POST.get("delete"):
        adjudication.gold_delete(
            annotation=span, reviewer=request.user, version=int_param(request.POST.get("version"), "version")
        )
        return f"Deleted gold {span.label.code} “{span.quote[:40]}”."
    span = adjudication.gold_update(
        annotation=span,
        reviewer=request.user,
        version=int_param(request.POST.get("version"), "version"),
        start=int_param(request.POST.get("start"), "start"),
        end=int_param(request.POST.get("end"), "end"),
    )
    return f"Gold {span.label.code} now reads “{span.quote[:60]}”."


@action
def agreement_compute(request, pk):
    doc = access_project_row(Document, request.user, pk, noun="Document")
    access_project(user=request.user, project_id=doc.project_id, minimum=Role.REVIEWER)
    row = agreement_document_compute(document=doc)
    return f"Agreement recomputed: alpha {row.alpha if row.alpha is not None else '—'}."
