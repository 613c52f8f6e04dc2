"""Fixtures for propositions: the seed project with the claim spans named in seed_pairs.json."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from django.conf import settings

from annotator.annotations.models import Layer
from annotator.annotations.services import annotation_create
from annotator.documents.models import Document
from annotator.documents.seeds import seeds_load
from annotator.projects.models import Label, Role
from tests.factories import member

SEEDS = Path(settings.BASE_DIR) / "seeds"
PAIRS = json.loads((Path(__file__).parent / "seed_pairs.json").read_text(encoding="utf-8"))


def seed_file_text(name: str) -> str:
    return (SEEDS / name).read_text(encoding="utf-8")


@pytest.fixture
def seed_claims(db):
    """The seed project, a reviewer, and the fixture claims in the gold layer: (project, reviewer, spans by key)."""
    project = seeds_load().project
    reviewer = member(project, Role.REVIEWER)
    claim = Label.objects.get(project=project, code="CLAIM")
    manifest = json.loads((SEEDS / "manifest.json").read_text(encoding="utf-8"))
    documents = {
        e["file"]: Document.objects.get(project=project, content_hash=e["sha256"])
        for e in manifest["documents"]
    }
    spans = {}
    entries = [(f"{name}[{i}]", e) for name, group in PAIRS["groups"].items() for i, e in enumerate(group)]
    entries += [(f"unrelated[{i}]", e) for i, e in enumerate(PAIRS["unrelated"])]
    for key, entry in entries:
        spans[key] = annotation_create(
            document=documents[entry["file"]], annotator=reviewer, start=entry["start"], end=entry["end"],
            label=claim, quote=entry["quote"], layer=Layer.GOLD,
        )  # fmt: skip
    return project, reviewer, spans
