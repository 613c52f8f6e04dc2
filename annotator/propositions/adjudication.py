"""A reviewer's decision on an annotator's proposition link, as for spans."""

from __future__ import annotations

from django.db import transaction

from annotator.annotations.models import Annotation, Layer, ReviewStatus
from annotator.core.errors import ApplicationError
from annotator.projects.models import Role
from annotator.projects.selectors import role_at_least
from annotator.propositions.models import PropositionLink
from annotator.propositions.services import links_create


@transaction.atomic
def link_review(
    *, link: PropositionLink, reviewer, role: str, decision: str, reason: str = ""
) -> PropositionLink:
    """A reviewer's decision on an annotator's link, as for spans: accept (copied into the gold
    layer when the gold layer has the same span) or reject with a reason."""
    if not role_at_least(role, Role.REVIEWER):
        raise ApplicationError.field("decision", "Only reviewers and managers adjudicate links.")
    if decision not in ("accept", "reject"):
        raise ApplicationError.field("decision", f"Unknown decision {decision!r}; use accept or reject.")
    if decision == "reject" and not reason.strip():
        raise ApplicationError.field("reason", "Say why the link is rejected; the annotator sees the reason.")
    locked = (
        PropositionLink.objects.select_for_update()
        .select_related("annotation", "proposition")
        .get(pk=link.pk)
    )
    locked.status = ReviewStatus.ACCEPTED if decision == "accept" else ReviewStatus.REJECTED
    locked.status_reason = reason.strip()
    locked.version += 1
    locked.save()
    if decision == "accept" and locked.layer == Layer.ANNOTATOR:
        span = locked.annotation
        gold = (
            Annotation.objects.select_related("label", "document")
            .filter(
                document_id=span.document_id,
                layer=Layer.GOLD,
                start=span.start,
                end=span.end,
                label_id=span.label_id,
            )  # fmt: skip
            .exclude(status=ReviewStatus.REJECTED)
            .first()
        )
        proposition = locked.proposition
        if gold is not None and proposition.merged_into_id is None:
            current = PropositionLink.objects.filter(annotation=gold).first()
            if current is None or current.proposition_id != proposition.pk:
                links_create(proposition=proposition, spans=[gold], user=reviewer)
    return locked
