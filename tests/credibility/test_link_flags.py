"""Link flags on span rows (is_supported, is_attacked, is_qualified), kept by PostgreSQL triggers.

Every test writes through the ORM or plain SQL, never through a service: the
flags must hold whatever path wrote the rows. The races at the end run two
real connections, one blocked on the other's lock.
"""

import io
import threading
import time

import psycopg
import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from annotator.annotations.models import Annotation, Relation
from annotator.credibility.link_flags import link_flags_rebuild
from annotator.credibility.models import SourceScore
from annotator.projects.models import Label, Role
from tests import conftest
from tests.credibility.corpus import link, span, text_of
from tests.factories import DocumentFactory, ProjectFactory, member


def flags(span_) -> tuple[bool, bool, bool]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT is_supported, is_attacked, is_qualified FROM annotations_annotation WHERE id = %s",
            [span_.pk],
        )
        return cursor.fetchone()


NONE = (False, False, False)
SUPPORTED = (True, False, False)


@pytest.fixture
def doc():
    project = ProjectFactory()
    reviewer = member(project, Role.REVIEWER)
    document = DocumentFactory(project=project, text=text_of(10, "flags"))
    return document, reviewer


def spans(doc, *codes):
    document, reviewer = doc
    return [span(document, reviewer, k, code) for k, code in enumerate(codes)]


@pytest.mark.django_db
def test_each_link_type_sets_its_flag_and_deleting_the_link_clears_it(doc):
    """Evidence supports -> is_supported, evidence attacks -> is_attacked, a hedge
    qualifies -> is_qualified; deleting each link clears exactly its flag."""
    claim, ev1, ev2, hedge = spans(doc, "CLAIM", "EVIDENCE", "EVIDENCE", "HEDGE")
    assert flags(claim) == NONE
    supports = link(ev1, "supports", claim)
    attacks = link(ev2, "attacks", claim)
    qualifies = link(hedge, "qualifies", claim)
    assert flags(claim) == (True, True, True)
    attacks.delete()
    assert flags(claim) == (True, False, True)
    qualifies.delete()
    supports.delete()
    assert flags(claim) == NONE
    assert flags(ev1) == flags(hedge) == NONE  # sources are not flagged


@pytest.mark.django_db
def test_only_evidence_supports_or_attacks_and_only_a_hedge_qualifies(doc):
    """An opinion that "supports" a claim, or evidence that "qualifies" it, counts for nothing."""
    claim, opinion, ev = spans(doc, "CLAIM", "OPINION", "EVIDENCE")
    link(opinion, "supports", claim)
    link(ev, "qualifies", claim)
    assert flags(claim) == NONE


@pytest.mark.django_db
def test_a_claim_stays_supported_while_any_counted_link_remains(doc):
    claim, ev1, ev2 = spans(doc, "CLAIM", "EVIDENCE", "EVIDENCE")
    first = link(ev1, "supports", claim)
    link(ev2, "supports", claim)
    first.delete()
    assert flags(claim) == SUPPORTED


@pytest.mark.django_db
def test_rejecting_the_link_or_its_source_clears_the_flag_and_accepting_again_restores_it(doc):
    claim, ev = spans(doc, "CLAIM", "EVIDENCE")
    relation = link(ev, "supports", claim)
    Relation.objects.filter(pk=relation.pk).update(status="rejected")
    assert flags(claim) == NONE
    Relation.objects.filter(pk=relation.pk).update(status="accepted")
    assert flags(claim) == SUPPORTED
    ev.status = "rejected"
    ev.save()
    assert flags(claim) == NONE
    ev.status = "corrected"
    ev.save()
    assert flags(claim) == SUPPORTED


@pytest.mark.django_db
def test_relabelling_the_source_or_changing_its_labels_kind_clears_the_flag(doc):
    """Evidence relabelled as a claim no longer supports; so does all evidence when the
    EVIDENCE label's kind changes, and the flags come back with the kind."""
    claim, ev, ev2, claim2 = spans(doc, "CLAIM", "EVIDENCE", "EVIDENCE", "CLAIM")
    link(ev, "supports", claim)
    link(ev2, "attacks", claim2)
    ev.label = Label.objects.get(project=ev.project, code="CLAIM")
    ev.save()
    assert flags(claim) == NONE
    ev.label = Label.objects.get(project=ev.project, code="EVIDENCE")
    ev.save()
    assert flags(claim) == SUPPORTED

    evidence = Label.objects.get(project=ev.project, code="EVIDENCE")
    evidence.kind = "other"
    evidence.save()
    assert flags(claim) == flags(claim2) == NONE
    evidence.kind = "evidence"
    evidence.save()
    assert flags(claim) == SUPPORTED
    assert flags(claim2) == (False, True, False)


@pytest.mark.django_db
def test_repointing_a_link_moves_the_flag(doc):
    claim, ev, other = spans(doc, "CLAIM", "EVIDENCE", "CLAIM")
    relation = link(ev, "supports", claim)
    relation.target = other
    relation.save()
    assert flags(claim) == NONE
    assert flags(other) == SUPPORTED
    relation.type = "attacks"
    relation.save()
    assert flags(other) == (False, True, False)


@pytest.mark.django_db
def test_bulk_writes_flag_every_target_in_one_statement(doc):
    """bulk_create and a queryset delete (imports, cascades) keep every flag."""
    document, reviewer = doc
    claims = [span(document, reviewer, k, "CLAIM") for k in range(4)]
    evidence = [span(document, reviewer, k + 4, "EVIDENCE") for k in range(4)]
    Relation.objects.bulk_create(
        Relation(
            project=document.project,
            document=document,
            annotator=reviewer,
            layer="gold",
            type="supports",
            source=e,
            target=c,
        )  # fmt: skip
        for e, c in zip(evidence, claims, strict=True)
    )
    assert [flags(c) for c in claims] == [SUPPORTED] * 4
    Relation.objects.filter(target__in=claims[:3]).delete()
    assert [flags(c) for c in claims] == [NONE, NONE, NONE, SUPPORTED]


@pytest.mark.django_db
def test_deleting_the_source_span_cascades_to_its_links_and_clears_the_flag(doc):
    claim, ev = spans(doc, "CLAIM", "EVIDENCE")
    link(ev, "supports", claim)
    ev.delete()
    assert flags(claim) == NONE


@pytest.mark.django_db
def test_saving_a_span_loaded_before_a_link_keeps_the_flag(doc):
    """The flags are not model fields: save() of an earlier copy cannot write back a stale value."""
    claim, ev = spans(doc, "CLAIM", "EVIDENCE")
    stale = Annotation.objects.get(pk=claim.pk)
    link(ev, "supports", claim)
    stale.note = "edited after the link was made"
    stale.save()
    assert flags(claim) == SUPPORTED


@pytest.mark.django_db
def test_rebuild_repairs_flags_written_around_the_triggers_and_finds_nothing_to_do_after(doc):
    claim, ev, lone = spans(doc, "CLAIM", "EVIDENCE", "CLAIM")
    link(ev, "supports", claim)
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE annotations_annotation SET is_supported = NOT is_supported WHERE id IN (%s, %s)",
            [claim.pk, lone.pk],
        )
    assert link_flags_rebuild(project=claim.project) == 2
    assert flags(claim) == SUPPORTED
    assert flags(lone) == NONE
    assert link_flags_rebuild(project=claim.project) == 0


@pytest.mark.django_db
def test_rebuild_command_reports_each_project_and_recomputes_scores_where_flags_changed(doc):
    claim, ev = spans(doc, "CLAIM", "EVIDENCE")
    link(ev, "supports", claim)
    untouched = ProjectFactory(name="Untouched")
    with connection.cursor() as cursor:
        cursor.execute("UPDATE annotations_annotation SET is_supported = false WHERE id = %s", [claim.pk])
    out = io.StringIO()
    call_command("scores_rebuild_flags", stdout=out)
    assert out.getvalue().splitlines() == [
        f"{claim.project.name}: 1 span(s) had wrong link flags.",
        "Untouched: 0 span(s) had wrong link flags.",
        "Recomputed 2 source score rows in 1 project(s).",  # unknown outlet, unknown author
    ]
    assert flags(claim) == SUPPORTED
    score = SourceScore.objects.get(project=claim.project, kind="outlet")
    assert (score.claims, score.supported_claims) == (1, 1)
    assert not SourceScore.objects.filter(project=untouched).exists()


@pytest.mark.django_db
def test_rebuild_command_names_an_unknown_project():
    with pytest.raises(CommandError, match="No project with id 999999."):
        call_command("scores_rebuild_flags", "--project", "999999")


# Races: two real connections (READ COMMITTED, as the app runs), one of them blocked.


def _connect():
    return psycopg.connect(conftest.test_database_url())


def _blocked(run) -> threading.Thread:
    """Start ``run`` in a thread; return it once it is waiting on a lock (or fail)."""
    errors = []

    def target():
        try:
            run()
        except Exception as exc:  # noqa: BLE001 - reported by the assertion below
            errors.append(exc)

    thread = threading.Thread(target=target)
    thread.start()
    deadline = time.monotonic() + 10
    with _connect() as probe:
        while time.monotonic() < deadline:
            waiting = probe.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND datname = current_database()"
            ).fetchone()[0]
            if waiting:
                thread.errors = errors
                return thread
            time.sleep(0.02)
    thread.join(5)
    pytest.fail(f"the second writer never waited on the first: {errors}")


def _insert_link(conn, source, target, type_="supports"):
    conn.execute(
        """INSERT INTO annotations_relation (project_id, document_id, annotator_id, layer, type, source_id,
             target_id, note, status, status_reason, version, created_at, updated_at)
           VALUES (%s, %s, %s, 'gold', %s, %s, %s, '', 'pending', '', 1, now(), now())""",
        [source.project_id, source.document_id, source.annotator_id, type_, source.pk, target.pk],
    )


@pytest.mark.django_db(transaction=True)
def test_a_link_added_while_another_is_removed_leaves_the_claim_supported(doc):
    """Writer A adds e2 -> c (uncommitted); writer B removes e1 -> c and must wait for A,
    then recount with A's link visible: c stays supported."""
    claim, ev1, ev2 = spans(doc, "CLAIM", "EVIDENCE", "EVIDENCE")
    first = link(ev1, "supports", claim)
    with _connect() as a, _connect() as b:
        _insert_link(a, ev2, claim)
        remover = _blocked(lambda: b.execute("DELETE FROM annotations_relation WHERE id = %s", [first.pk]))
        a.commit()
        remover.join(10)
        assert not remover.errors
        b.commit()
    assert flags(claim) == SUPPORTED


def _relabel_as_claim(conn, span_):
    claim_label = Label.objects.get(project=span_.project, code="CLAIM")
    conn.execute("UPDATE annotations_annotation SET label_id = %s WHERE id = %s", [claim_label.pk, span_.pk])


def _reject(conn, span_):
    conn.execute("UPDATE annotations_annotation SET status = 'rejected' WHERE id = %s", [span_.pk])


SOURCE_CHANGES = [pytest.param(_relabel_as_claim, id="relabelled"), pytest.param(_reject, id="rejected")]


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("change", SOURCE_CHANGES)
def test_a_link_from_a_source_being_changed_waits_and_does_not_count(doc, change):
    """Writer A relabels (or rejects) evidence e, uncommitted; writer B links e -> c:
    B waits for A, then sees e no longer counts, so c is not supported."""
    claim, ev = spans(doc, "CLAIM", "EVIDENCE")
    with _connect() as a, _connect() as b:
        change(a, ev)
        linker = _blocked(lambda: _insert_link(b, ev, claim))
        a.commit()
        linker.join(10)
        assert not linker.errors
        b.commit()
    assert flags(claim) == NONE


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("change", SOURCE_CHANGES)
def test_a_source_changed_while_its_new_link_is_uncommitted_still_clears_the_flag(doc, change):
    """The other order: B's link e -> c is uncommitted when A relabels (or rejects) e;
    A waits for B and then finds the link, so c ends unsupported."""
    claim, ev = spans(doc, "CLAIM", "EVIDENCE")
    with _connect() as a, _connect() as b:
        _insert_link(b, ev, claim)
        changer = _blocked(lambda: change(a, ev))
        b.commit()
        changer.join(10)
        assert not changer.errors
        a.commit()
    assert flags(claim) == NONE


@pytest.mark.django_db(transaction=True)
def test_a_label_kind_change_waits_for_a_link_in_flight_and_clears_it(doc):
    """B links evidence -> c (uncommitted); A turns the EVIDENCE label into 'other':
    A waits for B's transaction, then recounts with B's link, so c ends unsupported."""
    claim, ev = spans(doc, "CLAIM", "EVIDENCE")
    with _connect() as a, _connect() as b:
        _insert_link(b, ev, claim)
        retire = _blocked(
            lambda: a.execute("UPDATE projects_label SET kind = 'other' WHERE id = %s", [ev.label_id])
        )
        b.commit()
        retire.join(10)
        assert not retire.errors
        a.commit()
    assert flags(claim) == NONE
