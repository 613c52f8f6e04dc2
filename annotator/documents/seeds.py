"""Loading the seed documents described by seeds/manifest.json.

The manifest is checked whole before anything is written, and the load runs
in one transaction: a missing file or a changed hash loads nothing.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from django.conf import settings
from django.db import transaction

from annotator.core.datafiles import json_file_read
from annotator.core.errors import ApplicationError
from annotator.documents.models import Document
from annotator.documents.services import document_create
from annotator.projects.models import Project
from annotator.projects.services import labels_create_defaults
from annotator.sources.services import author_get_or_create, source_get_or_create

SEEDS_DIR = Path(settings.BASE_DIR) / "seeds"
MANIFEST_SCHEMA = "assay.seed-manifest/1"


@dataclass
class SeedResult:
    project: Project
    created: list[Document]
    unchanged: list[Document]


def _read_manifest(path: Path) -> dict:
    return json_file_read(path, field="manifest", schema=MANIFEST_SCHEMA, missing="manifest")


def _read_seed_text(seed_dir: Path, index: int, entry: dict) -> str:
    where = f"documents[{index}]"
    name = entry.get("file")
    if not name or "/" in name or name.startswith("."):
        raise ApplicationError.field(f"{where}.file", f"{where} names no valid file ({name!r}).")
    path = seed_dir / name
    if not path.is_file():
        raise ApplicationError.field(
            f"{where}.file", f"{where}: seed file {name} is missing from {seed_dir}."
        )
    data = path.read_bytes()
    digest = hashlib.sha256(data).hexdigest()
    if digest != entry.get("sha256"):
        raise ApplicationError.field(
            f"{where}.sha256",
            f"{where}: {name} has sha256 {digest}, but the manifest says {entry.get('sha256')}; "
            "seed text must not change because annotation offsets depend on it.",
        )
    # newline="" semantics: bytes are decoded as they are, CRLF and all.
    return data.decode("utf-8")


def seeds_load(*, seed_dir: Path = SEEDS_DIR, manifest_name: str = "manifest.json") -> SeedResult:
    manifest = _read_manifest(seed_dir / manifest_name)
    entries = manifest.get("documents") or []
    texts = [_read_seed_text(seed_dir, i, entry) for i, entry in enumerate(entries)]

    with transaction.atomic():
        spec = manifest["project"]
        project, _ = Project.objects.get_or_create(slug=spec["slug"], defaults={"name": spec["name"]})
        labels_create_defaults(project=project)
        created, unchanged = [], []
        for entry, text in zip(entries, texts, strict=True):
            existing = Document.objects.filter(project=project, content_hash=entry["sha256"]).first()
            if existing is not None:
                unchanged.append(existing)
                continue
            outlet = entry.get("outlet")
            created.append(
                document_create(
                    project=project,
                    text=text,
                    title=entry.get("title") or "",
                    url=entry.get("url") or "",
                    published_on=date.fromisoformat(entry["published"]) if entry.get("published") else None,
                    outlet=source_get_or_create(name=outlet["name"], domain=outlet.get("domain") or "")
                    if outlet
                    else None,
                    authors=[author_get_or_create(name=name) for name in entry.get("authors") or []],
                    language=entry.get("language") or "",
                    boilerplate=[
                        {"kind": r["kind"], "start": r["start"], "end": r["end"]}
                        for r in entry.get("boilerplate") or []
                    ],
                    provenance={
                        "kind": "seed",
                        "file": entry["file"],
                        "manifest": manifest_name,
                        "unknown": entry.get("unknown", []),
                        "boilerplate": entry.get("boilerplate", []),
                    },
                )
            )
    return SeedResult(project=project, created=created, unchanged=unchanged)
