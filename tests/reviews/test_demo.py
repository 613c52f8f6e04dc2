"""The demo on a first `make run`: every role finds work (issue 16, item 1)."""

from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from annotator.annotations.models import Annotation
from annotator.documents.models import Document
from annotator.reviews.models import Assignment
from annotator.reviews.selectors import review_queue
from annotator.reviews.services import layer_assert_editable


def run(*args):
    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


@pytest.fixture
def demo(db):
    run("load_seeds")
    logins = run("create_demo_users")
    loaded = run("load_sample_layer", "--demo-workflow")
    return logins, loaded


def test_every_role_has_work(demo):
    """Each annotator has a document in progress (annotator1's second one sent back with its reason),
    some submitted and some approved; the reviewer's queue holds the three documents with submitted
    layers; gold is loaded only for the two documents the workflow says (16 and 17 spans)."""
    logins, loaded = demo
    assert "12 layer(s) loaded (178 spans, 105 relations)" in loaded
    by_hash = {d.content_hash[:12]: d for d in Document.objects.all()}
    states = {
        (a.document.content_hash[:12], a.annotator.username): (a.state, a.reason)
        for a in Assignment.objects.select_related("document", "annotator")
    }
    reason = "Two claims run into the next sentence; end them at the full stop."
    assert states == {
        ("d2a688b3538f", "annotator1"): ("approved", ""),
        ("d2a688b3538f", "annotator2"): ("approved", ""),
        ("83da18e31015", "annotator1"): ("submitted", ""),
        ("83da18e31015", "annotator2"): ("approved", ""),
        ("a18a66b00c2f", "annotator1"): ("submitted", ""),
        ("a18a66b00c2f", "annotator2"): ("submitted", ""),
        ("28a754aee15a", "annotator1"): ("in_progress", ""),
        ("28a754aee15a", "annotator2"): ("submitted", ""),
        ("06c10c03a146", "annotator1"): ("changes_requested", reason),
        ("06c10c03a146", "annotator2"): ("in_progress", ""),
    }
    gold = {by: Annotation.objects.filter(document=doc, layer="gold").count() for by, doc in by_hash.items()}
    assert gold == {
        "d2a688b3538f": 16,
        "83da18e31015": 17,
        "a18a66b00c2f": 0,
        "28a754aee15a": 0,
        "06c10c03a146": 0,
    }
    users = {u.username: u for u in get_user_model().objects.all()}
    queue = {d.content_hash[:12] for d in review_queue(user=users["reviewer"])}
    assert queue == {"83da18e31015", "a18a66b00c2f", "28a754aee15a"}
    # The in-progress and sent-back layers are editable by their annotators.
    layer_assert_editable(document=by_hash["28a754aee15a"], annotator=users["annotator1"])
    layer_assert_editable(document=by_hash["06c10c03a146"], annotator=users["annotator1"])
    layer_assert_editable(document=by_hash["06c10c03a146"], annotator=users["annotator2"])
    assert "annotator1  / assay-demo  (annotator): label documents in progress" in logins


def test_running_again_changes_nothing(demo):
    """A second run skips every loaded layer and leaves the states as they were."""
    before = sorted(Assignment.objects.values_list("pk", "state", "version"))
    again = run("load_sample_layer", "--demo-workflow")
    assert "0 layer(s) loaded (0 spans, 0 relations), 12 already present" in again
    assert sorted(Assignment.objects.values_list("pk", "state", "version")) == before
