"""Linking rules: project scope, layers, permissions, history, merge/split, undo, adjudication."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, transaction

from annotator.annotations.models import Layer, ReviewStatus
from annotator.core.errors import ApplicationError, NotFound, PermissionDenied
from annotator.projects.models import Role
from annotator.propositions import access
from annotator.propositions.adjudication import link_review
from annotator.propositions.models import ChangeAction, Proposition, PropositionChange, PropositionLink
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
from annotator.reviews.models import AssignmentState
from annotator.reviews.services import assignment_submit
from tests.factories import AnnotationFactory, AssignmentFactory, DocumentFactory, ProjectFactory, member

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    project = ProjectFactory()
    annotator = member(project, Role.ANNOTATOR)
    other = member(project, Role.ANNOTATOR)
    reviewer = member(project, Role.REVIEWER)
    docs = [DocumentFactory(project=project) for _ in range(3)]
    mine = [AnnotationFactory(document=d, annotator=annotator, start=0, end=8) for d in docs]
    theirs = AnnotationFactory(document=docs[0], annotator=other, start=0, end=8)
    gold = [AnnotationFactory(document=d, annotator=reviewer, layer=Layer.GOLD, start=0, end=8) for d in docs]
    return {"project": project, "annotator": annotator, "other": other, "reviewer": reviewer, "docs": docs,
            "mine": mine, "theirs": theirs, "gold": gold}  # fmt: skip


def test_spans_of_several_documents_state_one_proposition(world):
    p = proposition_create(project=world["project"], text="  The claim   holds ", user=world["annotator"],
                           spans=world["mine"])  # fmt: skip
    assert p.text == "The claim holds"
    links = PropositionLink.objects.filter(proposition=p).order_by("document_id")
    assert [link.document_id for link in links] == [d.pk for d in world["docs"]]
    assert {(link.layer, link.annotator_id) for link in links} == {(Layer.ANNOTATOR, world["annotator"].pk)}
    change = PropositionChange.objects.get()
    assert (change.action, change.propositions, change.user) == (
        ChangeAction.CREATE,
        [p.pk],
        world["annotator"],
    )


def test_only_claims_and_evidence_state_propositions_in_the_service_and_the_database(world):
    hedge = AnnotationFactory(document=world["docs"][0], annotator=world["annotator"], start=9, end=14,
                              label_code="HEDGE")  # fmt: skip
    p = proposition_create(project=world["project"], text="P", user=world["annotator"])
    with pytest.raises(ApplicationError) as exc:
        links_create(proposition=p, spans=[hedge], user=world["annotator"])
    assert exc.value.errors == {
        "spans": [f"Span {hedge.pk} is a hedge span; only claims and evidence state propositions."]
    }
    with pytest.raises(IntegrityError, match="proplink_claim_or_evidence"), transaction.atomic():
        PropositionLink.objects.create(project=world["project"], proposition=p, annotation=hedge,
                                       document=hedge.document, annotator=hedge.annotator, layer=hedge.layer)  # fmt: skip


def test_a_span_of_another_project_is_refused_and_the_database_refuses_it_too(world):
    stranger = AnnotationFactory()
    p = proposition_create(project=world["project"], text="P", user=world["annotator"])
    with pytest.raises(ApplicationError, match=f"Span {stranger.pk} belongs to another project"):
        links_create(proposition=p, spans=[stranger], user=world["annotator"])
    with pytest.raises(IntegrityError, match="proplink_proposition_project_fk"), transaction.atomic():
        PropositionLink.objects.create(project=stranger.project, proposition=p, annotation=stranger,
                                       document=stranger.document, annotator=stranger.annotator, layer="annotator")  # fmt: skip


def test_a_link_must_carry_its_spans_layer(world):
    p = proposition_create(project=world["project"], text="P", user=world["annotator"])
    span = world["mine"][0]
    with pytest.raises(IntegrityError, match="proplink_same_layer_fk"), transaction.atomic():
        PropositionLink.objects.create(project=world["project"], proposition=p, annotation=span,
                                       document=span.document, annotator=world["reviewer"], layer=Layer.GOLD)  # fmt: skip


def test_non_members_get_404_and_annotators_write_only_their_own_layer(world):
    outsider = member(ProjectFactory())
    with pytest.raises(NotFound):
        access.span_access(user=outsider, pk=world["mine"][0].pk)
    with pytest.raises(NotFound):
        access.project_get(user=outsider, project_id=world["project"].pk)
    p = proposition_create(
        project=world["project"], text="P", user=world["annotator"], spans=[world["mine"][0]]
    )
    with pytest.raises(NotFound):
        access.proposition_access(user=outsider, pk=p.pk)
    # Another annotator's span is invisible (404), the gold layer is not writable (403) for annotators.
    with pytest.raises(NotFound):
        access.span_access(user=world["annotator"], pk=world["theirs"].pk)
    with pytest.raises(NotFound):
        access.span_access(user=world["annotator"], pk=world["gold"][0].pk, write=True)
    link = PropositionLink.objects.get(proposition=p)
    with pytest.raises(NotFound):
        access.link_access(user=world["other"], pk=link.pk)
    span, _ = access.span_access(user=world["reviewer"], pk=world["gold"][0].pk, write=True)
    assert span == world["gold"][0]
    with pytest.raises(PermissionDenied, match="You can change only your own layer"):
        access.span_access(user=world["reviewer"], pk=world["mine"][0].pk, write=True)


def test_a_submitted_layer_is_read_only_for_links(world):
    AssignmentFactory(
        document=world["docs"][1], annotator=world["annotator"], state=AssignmentState.IN_PROGRESS
    )
    assignment_submit(document=world["docs"][1], annotator=world["annotator"])
    p = proposition_create(project=world["project"], text="P", user=world["annotator"])
    with pytest.raises(ApplicationError, match="read-only until a reviewer sends it back"):
        links_create(proposition=p, spans=[world["mine"][1]], user=world["annotator"])


def test_merge_moves_every_link_keeps_history_and_undo_restores_it(world):
    p = proposition_create(
        project=world["project"], text="P", user=world["reviewer"], spans=world["gold"][:2]
    )
    q = proposition_create(
        project=world["project"], text="Q", user=world["reviewer"], spans=world["gold"][2:]
    )
    merged = proposition_merge(into=p, others=[q], user=world["reviewer"])
    q.refresh_from_db()
    assert q.merged_into_id == p.pk and merged.pk == p.pk
    assert set(PropositionLink.objects.values_list("proposition_id", flat=True)) == {p.pk}
    link = PropositionLink.objects.get(annotation=world["gold"][2])
    assert [h.proposition_id for h in link.history.order_by("history_id")] == [q.pk, p.pk]
    with pytest.raises(ApplicationError, match=f"Proposition {q.pk} was merged into {p.pk}"):
        links_create(proposition=q, spans=[world["gold"][0]], user=world["reviewer"])
    change = PropositionChange.objects.get(action=ChangeAction.MERGE)
    change_undo(change=change, user=world["reviewer"])
    q.refresh_from_db()
    assert q.merged_into_id is None
    assert PropositionLink.objects.get(annotation=world["gold"][2]).proposition_id == q.pk
    assert PropositionLink.objects.get(annotation=world["gold"][0]).proposition_id == p.pk


def test_split_moves_the_named_links_to_a_new_proposition_and_undo_folds_them_back(world):
    p = proposition_create(project=world["project"], text="P", user=world["reviewer"], spans=world["gold"])
    moving = list(PropositionLink.objects.filter(annotation__in=world["gold"][1:]))
    new = proposition_split(proposition=p, links=moving, text="P, narrower", user=world["reviewer"])
    assert sorted(new.links.values_list("annotation_id", flat=True)) == sorted(
        s.pk for s in world["gold"][1:]
    )
    assert list(p.links.values_list("annotation_id", flat=True)) == [world["gold"][0].pk]
    change_undo(change=PropositionChange.objects.get(action=ChangeAction.SPLIT), user=world["reviewer"])
    assert not Proposition.objects.filter(pk=new.pk).exists()
    assert p.links.count() == 3


def test_undo_refuses_while_a_later_change_touches_the_same_proposition(world):
    p = proposition_create(
        project=world["project"], text="P", user=world["reviewer"], spans=world["gold"][:1]
    )
    created = PropositionChange.objects.get(action=ChangeAction.CREATE)
    links_create(proposition=p, spans=world["gold"][1:2], user=world["reviewer"])
    later = PropositionChange.objects.get(action=ChangeAction.LINK)
    with pytest.raises(ApplicationError) as exc:
        change_undo(change=created, user=world["reviewer"])
    assert exc.value.errors["change"] == [
        f"Change {later.pk} ({later.summary}) came later and touches the same propositions; undo it first."
    ]
    change_undo(change=later, user=world["reviewer"])
    change_undo(change=created, user=world["reviewer"])
    assert not Proposition.objects.exists() and not PropositionLink.objects.exists()
    with pytest.raises(ApplicationError, match="already undone"):
        change_undo(change=later, user=world["reviewer"])


def test_unlink_and_its_undo_restore_the_link_with_its_review_state(world):
    p = proposition_create(
        project=world["project"], text="P", user=world["annotator"], spans=world["mine"][:1]
    )
    link = PropositionLink.objects.get()
    link_review(
        link=link, reviewer=world["reviewer"], role=Role.REVIEWER, decision="reject", reason="Not the same"
    )
    link.refresh_from_db()
    link_delete(link=link, user=world["annotator"], version=link.version)
    assert not PropositionLink.objects.exists()
    change_undo(change=PropositionChange.objects.get(action=ChangeAction.UNLINK), user=world["annotator"])
    restored = PropositionLink.objects.get()
    assert (restored.proposition_id, restored.status, restored.status_reason) == (
        p.pk,
        ReviewStatus.REJECTED,
        "Not the same",
    )


def test_relinking_a_span_moves_it_and_undo_moves_it_back(world):
    p = proposition_create(
        project=world["project"], text="P", user=world["annotator"], spans=world["mine"][:1]
    )
    q = proposition_create(project=world["project"], text="Q", user=world["annotator"])
    links_create(proposition=q, spans=world["mine"][:1], user=world["annotator"])
    assert PropositionLink.objects.get().proposition_id == q.pk
    change_undo(change=PropositionChange.objects.get(action=ChangeAction.LINK), user=world["annotator"])
    assert PropositionLink.objects.get().proposition_id == p.pk


def test_rewording_checks_the_version_and_undo_restores_the_wording(world):
    p = proposition_create(project=world["project"], text="P", user=world["reviewer"])
    proposition_update(proposition=p, user=world["reviewer"], version=1, text="P reworded")
    with pytest.raises(ApplicationError, match="changed elsewhere"):
        proposition_update(proposition=p, user=world["reviewer"], version=1, text="late")
    change_undo(change=PropositionChange.objects.get(action=ChangeAction.EDIT), user=world["reviewer"])
    p.refresh_from_db()
    assert (p.text, p.version) == ("P", 3)
    assert [h.text for h in p.history.order_by("history_id")] == ["P", "P reworded", "P"]


def test_accepting_an_annotators_link_copies_it_onto_the_matching_gold_span(world):
    p = proposition_create(
        project=world["project"], text="P", user=world["annotator"], spans=world["mine"][:1]
    )
    link = PropositionLink.objects.get()
    with pytest.raises(ApplicationError, match="Only reviewers and managers adjudicate links"):
        link_review(link=link, reviewer=world["annotator"], role=Role.ANNOTATOR, decision="accept")
    with pytest.raises(ApplicationError, match="Say why"):
        link_review(link=link, reviewer=world["reviewer"], role=Role.REVIEWER, decision="reject")
    link_review(link=link, reviewer=world["reviewer"], role=Role.REVIEWER, decision="accept")
    gold_link = PropositionLink.objects.get(annotation=world["gold"][0])
    assert (gold_link.proposition_id, gold_link.layer) == (p.pk, Layer.GOLD)
    assert PropositionLink.objects.get(pk=link.pk).status == ReviewStatus.ACCEPTED


def test_bulk_confirmation_makes_one_proposition_per_group(world):
    groups = [{"spans": world["gold"][:2]}, {"spans": world["gold"][2:], "text": "Third"}]
    made = repeats_confirm(project=world["project"], groups=groups, user=world["reviewer"])
    assert [p.text for p in made] == [world["gold"][0].quote, "Third"]
    assert [p.links.count() for p in made] == [2, 1]
    assert PropositionChange.objects.filter(action=ChangeAction.CREATE).count() == 2


def test_deleting_a_span_removes_its_link(world):
    proposition_create(project=world["project"], text="P", user=world["annotator"], spans=world["mine"][:1])
    world["mine"][0].delete()
    assert not PropositionLink.objects.exists()
