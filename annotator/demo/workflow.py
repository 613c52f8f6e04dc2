"""The demo's review workflow: where each sample layer stands after `make run`.

The plan is data (demo_workflow.json beside this module): per seed document,
whether its gold layer is loaded and the state of each annotator's layer.
States are reached through the ordinary lifecycle services (submit, approve,
request changes), so the demo's history reads like real work.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from django.contrib.auth import get_user_model

from annotator.core.datafiles import json_file_read
from annotator.core.errors import ApplicationError
from annotator.documents.models import Document
from annotator.reviews.models import Assignment, AssignmentState
from annotator.reviews.services import (
    assignment_approve,
    assignment_request_changes,
    assignment_submit,
)

WORKFLOW_PATH = Path(__file__).with_name("demo_workflow.json")
SCHEMA = "assay.demo-workflow/1"
# The states a demo layer may be left in (assigned layers have no spans to show).
DEMO_STATES = {
    AssignmentState.IN_PROGRESS,
    AssignmentState.SUBMITTED,
    AssignmentState.APPROVED,
    AssignmentState.CHANGES_REQUESTED,
}


@dataclass(frozen=True)
class LayerPlan:
    state: str
    reason: str = ""


@dataclass(frozen=True)
class DocumentPlan:
    gold: bool
    layers: dict[str, LayerPlan]


@dataclass(frozen=True)
class Workflow:
    reviewer: str
    documents: dict[str, DocumentPlan]  # by content hash

    def document(self, content_hash: str) -> DocumentPlan | None:
        return self.documents.get(content_hash)


def demo_workflow_read(*, path: Path = WORKFLOW_PATH, manifest: Path) -> Workflow:
    """Read the plan, naming documents by the content hash the seed manifest gives their file."""
    data = json_file_read(path, field="workflow", schema=SCHEMA, missing="demo workflow")
    hashes = {
        entry["file"]: entry["sha256"]
        for entry in json.loads(manifest.read_text(encoding="utf-8"))["documents"]
    }
    documents = {}
    for name, plan in data["documents"].items():
        if name not in hashes:
            raise ApplicationError.field(
                f"documents.{name}", f"{path.name}: {name} is not a seed file in {manifest.name}."
            )
        layers = {}
        for username, layer in plan.get("layers", {}).items():
            layer = {"state": layer} if isinstance(layer, str) else layer
            if layer["state"] not in DEMO_STATES:
                raise ApplicationError.field(
                    f"documents.{name}.layers.{username}",
                    f"{path.name}: {name} / {username}: state must be one of "
                    f"{', '.join(sorted(DEMO_STATES))}, not {layer['state']!r}.",
                )
            layers[username] = LayerPlan(state=layer["state"], reason=layer.get("reason", ""))
        documents[hashes[name]] = DocumentPlan(gold=bool(plan.get("gold")), layers=layers)
    return Workflow(reviewer=data["reviewer"], documents=documents)


def demo_layer_state_set(*, document: Document, annotator, reviewer_name: str, plan: LayerPlan) -> None:
    """Move a freshly loaded annotator layer (in progress) to its planned state."""
    if plan.state == AssignmentState.IN_PROGRESS:
        return
    assignment_submit(document=document, annotator=annotator)
    if plan.state == AssignmentState.SUBMITTED:
        return
    reviewer = get_user_model().objects.get(username=reviewer_name)
    assignment = Assignment.objects.get(document=document, annotator=annotator)
    if plan.state == AssignmentState.APPROVED:
        assignment_approve(assignment=assignment, reviewer=reviewer)
    else:
        assignment_request_changes(assignment=assignment, reviewer=reviewer, reason=plan.reason)
