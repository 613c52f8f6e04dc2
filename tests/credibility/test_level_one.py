"""Level 1 (per-document counts) has two forms: temporary tables for many documents, CTEs
for a few (metrics.SMALL_DOCUMENT_SET). Both must store the same rows."""

from io import StringIO

import pytest
from django.core.management import call_command

from annotator.credibility import metrics
from annotator.credibility.models import DocumentCounts, SpeakerCounts
from annotator.documents.models import Document
from annotator.projects.models import Project, ScoreLayer
from tests.credibility.corpus import build_corpus

pytestmark = pytest.mark.django_db
FIELDS = [
    "document_id", "tier", "readings", "claims", "evidence", "opinions", "hedges", "supported_claims",
    "attacked_claims", "contested_claims", "qualified_claims", "evidence_subtypes",
]  # fmt: skip


def _stored(project) -> tuple[list, list]:
    documents = list(DocumentCounts.objects.filter(project=project).order_by("document_id").values(*FIELDS))
    speakers = list(
        SpeakerCounts.objects.filter(project=project)
        .order_by("document_id", "speaker_id")
        .values("speaker_id", *FIELDS)
    )
    return documents, speakers


def _count_both_ways(project, monkeypatch) -> tuple[tuple, tuple]:
    ids = set(Document.objects.filter(project=project).values_list("pk", flat=True))
    results = []
    for small_set in (0, len(ids)):  # 0: every set is "large"; len(ids): this one is small
        DocumentCounts.objects.filter(project=project).delete()
        SpeakerCounts.objects.filter(project=project).delete()
        monkeypatch.setattr(metrics, "SMALL_DOCUMENT_SET", small_set)
        metrics.documents_count(project=project, document_ids=ids)
        results.append(_stored(project))
    return results[0], results[1]


@pytest.mark.parametrize("score_layer", [ScoreLayer.GOLD, ScoreLayer.APPROVED, ScoreLayer.SUBMITTED])
def test_hand_built_corpus_counts_alike_either_way(score_layer, monkeypatch):
    corpus = build_corpus()
    Project.objects.filter(pk=corpus.project.pk).update(score_layer=score_layer)
    corpus.project.refresh_from_db()
    large, small = _count_both_ways(corpus.project, monkeypatch)
    assert small == large
    documents, speakers = large
    assert len(documents) == 5 and sum(d["claims"] for d in documents) > 0
    assert speakers, "the corpus quotes Speaker S"


@pytest.mark.parametrize("score_layer", [ScoreLayer.GOLD, ScoreLayer.SUBMITTED])
def test_demo_sample_layer_counts_alike_either_way(score_layer, monkeypatch):
    """The seed documents with 15 layers: gold, and two submitted annotator layers read
    side by side when the project counts submitted work."""
    for command in ("load_seeds", "create_demo_users", "load_sample_layer"):
        call_command(command, stdout=StringIO())
    Project.objects.filter(slug="demo").update(score_layer=score_layer)
    project = Project.objects.get(slug="demo")
    large, small = _count_both_ways(project, monkeypatch)
    assert small == large
    documents, speakers = large
    assert len(documents) == 5 and len(speakers) >= 5
    expected_readings = 1 if score_layer == ScoreLayer.GOLD else 2
    assert {d["readings"] for d in documents} == {expected_readings}
