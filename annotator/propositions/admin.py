"""Back office for propositions: lists scoped to the projects the staff user manages.

Nothing is edited through forms: adjudicating links and undoing changes call the
same services as the pages and the API, one item at a time, so rules and history apply.
"""

from __future__ import annotations

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from annotator.projects.admin_scoping import ManagedProjectsMixin, ReasonForm, intermediate, run_each
from annotator.projects.models import Role
from annotator.propositions.adjudication import link_review
from annotator.propositions.models import EvidenceProvenance, Proposition, PropositionChange, PropositionLink
from annotator.propositions.undo import change_undo


@admin.register(Proposition)
class PropositionAdmin(ManagedProjectsMixin, SimpleHistoryAdmin):
    read_only = True
    list_display = ("id", "project", "text", "merged_into", "created_by", "updated_at")
    list_filter = (("project", admin.RelatedOnlyFieldListFilter),)
    search_fields = ("text", "note")
    list_select_related = ("project", "created_by")


@admin.action(description="Accept selected links (copied onto matching gold spans)")
def accept_links(modeladmin, request, queryset):
    run_each(modeladmin, request, queryset, "Accepted",
             lambda link: link_review(link=link, reviewer=request.user, role=Role.MANAGER, decision="accept"))  # fmt: skip


@admin.action(description="Reject selected links (asks for the reason)")
def reject_links(modeladmin, request, queryset):
    return intermediate(
        modeladmin, request, queryset, form_class=ReasonForm, title="Reject", action="reject_links", verb="Rejected",
        call=lambda link, data: link_review(link=link, reviewer=request.user, role=Role.MANAGER, decision="reject",
                                            reason=data["reason"]),
    )  # fmt: skip


@admin.register(PropositionLink)
class PropositionLinkAdmin(ManagedProjectsMixin, SimpleHistoryAdmin):
    read_only = True
    list_display = ("id", "proposition", "annotation", "document", "annotator", "layer", "status")
    list_filter = ("layer", "status", ("project", admin.RelatedOnlyFieldListFilter))
    list_select_related = ("proposition", "annotation", "document", "annotator")
    actions = [accept_links, reject_links]


@admin.register(EvidenceProvenance)
class EvidenceProvenanceAdmin(ManagedProjectsMixin, SimpleHistoryAdmin):
    read_only = True
    list_display = ("annotation", "kind", "cited_document", "set_by", "updated_at")
    list_filter = ("kind", ("project", admin.RelatedOnlyFieldListFilter))
    list_select_related = ("annotation", "cited_document", "set_by")


@admin.action(description="Undo selected changes (latest first)")
def undo_changes(modeladmin, request, queryset):
    run_each(modeladmin, request, queryset.order_by("-pk"), "Undone",
             lambda change: change_undo(change=change, user=request.user))  # fmt: skip


@admin.register(PropositionChange)
class PropositionChangeAdmin(ManagedProjectsMixin, admin.ModelAdmin):
    read_only = True
    list_display = ("id", "project", "action", "summary", "user", "created_at", "undone_at")
    list_filter = ("action", ("project", admin.RelatedOnlyFieldListFilter))
    list_select_related = ("project", "user")
    actions = [undo_changes]
