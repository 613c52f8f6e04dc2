"""Fixtures shared by the span and relation tests: each module names its own ``doc`` (its text)."""

import pytest

from annotator.projects.models import Role
from tests.factories import member


@pytest.fixture
def annotator(doc):
    """An annotator of ``doc``'s project."""
    return member(doc.project, Role.ANNOTATOR)
