"""The score drill-down follows the workspace's layer rules (issue 12, item 2).

An annotator reads only their own annotator layer everywhere else (403 for the
gold layer and for other annotators' layers), so the spans listed behind a
source's figures are limited to that layer too; reviewers and managers see
every counted layer.
"""

import pytest
from django.test import Client
from rest_framework.test import APIClient

from annotator.credibility.services import Targets, scores_recompute
from annotator.projects.models import Role
from tests.credibility.corpus import build_corpus, span, submit
from tests.factories import member

pytestmark = pytest.mark.django_db
URL = "/api/v1/source-scores/spans/"


@pytest.fixture
def corpus():
    """The hand-built corpus, plus a second annotator whose submitted layer on d3 (outlet B)
    holds one claim over word 4: d3's tier is "submitted", so both annotators' layers count."""
    c = build_corpus()
    c.other = member(c.project, Role.ANNOTATOR)
    c.spans["other_claim"] = span(c.docs["d3"], c.other, 4, "CLAIM", layer="annotator")
    submit(c.docs["d3"], c.other)
    scores_recompute(project=c.project, targets=Targets(everything=True))
    return c


def _api_spans(user, corpus, kind, entity, **extra):
    client = APIClient()
    client.force_authenticate(user)
    response = client.get(URL, {"project": corpus.project.pk, "kind": kind, "entity": entity, **extra})
    assert response.status_code == 200, response.content
    return [(row["id"], row["reader"], row["quote"]) for row in response.json()["results"]]


def test_annotator_sees_only_their_own_layer_in_the_api(corpus):
    """Outlet B's claims are c5, c6 (the annotator's) and the other annotator's word-4 claim; the
    annotator is shown only c5 and c6, the other annotator only theirs."""
    c = corpus
    mine = [(c.spans["c5"].pk, c.annotator.pk, "alpha"), (c.spans["c6"].pk, c.annotator.pk, "bravo")]
    theirs = [(c.spans["other_claim"].pk, c.other.pk, "kappa")]
    assert _api_spans(c.annotator, c, "outlet", c.outlet_b.pk, span_kind="claim") == mine
    assert _api_spans(c.other, c, "outlet", c.outlet_b.pk, span_kind="claim") == theirs
    assert _api_spans(c.reviewer, c, "outlet", c.outlet_b.pk, span_kind="claim") == [
        mine[0],
        mine[1],
        theirs[0],
    ]


def test_annotator_never_sees_gold_spans_in_the_api(corpus):
    """Outlet A is scored from gold only: a reviewer gets its 4 unsupported/supported claims and
    the rest, an annotator gets nothing (not even with unsupported=true)."""
    c = corpus
    assert _api_spans(c.annotator, c, "outlet", c.outlet_a.pk) == []
    assert _api_spans(c.annotator, c, "outlet", c.outlet_a.pk, unsupported="true") == []
    reviewer_rows = _api_spans(c.reviewer, c, "outlet", c.outlet_a.pk, unsupported="true")
    assert [row[0] for row in reviewer_rows] == [c.spans["c2"].pk, c.spans["c3"].pk]
    assert {row[1] for row in reviewer_rows} == {0}  # the gold layer


def test_annotator_sees_only_their_own_layer_on_the_detail_page(corpus):
    """/sources/<project>/<kind>/<id>/?show=claims lists the same spans as the API: for the
    annotator no gold quote and no other annotator's quote, and a note saying why."""
    c = corpus
    client = Client()
    client.force_login(c.annotator)
    speaker = client.get(f"/sources/{c.project.pk}/speaker/{c.speaker.pk}/", {"show": "claims"})
    html = speaker.content.decode()
    # Speaker S is quoted in d1 (gold c1 at 0-5) and d3 (the annotator's own c5 at 0-5).
    assert f"#span-{c.spans['c5'].pk}" in html
    assert f"#span-{c.spans['c1'].pk}" not in html
    assert "Only the spans of your own layer are listed" in html
    outlet_b = client.get(f"/sources/{c.project.pk}/outlet/{c.outlet_b.pk}/", {"show": "claims"})
    html = outlet_b.content.decode()
    assert f"#span-{c.spans['c5'].pk}" in html and f"#span-{c.spans['c6'].pk}" in html
    assert f"#span-{c.spans['other_claim'].pk}" not in html and "kappa" not in html
    client.force_login(c.reviewer)
    html = client.get(f"/sources/{c.project.pk}/speaker/{c.speaker.pk}/", {"show": "claims"}).content.decode()
    assert f"#span-{c.spans['c1'].pk}" in html and f"#span-{c.spans['c5'].pk}" in html
    assert "Only the spans of your own layer are listed" not in html
