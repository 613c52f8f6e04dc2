"""Undoing one recorded PropositionChange, refused while a later change to the same
propositions still stands (so an undo never silently overwrites later work)."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from annotator.annotations.models import Annotation, ReviewStatus
from annotator.core.errors import ApplicationError
from annotator.propositions.models import ChangeAction, Proposition, PropositionChange, PropositionLink
from annotator.propositions.services import link_insert, span_assert_can_state


def _undo_links(moved: list[dict], proposition_id: int) -> None:
    for item in moved:
        link = PropositionLink.objects.select_for_update().filter(annotation_id=item["annotation"]).first()
        if link is None or link.proposition_id != proposition_id:
            continue
        if item["previous"] is None:
            link.delete()
        else:
            link.proposition_id = item["previous"]
            link.status, link.status_reason = (
                item.get("status", ReviewStatus.PENDING),
                item.get("status_reason", ""),
            )
            link.version += 1
            link.save()


def _undo_create(change: PropositionChange) -> None:
    data = change.undo
    _undo_links(data["links"], data["proposition"])
    proposition = Proposition.objects.select_for_update().get(pk=data["proposition"])
    if proposition.links.exists():
        raise ApplicationError.field(
            "change",
            f"Proposition {proposition.pk} has links made since; unlink them before undoing its creation.",
        )
    proposition.delete()


def _undo_edit(change: PropositionChange) -> None:
    proposition = Proposition.objects.select_for_update().get(pk=change.undo["proposition"])
    proposition.text, proposition.note = change.undo["before"]["text"], change.undo["before"]["note"]
    proposition.version += 1
    proposition.save(update_fields=["text", "note", "version", "updated_at"])


def _undo_link(change: PropositionChange) -> None:
    _undo_links(change.undo["links"], change.undo["proposition"])


def _undo_unlink(change: PropositionChange) -> None:
    for item in change.undo["links"]:
        span = (
            Annotation.objects.select_related("label", "document", "annotator")
            .filter(pk=item["annotation"])
            .first()
        )
        if span is None:
            raise ApplicationError.field(
                "change", f"Span {item['annotation']} was deleted since; nothing to relink."
            )
        if PropositionLink.objects.filter(annotation=span).exists():
            raise ApplicationError.field("change", f"Span {span.pk} was linked again since; unlink it first.")
        proposition = Proposition.objects.get(pk=item["proposition"])
        span_assert_can_state(span, proposition, field="change")
        link_insert(
            span=span, proposition=proposition, status=item["status"], status_reason=item["status_reason"],
            created_by_id=item["created_by"],
        )  # fmt: skip


def _undo_merge(change: PropositionChange) -> None:
    # Reactivate first: PostgreSQL refuses links to a merged-away proposition.
    for merged in Proposition.objects.select_for_update().filter(pk__in=change.undo["merged"]):
        merged.merged_into = None
        merged.version += 1
        merged.save(update_fields=["merged_into", "version", "updated_at"])
    for link_id, original in change.undo["links"].items():
        link = PropositionLink.objects.select_for_update().filter(pk=int(link_id)).first()
        if link is not None and link.proposition_id == change.undo["into"]:
            link.proposition_id = original
            link.version += 1
            link.save()


def _undo_split(change: PropositionChange) -> None:
    for link in PropositionLink.objects.select_for_update().filter(
        pk__in=change.undo["links"], proposition_id=change.undo["new"]
    ):
        link.proposition_id = change.undo["from"]
        link.version += 1
        link.save()
    new = Proposition.objects.select_for_update().get(pk=change.undo["new"])
    if new.links.exists():
        raise ApplicationError.field(
            "change", f"Proposition {new.pk} has links made since; unlink them before undoing the split."
        )
    new.delete()


UNDO = {
    ChangeAction.CREATE: _undo_create,
    ChangeAction.EDIT: _undo_edit,
    ChangeAction.LINK: _undo_link,
    ChangeAction.UNLINK: _undo_unlink,
    ChangeAction.MERGE: _undo_merge,
    ChangeAction.SPLIT: _undo_split,
}


@transaction.atomic
def change_undo(*, change: PropositionChange, user) -> PropositionChange:
    """Revert one change. Refused when a later change that still stands touched the same propositions:
    undo that one first (so an undo never silently overwrites later work)."""
    locked = PropositionChange.objects.select_for_update().get(pk=change.pk)
    if locked.undone_at is not None:
        raise ApplicationError.field("change", f"Change {locked.pk} was already undone.")
    later = (
        PropositionChange.objects.filter(
            project_id=locked.project_id,
            pk__gt=locked.pk,
            undone_at__isnull=True,
            propositions__overlap=locked.propositions,
        )  # fmt: skip
        .order_by("-pk")
        .first()
    )
    if later is not None:
        raise ApplicationError.field(
            "change",
            f"Change {later.pk} ({later.summary}) came later and touches the same propositions; undo it first.",
        )
    UNDO[ChangeAction(locked.action)](locked)
    locked.undone_at, locked.undone_by = timezone.now(), user
    locked.save(update_fields=["undone_at", "undone_by"])
    return locked
