"""Fixtures shared by the credibility tests."""

import pytest


@pytest.fixture
def sent(monkeypatch):
    """Record task sends instead of running them."""
    from annotator.credibility import tasks

    calls = []
    monkeypatch.setattr(tasks.scores_recompute_dirty, "apply_async", lambda **kw: calls.append(kw))
    return calls
