"""A document's history written for people: who did what to which span, one action at a time.

simple-history records one row per saved object. A person's action (accept all
agreed, copy to gold, approve) saves several rows within one request, so rows
by the same person less than ``ACTION_GAP`` apart are read as one action. Each
row becomes a sentence naming the span by its label and quote; each action
can be undone as a whole: every object it touched goes back to the values it
had just before the action (objects it created are deleted, objects it
deleted come back).
"""

from __future__ import annotations

import datetime
from collections import Counter
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Q

from annotator.access import access_project
from annotator.annotations.models import Annotation, Relation
from annotator.annotations.relation_services import relation_delete
from annotator.annotations.services import annotation_delete
from annotator.core.errors import ApplicationError
from annotator.projects.models import Label, Role
from annotator.reviews.history import MODELS, history_restore
from annotator.reviews.models import Assignment, AssignmentState

ACTION_GAP = datetime.timedelta(seconds=2)
KINDS = {"spans": "annotation", "relations": "relation", "assignments": "assignment"}


@dataclass
class Line:
    model: str
    object_id: int
    history_id: int
    date: datetime.datetime
    user_id: int | None
    user: str
    verb: str
    text: str


@dataclass
class Action:
    user_id: int | None
    user: str
    started: datetime.datetime
    lines: list[Line] = field(default_factory=list)

    @property
    def summary(self) -> str:
        counts = Counter(line.verb for line in self.lines)
        return ", ".join(f"{verb} {n}" if n > 1 else verb for verb, n in counts.most_common())

    @property
    def items(self) -> str:
        """What undo needs: model:history_id of every row, comma-separated."""
        return ",".join(f"{line.model}:{line.history_id}" for line in self.lines)


def _q(text: str, limit: int = 70) -> str:
    text = " ".join((text or "").split())
    return f"“{text[:limit]}{'…' if len(text) > limit else ''}”"


class _Namer:
    """Spans named by label and quote, people by username, across the document's history."""

    def __init__(self, document):
        self.labels = dict(Label.objects.filter(project_id=document.project_id).values_list("id", "code"))
        self.spans = {
            r.id: (self.labels.get(r.label_id, "?"), r.quote)
            for r in Annotation.history.filter(document_id=document.pk).order_by("history_date", "history_id")
        }
        from django.contrib.auth import get_user_model

        assignments = Assignment.history.filter(document_id=document.pk)
        ids = set(assignments.values_list("annotator_id", flat=True))
        ids |= set(assignments.exclude(reviewed_by_id=None).values_list("reviewed_by_id", flat=True))
        ids |= set(assignments.exclude(assigned_by_id=None).values_list("assigned_by_id", flat=True))
        ids |= set(Annotation.history.filter(document_id=document.pk).values_list("annotator_id", flat=True))
        self.users = dict(get_user_model().objects.filter(pk__in=ids).values_list("pk", "username"))

    def span(self, span_id) -> str:
        label, quote = self.spans.get(span_id, ("span", ""))
        return f"{label} {_q(quote)}"

    def whose(self, record, actor_id) -> str:
        if getattr(record, "layer", "annotator") == "gold":
            return "the gold layer"
        if record.annotator_id == actor_id:
            return "their own layer"
        return f"{self.users.get(record.annotator_id, 'someone')}'s layer"


def _annotation_line(record, before, namer: _Namer, actor_id) -> tuple[str, str]:
    label = namer.labels.get(record.label_id, "?")
    where = namer.whose(record, actor_id)
    if record.history_type == "+":
        if record.layer == "gold" and record.origin_id:
            return "copied to gold", f"copied {label} {_q(record.quote)} into the gold layer"
        return "added", f"added {label} {_q(record.quote)} to {where}"
    if record.history_type == "-":
        return "deleted", f"deleted {label} {_q(record.quote)} from {where}"
    if before is None:
        return "changed", f"changed {label} {_q(record.quote)} in {where}"
    if before.status != record.status:
        reason = f" (“{record.status_reason}”)" if record.status_reason else ""
        owner = namer.users.get(record.annotator_id, "someone")
        return record.status, f"{record.status} {owner}'s {label} {_q(record.quote)}{reason}"
    if (before.start, before.end) != (record.start, record.end):
        return (
            "moved",
            f"moved the boundaries of {label} {_q(before.quote, 40)} → {_q(record.quote)} in {where}",
        )
    if before.label_id != record.label_id:
        old = namer.labels.get(before.label_id, "?")
        return "relabelled", f"relabelled {_q(record.quote)} from {old} to {label} in {where}"
    return "edited", f"edited the note of {label} {_q(record.quote)} in {where}"


def _relation_line(record, before, namer: _Namer, actor_id) -> tuple[str, str]:
    target = namer.span(record.target_id) if record.target_id else "a speaker"
    link = f"{namer.span(record.source_id)} {record.type.replace('_', ' ')} {target}"
    where = namer.whose(record, actor_id)
    if record.history_type == "+":
        if record.layer == "gold" and record.origin_id:
            return "copied link", f"copied the link {link} into the gold layer"
        return "linked", f"linked {link} in {where}"
    if record.history_type == "-":
        return "unlinked", f"removed the link {link} from {where}"
    if before is not None and before.status != record.status:
        owner = namer.users.get(record.annotator_id, "someone")
        return f"{record.status} link", f"{record.status} {owner}'s link {link}"
    return "changed link", f"changed the link {link} in {where}"


def _assignment_line(record, before, namer: _Namer, actor_id) -> tuple[str, str]:
    who = namer.users.get(record.annotator_id, "someone")
    if record.history_type == "+":
        if record.annotator_id == actor_id:
            return "started", "started work on the document"
        return "assigned", f"assigned the document to {who}"
    if record.history_type == "-":
        return "unassigned", f"took the document from {who}"
    state = record.state
    if before is not None and before.state == state:
        return "updated", f"updated {who}'s assignment"
    if state == AssignmentState.SUBMITTED:
        return "submitted", "submitted their layer for review" if record.annotator_id == actor_id else (
            f"marked {who}'s layer submitted"
        )
    if state == AssignmentState.APPROVED:
        return "approved", f"approved {who}'s layer"
    if state == AssignmentState.CHANGES_REQUESTED:
        return "sent back", f"sent {who}'s layer back: “{record.reason}”"
    if state == AssignmentState.IN_PROGRESS:
        return "started", (
            "started work on their layer" if record.annotator_id == actor_id else f"reopened {who}'s layer"
        )
    return "updated", f"set {who}'s layer to {AssignmentState(state).label.lower()}"


def _implied_actor(model: str, record) -> int | None:
    """Who a row recorded outside a request (a command, a task) was written for."""
    if model != "assignment":
        return record.annotator_id
    if record.state in (AssignmentState.APPROVED, AssignmentState.CHANGES_REQUESTED):
        return record.reviewed_by_id
    if record.history_type == "+" and record.assigned_by_id:
        return record.assigned_by_id
    return record.annotator_id


LINES = {"annotation": _annotation_line, "relation": _relation_line, "assignment": _assignment_line}


def document_history_actions(
    *, document, user, person: int | None = None, kind: str | None = None,
    since: datetime.date | None = None, until: datetime.date | None = None,
) -> list[Action]:  # fmt: skip
    """The document's history as actions, newest first, optionally only one person's, one kind
    of item's (spans, relations, assignments) or those between two dates (inclusive)."""
    access_project(user=user, project_id=document.project_id, minimum=Role.REVIEWER)
    if kind and kind not in KINDS:
        raise ApplicationError.field("kind", f"Kind must be one of {', '.join(KINDS)}, not {kind!r}.")
    namer = _Namer(document)
    lines: list[Line] = []
    for model, manager in MODELS.items():
        if kind and KINDS[kind] != model:
            continue
        records = (
            manager.history.filter(document_id=document.pk)
            .select_related("history_user")
            .order_by("id", "history_date", "history_id")
        )
        previous: dict[int, object] = {}
        for record in records:
            before = previous.get(record.id)
            previous[record.id] = record
            actor = record.history_user_id or _implied_actor(model, record)
            verb, text = LINES[model](record, before, namer, actor)
            name = (
                record.history_user.username if record.history_user_id else namer.users.get(actor, "system")
            )
            lines.append(
                Line(model, record.id, record.history_id, record.history_date, actor, name, verb, text)
            )
    lines.sort(key=lambda line: (line.date, line.history_id))
    actions: list[Action] = []
    for line in lines:
        last = actions[-1] if actions else None
        if last and last.user_id == line.user_id and line.date - last.lines[-1].date <= ACTION_GAP:
            last.lines.append(line)
        else:
            actions.append(Action(line.user_id, line.user, line.date, [line]))
    if person:
        actions = [a for a in actions if a.user_id == person]
    if since:
        actions = [a for a in actions if a.started.date() >= since]
    if until:
        actions = [a for a in actions if a.started.date() <= until]
    actions.reverse()
    return actions


def _parse_items(items: str) -> list[tuple[str, int]]:
    parsed = []
    for item in (items or "").split(","):
        model, _, history_id = item.partition(":")
        if model not in MODELS or not history_id.isdigit():
            raise ApplicationError.field("items", f"Cannot undo {item!r}: expected model:history_id.")
        parsed.append((model, int(history_id)))
    if not parsed:
        raise ApplicationError.field("items", "Name the action to undo.")
    return parsed


@transaction.atomic
def history_action_undo(*, document, items: str, manager) -> int:
    """Put every object one action touched back as it was just before the action.

    Objects the action created are deleted (links before spans), the others get the values
    of their last history row before the action, through the ordinary restore (which brings a
    reason back only with the state it explains). Returns the number of objects changed.
    """
    access_project(user=manager, project_id=document.project_id, minimum=Role.MANAGER)
    first: dict[tuple[str, int], object] = {}
    for model, history_id in _parse_items(items):
        record = MODELS[model].history.filter(history_id=history_id, document_id=document.pk).first()
        if record is None:
            raise ApplicationError.field("items", f"History entry {history_id} is not in this document.")
        key = (model, record.id)
        if key not in first or (record.history_date, record.history_id) < (
            first[key].history_date,
            first[key].history_id,
        ):
            first[key] = record
    changed = 0
    # Links go before the spans they join; spans come back before links that need them.
    order = {"relation": 0, "annotation": 1, "assignment": 2}
    for (model, object_id), record in sorted(first.items(), key=lambda kv: order[kv[0][0]]):
        prior = (
            MODELS[model]
            .history.filter(id=object_id)
            .filter(
                Q(history_date__lt=record.history_date)
                | Q(history_date=record.history_date, history_id__lt=record.history_id)
            )
            .order_by("-history_date", "-history_id")
            .first()
        )
        current = MODELS[model].objects.filter(pk=object_id).first()
        if prior is None or prior.history_type == "-":
            if current is not None:
                _delete(model, current)
                changed += 1
            continue
        history_restore(model=model, history_id=prior.history_id, manager=manager)
        changed += 1
    return changed


def _delete(model: str, item) -> None:
    if model == "annotation":
        for relation in Relation.objects.filter(Q(source=item) | Q(target=item)):
            relation_delete(relation=relation)
        annotation_delete(annotation=item)
    elif model == "relation":
        relation_delete(relation=item)
    else:
        item.delete()
