"""Writes to propositions: create, reword, link, unlink, merge, split, bulk-confirm.

Undoing a change is undo.py; a reviewer's decision on a link, adjudication.py.

Every operation is one transaction that also records a PropositionChange
holding what undoing it needs; django-simple-history records every row it
touches (who, when, before and after). Callers resolve permissions first
(access.py); rules that depend on the objects themselves are checked here,
with a message naming the field, and again by PostgreSQL (migration 0002).
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction

from annotator.annotations.models import Annotation, Layer, ReviewStatus
from annotator.core.errors import ApplicationError, Conflict
from annotator.projects.kinds import STATING_ROLES, kind_role
from annotator.projects.models import Project
from annotator.propositions.models import ChangeAction, Proposition, PropositionChange, PropositionLink
from annotator.reviews.services import layer_assert_editable

MAX_TEXT = 2000


def _clean_text(text: str) -> str:
    text = " ".join((text or "").split())
    if not text:
        raise ApplicationError.field("text", "The proposition needs a wording; it is empty.")
    if len(text) > MAX_TEXT:
        raise ApplicationError.field(
            "text", f"The wording is {len(text)} characters; the limit is {MAX_TEXT}."
        )
    return text


def _record(*, project_id: int, user, action: str, summary: str, propositions: Iterable[int], undo: dict):
    return PropositionChange.objects.create(
        project_id=project_id,
        user=user,
        action=action,
        summary=summary[:500],
        propositions=sorted(set(propositions)),
        undo=undo,
    )


def _assert_active(proposition: Proposition, field: str = "proposition") -> None:
    if proposition.merged_into_id is not None:
        raise ApplicationError.field(
            field, f"Proposition {proposition.pk} was merged into {proposition.merged_into_id}; use that one."
        )


def span_assert_can_state(span: Annotation, proposition: Proposition, field: str = "spans") -> None:
    if span.project_id != proposition.project_id:
        raise ApplicationError.field(
            field, f"Span {span.pk} belongs to another project than the proposition."
        )
    if kind_role(span.label.kind) not in STATING_ROLES:
        raise ApplicationError.field(
            field, f"Span {span.pk} is a {span.label.kind} span; only claims and evidence state propositions."
        )
    if span.status == ReviewStatus.REJECTED:
        raise ApplicationError.field(field, f"Span {span.pk} was rejected by a reviewer; it states nothing.")
    if span.layer == Layer.ANNOTATOR:
        layer_assert_editable(document=span.document, annotator=span.annotator)


@transaction.atomic
def proposition_create(*, project: Project, text: str, user, note: str = "", spans=()) -> Proposition:
    """A new proposition, optionally stated by ``spans`` at once (one undoable change)."""
    proposition = Proposition.objects.create(
        project=project, text=_clean_text(text), note=note, created_by=user
    )
    moved = _link_spans(proposition=proposition, spans=spans, user=user)
    _record(
        project_id=project.pk,
        user=user,
        action=ChangeAction.CREATE,
        summary=f"Created proposition {proposition.pk}: {proposition.text}",
        propositions=[proposition.pk, *(m["previous"] for m in moved if m["previous"])],
        undo={"proposition": proposition.pk, "links": moved},
    )
    return proposition


@transaction.atomic
def proposition_update(*, proposition: Proposition, user, version: int, text=None, note=None) -> Proposition:
    locked = Proposition.objects.select_for_update().get(pk=proposition.pk)
    _assert_active(locked)
    Conflict.check_version(
        locked,
        version,
        noun="proposition",
        current={"id": locked.pk, "version": locked.version, "text": locked.text},
    )
    before = {"text": locked.text, "note": locked.note}
    if text is not None:
        locked.text = _clean_text(text)
    if note is not None:
        locked.note = note
    locked.version += 1
    locked.save(update_fields=["text", "note", "version", "updated_at"])
    _record(
        project_id=locked.project_id,
        user=user,
        action=ChangeAction.EDIT,
        summary=f"Reworded proposition {locked.pk}: {locked.text}",
        propositions=[locked.pk],
        undo={"proposition": locked.pk, "before": before},
    )
    return locked


def link_insert(*, span: Annotation, proposition: Proposition, **fields) -> PropositionLink:
    """A new link of ``span``; its project, document, annotator and layer are the span's (the
    trigger of migration 0002 holds them to it). No checks: callers check first."""
    return PropositionLink.objects.create(
        project_id=span.project_id, proposition=proposition, annotation=span, document_id=span.document_id,
        annotator_id=span.annotator_id, layer=span.layer, **fields,
    )  # fmt: skip


def _link_spans(*, proposition: Proposition, spans, user) -> list[dict]:
    """Link each span to the proposition (moving it from another one). Returns what undo needs."""
    moved = []
    for span in spans:
        span_assert_can_state(span, proposition)
        link = PropositionLink.objects.select_for_update().filter(annotation=span).first()
        if link is None:
            link = link_insert(span=span, proposition=proposition, created_by=user)
            moved.append({"annotation": span.pk, "previous": None})
        elif link.proposition_id != proposition.pk:
            moved.append(
                {"annotation": span.pk, "previous": link.proposition_id, "status": link.status,
                 "status_reason": link.status_reason}
            )  # fmt: skip
            link.proposition = proposition
            link.status, link.status_reason = ReviewStatus.PENDING, ""
            link.version += 1
            link.save()
    return moved


@transaction.atomic
def links_create(*, proposition: Proposition, spans: list[Annotation], user) -> list[PropositionLink]:
    """State that each span restates the proposition; a span linked elsewhere moves (undoably)."""
    if not spans:
        raise ApplicationError.field("spans", "Name at least one span to link.")
    locked = Proposition.objects.select_for_update().get(pk=proposition.pk)
    _assert_active(locked)
    moved = _link_spans(proposition=locked, spans=spans, user=user)
    if moved:
        _record(
            project_id=locked.project_id,
            user=user,
            action=ChangeAction.LINK,
            summary=f"Linked span(s) {', '.join(str(m['annotation']) for m in moved)} to proposition {locked.pk}",
            propositions=[locked.pk, *(m["previous"] for m in moved if m["previous"])],
            undo={"proposition": locked.pk, "links": moved},
        )
    return list(PropositionLink.objects.filter(annotation__in=spans).order_by("id"))


def _link_snapshot(link: PropositionLink) -> dict:
    return {
        "annotation": link.annotation_id, "proposition": link.proposition_id, "status": link.status,
        "status_reason": link.status_reason, "created_by": link.created_by_id,
    }  # fmt: skip


@transaction.atomic
def link_delete(*, link: PropositionLink, user, version: int | None = None) -> None:
    """Unlink a span from its proposition (undoable)."""
    locked = (
        PropositionLink.objects.select_for_update().select_related("annotation__document").get(pk=link.pk)
    )
    Conflict.check_version(
        locked,
        version,
        noun="link",
        current={"id": locked.pk, "version": locked.version, "proposition": locked.proposition_id},
    )
    if locked.layer == Layer.ANNOTATOR:
        layer_assert_editable(document=locked.annotation.document, annotator=locked.annotation.annotator)
    snapshot = _link_snapshot(locked)
    locked.delete()
    _record(
        project_id=locked.project_id,
        user=user,
        action=ChangeAction.UNLINK,
        summary=f"Unlinked span {snapshot['annotation']} from proposition {snapshot['proposition']}",
        propositions=[snapshot["proposition"]],
        undo={"links": [snapshot]},
    )


@transaction.atomic
def proposition_merge(*, into: Proposition, others: list[Proposition], user) -> Proposition:
    """Move every link of ``others`` to ``into``; the others stay, marked merged (undoable)."""
    ids = sorted({p.pk for p in others} - {into.pk})
    if not ids:
        raise ApplicationError.field("propositions", "Name at least one other proposition to merge.")
    locked = {p.pk: p for p in Proposition.objects.select_for_update().filter(pk__in=[into.pk, *ids])}
    target = locked[into.pk]
    _assert_active(target, "into")
    for pk in ids:
        if locked[pk].project_id != target.project_id:
            raise ApplicationError.field("propositions", f"Proposition {pk} belongs to another project.")
        _assert_active(locked[pk], "propositions")
    moved = {}
    for link in PropositionLink.objects.select_for_update().filter(proposition_id__in=ids).order_by("id"):
        moved[str(link.pk)] = link.proposition_id
        link.proposition = target
        link.version += 1
        link.save()
    for pk in ids:
        merged = locked[pk]
        merged.merged_into = target
        merged.version += 1
        merged.save(update_fields=["merged_into", "version", "updated_at"])
    _record(
        project_id=target.project_id,
        user=user,
        action=ChangeAction.MERGE,
        summary=f"Merged proposition(s) {', '.join(map(str, ids))} into {target.pk}",
        propositions=[target.pk, *ids],
        undo={"into": target.pk, "merged": ids, "links": moved},
    )
    return target


@transaction.atomic
def proposition_split(
    *, proposition: Proposition, links: list[PropositionLink], text: str, user
) -> Proposition:
    """Move ``links`` of ``proposition`` to a new proposition worded ``text`` (undoable)."""
    locked = Proposition.objects.select_for_update().get(pk=proposition.pk)
    _assert_active(locked)
    if not links:
        raise ApplicationError.field("links", "Name the links that move to the new proposition.")
    strangers = [link.pk for link in links if link.proposition_id != locked.pk]
    if strangers:
        raise ApplicationError.field(
            "links", f"Link(s) {', '.join(map(str, strangers))} do not state proposition {locked.pk}."
        )
    new = Proposition.objects.create(project_id=locked.project_id, text=_clean_text(text), created_by=user)
    ids = sorted(link.pk for link in links)
    for link in PropositionLink.objects.select_for_update().filter(pk__in=ids):
        link.proposition = new
        link.version += 1
        link.save()
    _record(
        project_id=locked.project_id,
        user=user,
        action=ChangeAction.SPLIT,
        summary=f"Split link(s) {', '.join(map(str, ids))} of proposition {locked.pk} into new proposition {new.pk}",
        propositions=[locked.pk, new.pk],
        undo={"from": locked.pk, "new": new.pk, "links": ids},
    )
    return new


@transaction.atomic
def repeats_confirm(*, project: Project, groups: list[dict], user) -> list[Proposition]:
    """Confirm likely repeats in bulk: each group's spans state one proposition.

    A group names ``spans`` and either an existing ``proposition`` or a ``text`` for
    a new one (default: the wording of its first span). One change per group.
    """
    if not groups:
        raise ApplicationError.field("groups", "Confirm at least one group.")
    done = []
    for index, group in enumerate(groups):
        spans = group["spans"]
        where = f"groups[{index}]"
        if len(spans) < 1:
            raise ApplicationError.field(f"{where}.spans", f"{where}: name the spans that repeat each other.")
        try:
            if group.get("proposition") is not None:
                proposition = group["proposition"]
                if proposition.project_id != project.pk:
                    raise ApplicationError.field("proposition", "The proposition belongs to another project.")
                links_create(proposition=proposition, spans=spans, user=user)
            else:
                text = group.get("text") or spans[0].quote
                proposition = proposition_create(project=project, text=text, user=user, spans=spans)
        except ApplicationError as exc:
            raise ApplicationError(f"{where}: {exc.message}", errors={where: [exc.message]}) from None
        done.append(proposition)
    return done
