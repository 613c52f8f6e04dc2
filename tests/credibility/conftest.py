"""Fixtures shared by the credibility tests."""

import pytest

from annotator.credibility.services import Targets, scores_recompute
from tests.credibility.corpus import build_corpus


@pytest.fixture
def sent(monkeypatch):
    """Record task sends instead of running them."""
    from annotator.credibility import tasks

    calls = []
    monkeypatch.setattr(tasks.scores_recompute_dirty, "apply_async", lambda **kw: calls.append(kw))
    return calls


@pytest.fixture
def corpus():
    """The hand-built corpus of corpus.py with its scores computed (a module may define its own)."""
    c = build_corpus()
    scores_recompute(project=c.project, targets=Targets(everything=True))
    return c
