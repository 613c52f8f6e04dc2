"""Who a span is reported from (``speakers`` on span rows, migration credibility 0008), kept by triggers.

Rows are written through the ORM or plain SQL, never a credibility service: the
column must hold whatever path wrote them. After every change the column must
equal a rebuild from the relations (credibility_speakers_rebuild finds nothing
to change), and a recompute over documents recounted one change at a time
must equal a full recompute.
"""

import random

import pytest
from django.db import connection
from pytest import approx

from annotator.annotations.models import Annotation, Relation
from annotator.credibility.models import COUNT_FIELDS, SourceScore
from annotator.credibility.scheduling import scores_mark_dirty
from annotator.credibility.services import Targets, scores_recompute, scores_recompute_dirty
from annotator.projects.models import Role
from annotator.reviews.adjudication import gold_accept_annotation, gold_accept_relation
from annotator.reviews.models import AssignmentState
from tests.credibility.corpus import link, span, submit, text_of
from tests.credibility.test_link_flags import _blocked, _connect
from tests.factories import DocumentFactory, ProjectFactory, SourceFactory, SpeakerFactory, member

pytestmark = pytest.mark.django_db


def speakers(span_) -> list[int] | None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT speakers FROM annotations_annotation WHERE id = %s", [span_.pk])
        return cursor.fetchone()[0]


def rebuild_changes(project) -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT credibility_speakers_rebuild(%s)", [project.pk])
        return cursor.fetchone()[0]


@pytest.fixture
def quote():
    """A gold quotation q (words 0-4) with evidence e (word 1) and hedge h (word 3) inside it,
    a claim o outside (word 6), and an annotator's evidence inside the same words (another layer)."""
    project = ProjectFactory()
    reviewer = member(project, Role.REVIEWER)
    annotator = member(project, Role.ANNOTATOR)
    document = DocumentFactory(project=project, text=text_of(10, "speakers"))
    spans = {
        "q": span(document, reviewer, 0, "CLAIM", end_word=4),
        "e": span(document, reviewer, 1, "EVIDENCE"),
        "h": span(document, reviewer, 3, "HEDGE"),
        "o": span(document, reviewer, 6, "CLAIM"),
        "other_layer": span(document, annotator, 1, "EVIDENCE", layer="annotator"),
    }
    return project, document, reviewer, spans


def test_an_attribution_reports_its_quotation_and_the_spans_inside_it(quote):
    project, _, _, s = quote
    minister, mayor = SpeakerFactory(name="Minister"), SpeakerFactory(name="Mayor")
    assert [speakers(s[k]) for k in "qeho"] == [None] * 4
    link(s["q"], "attributed_to", speaker=mayor)
    link(s["q"], "attributed_to", speaker=minister)
    both = sorted([minister.pk, mayor.pk])
    assert [speakers(s[k]) for k in "qeh"] == [both, both, both]
    assert speakers(s["o"]) is None and speakers(s["other_layer"]) is None
    # A span attributed directly, outside any quotation, counts for its own speaker only.
    link(s["o"], "attributed_to", speaker=mayor)
    assert speakers(s["o"]) == [mayor.pk]
    assert rebuild_changes(project) == 0


def test_rejecting_deleting_or_repointing_the_attribution_follows(quote):
    project, _, _, s = quote
    minister, mayor = SpeakerFactory(), SpeakerFactory()
    attribution = link(s["q"], "attributed_to", speaker=minister)
    Relation.objects.filter(pk=attribution.pk).update(status="rejected")
    assert [speakers(s[k]) for k in "qeh"] == [None] * 3
    Relation.objects.filter(pk=attribution.pk).update(status="accepted", speaker=mayor)
    assert [speakers(s[k]) for k in "qeh"] == [[mayor.pk]] * 3
    Relation.objects.filter(pk=attribution.pk).update(source=s["e"])
    assert speakers(s["e"]) == [mayor.pk] and speakers(s["q"]) is None and speakers(s["h"]) is None
    Relation.objects.filter(pk=attribution.pk).delete()
    assert [speakers(s[k]) for k in "qeh"] == [None] * 3
    assert rebuild_changes(project) == 0


def test_a_span_added_inside_a_quotation_is_reported_and_one_added_outside_is_not(quote):
    project, document, reviewer, s = quote
    minister = SpeakerFactory()
    link(s["q"], "attributed_to", speaker=minister)
    inside = span(document, reviewer, 2, "OPINION")
    outside = span(document, reviewer, 5, "OPINION")
    crossing = span(document, reviewer, 4, "HEDGE", end_word=5)  # starts inside, ends after
    assert speakers(inside) == [minister.pk]
    assert speakers(outside) is None and speakers(crossing) is None
    assert rebuild_changes(project) == 0


def test_moving_rejecting_or_deleting_the_quotation_updates_the_spans_inside(quote):
    project, document, _, s = quote
    minister = SpeakerFactory()
    link(s["q"], "attributed_to", speaker=minister)

    def extend(end):
        Annotation.objects.filter(pk=s["q"].pk).update(end=end, quote=document.text[s["q"].start : end])

    # Shrunk to words 0-2: the hedge (word 3) leaves the quotation, the evidence stays.
    extend(s["q"].start + 17)
    assert speakers(s["e"]) == [minister.pk] and speakers(s["h"]) is None
    extend(s["q"].end)
    assert speakers(s["h"]) == [minister.pk]
    # A rejected quotation reports nothing inside it (its own row is never counted).
    Annotation.objects.filter(pk=s["q"].pk).update(status="rejected")
    assert speakers(s["e"]) is None and speakers(s["h"]) is None
    Annotation.objects.filter(pk=s["q"].pk).update(status="accepted")
    assert speakers(s["e"]) == [minister.pk]
    # Deleted with plain SQL: the database cascades to the attribution.
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM annotations_annotation WHERE id = %s", [s["q"].pk])
    assert speakers(s["e"]) is None and speakers(s["h"]) is None
    assert rebuild_changes(project) == 0


def test_gold_adjudication_copies_the_speakers_with_the_spans():
    project = ProjectFactory()
    reviewer = member(project, Role.REVIEWER)
    annotator = member(project, Role.ANNOTATOR)
    document = DocumentFactory(project=project, text=text_of(10, "adjudicated"))
    minister = SpeakerFactory()
    q = span(document, annotator, 0, "CLAIM", layer="annotator", end_word=3)
    e = span(document, annotator, 2, "EVIDENCE", layer="annotator")
    attribution = link(q, "attributed_to", speaker=minister)
    submit(document, annotator)
    gold_e = gold_accept_annotation(annotation=e, reviewer=reviewer)
    assert speakers(gold_e) is None  # no gold quotation yet
    gold_accept_relation(relation=attribution, reviewer=reviewer)
    gold_q = Annotation.objects.get(document=document, layer="gold", start=q.start)
    assert speakers(gold_q) == [minister.pk] and speakers(gold_e) == [minister.pk]
    assert speakers(q) == [minister.pk] and speakers(e) == [minister.pk]
    assert rebuild_changes(project) == 0


def test_rebuild_repairs_speakers_written_around_the_triggers(quote):
    project, _, _, s = quote
    minister = SpeakerFactory()
    link(s["q"], "attributed_to", speaker=minister)
    with connection.cursor() as cursor:
        cursor.execute("SET session_replication_role = replica")  # no triggers
        cursor.execute("UPDATE annotations_annotation SET speakers = NULL WHERE id = %s", [s["e"].pk])
        cursor.execute("UPDATE annotations_annotation SET speakers = '{1}' WHERE id = %s", [s["o"].pk])
        cursor.execute("SET session_replication_role = DEFAULT")
    assert rebuild_changes(project) == 2
    assert speakers(s["e"]) == [minister.pk] and speakers(s["o"]) is None
    assert rebuild_changes(project) == 0


@pytest.mark.django_db(transaction=True)
def test_a_span_added_inside_a_quotation_being_attributed_waits_and_is_reported(quote):
    """Writer A attributes q (uncommitted); writer B adds a span inside q: B waits for A
    (it locks the enclosing spans), then sees the attribution."""
    _, document, reviewer, s = quote
    minister = SpeakerFactory()
    q = s["q"]
    with _connect() as a, _connect() as b:
        a.execute(
            """INSERT INTO annotations_relation (project_id, document_id, annotator_id, layer, type, source_id,
                 speaker_id, note, status, status_reason, version, created_at, updated_at)
               VALUES (%s, %s, %s, 'gold', 'attributed_to', %s, %s, '', 'pending', '', 1, now(), now())""",
            [q.project_id, q.document_id, q.annotator_id, q.pk, minister.pk],
        )
        label_id = s["e"].label_id
        adder = _blocked(
            lambda: b.execute(
                """INSERT INTO annotations_annotation (project_id, document_id, annotator_id, layer, start, "end",
                     quote, label_id, note, status, status_reason, version, created_at, updated_at)
                   VALUES (%s, %s, %s, 'gold', 12, 17, %s, %s, '', 'pending', '', 1, now(), now())""",
                [q.project_id, q.document_id, q.annotator_id, document.text[12:17], label_id],
            )
        )
        a.commit()
        adder.join(10)
        assert not adder.errors
        b.commit()
    added = Annotation.objects.get(document=document, layer="gold", start=12, label_id=label_id)
    assert speakers(added) == [minister.pk]


def _scores(project) -> dict:
    return {
        (r.kind, r.entity_id): {f: getattr(r, f) for f in [*COUNT_FIELDS, "figures", "small_sample_reason"]}
        for r in SourceScore.objects.filter(project=project)
    }


def test_recounting_one_change_at_a_time_equals_a_full_recompute(sent):
    """A random corpus (seeded) built and edited change by change, each followed by the
    incremental recompute of what it touched; the result equals a full recompute."""
    rng = random.Random(14)
    project = ProjectFactory(score_min_documents=1, score_min_claims=1)
    reviewer = member(project, Role.REVIEWER)
    annotators = [member(project, Role.ANNOTATOR) for _ in range(2)]
    outlets = [SourceFactory() for _ in range(3)]
    people = [SpeakerFactory() for _ in range(3)]
    documents = [
        DocumentFactory(project=project, text=text_of(20, f"random{i}"), source=rng.choice([*outlets, None]))
        for i in range(6)
    ]
    codes = ["CLAIM", "CLAIM", "EVIDENCE", "HEDGE", "OPINION"]

    def changed(document, *speakers_):
        scores_mark_dirty(
            project_id=project.pk, document_ids=[document.pk], speaker_ids=[p.pk for p in speakers_]
        )
        scores_recompute_dirty(project_id=project.pk)

    layers = {}
    for document in documents:
        for user, layer in [(reviewer, "gold"), *((a, "annotator") for a in annotators)]:
            if layer == "gold" and rng.random() < 0.4:
                continue
            made = []
            for k in rng.sample(range(18), 8):
                made.append(
                    span(
                        document, user, k, rng.choice(codes), layer=layer, end_word=k + rng.choice([0, 0, 2])
                    )
                )
                changed(document)
            layers[(document.pk, user.pk)] = made
            for source in made:
                roll, target, who = rng.random(), rng.choice(made), rng.choice(people)
                kinds = (source.label.code, target.label.code)
                if roll < 0.25 and not Relation.objects.filter(source=source, speaker=who).exists():
                    link(source, "attributed_to", speaker=who)
                    changed(document, who)
                    continue
                if target == source or Relation.objects.filter(source=source, target=target).exists():
                    continue
                if roll < 0.6 and kinds[1] == "CLAIM" and kinds[0] in ("EVIDENCE", "CLAIM"):
                    link(source, rng.choice(["supports", "supports", "attacks"]), target)
                    changed(document)
                elif roll < 0.7 and kinds == ("HEDGE", "CLAIM"):
                    link(source, "qualifies", target)
                    changed(document)
            if layer == "annotator" and rng.random() < 0.8:
                state = rng.choice([AssignmentState.SUBMITTED, AssignmentState.APPROVED])
                submit(document, user, state=state)
                changed(document)
    # Edits: reject spans and relations, delete attributions (marking their speakers, as the signals do).
    for made in layers.values():
        for victim in rng.sample(made, 2):
            Annotation.objects.filter(pk=victim.pk).update(status="rejected")
            changed(victim.document, *people)
    for relation in list(Relation.objects.filter(project=project, type="attributed_to"))[::3]:
        relation.delete()
        changed(relation.document, relation.speaker)

    incremental = _scores(project)
    assert rebuild_changes(project) == 0
    scores_recompute(project=project, targets=Targets(everything=True))
    full = _scores(project)
    assert sorted(incremental) == sorted(full)
    assert any(kind == "speaker" for kind, _ in full) and any(kind == "outlet" for kind, _ in full)
    for key, fields in full.items():
        for name, value in fields.items():
            got = incremental[key][name]
            if name == "figures":
                for metric, figure in value.items():
                    assert got[metric] == {
                        k: approx(v, rel=1e-9) if v is not None else None for k, v in figure.items()
                    }, (key, metric)
            elif isinstance(value, str):
                assert got == value, (key, name)
            else:
                assert got == approx(value, rel=1e-9), (key, name)
