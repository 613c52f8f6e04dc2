"""Load seeds/sample_layer.json (native argument-map JSON) into the demo project.

Requires ``load_seeds`` (the project and its documents) and
``create_demo_users`` (reviewer, annotator1, annotator2). Writes go through
the annotation, relation and review services, all in one transaction; a
layer that already has spans is left as it is, so running it again changes
nothing. Afterwards the project's scores are recomputed in full.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from django.contrib.auth import get_user_model
from django.db import transaction

from annotator.annotations.models import Annotation, Layer
from annotator.annotations.relation_services import relation_create
from annotator.annotations.services import annotation_create
from annotator.core.datafiles import json_file_read
from annotator.core.errors import ApplicationError
from annotator.credibility.metrics import Targets
from annotator.credibility.services import scores_recompute
from annotator.credibility.signals import scores_signals_suspended
from annotator.demo.workflow import Workflow, demo_layer_state_set
from annotator.documents.models import Document
from annotator.projects.models import Label, LabelSubtype, Membership, Project
from annotator.reviews.models import AssignmentState
from annotator.reviews.services import assignment_submit
from annotator.sources.services import speaker_get_or_create

SCHEMA = "assay.argument-map/1"


@dataclass
class SampleResult:
    project: Project
    loaded: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    annotations: int = 0
    relations: int = 0
    scores: int = 0


def _read(path: Path) -> dict:
    return json_file_read(path, field="file", schema=SCHEMA, missing="sample layer")


def _prerequisites(data: dict) -> tuple[Project, dict]:
    slug = data["project"]["slug"]
    project = Project.objects.filter(slug=slug).first()
    if project is None:
        raise ApplicationError.field(
            "project", f"No project {slug!r}: run `python manage.py load_seeds` before load_sample_layer."
        )
    usernames = sorted({layer["annotator"] for doc in data["documents"] for layer in doc["layers"]})
    users = {u.username: u for u in get_user_model().objects.filter(username__in=usernames)}
    missing = [name for name in usernames if name not in users]
    if missing:
        raise ApplicationError.field(
            "annotator",
            f"User(s) {', '.join(missing)} missing: run `python manage.py create_demo_users` before load_sample_layer.",
        )
    members = set(
        Membership.objects.filter(project=project, is_active=True).values_list("user__username", flat=True)
    )
    outsiders = [name for name in usernames if name not in members]
    if outsiders:
        raise ApplicationError.field(
            "annotator",
            f"User(s) {', '.join(outsiders)} are not members of {project.name}: run create_demo_users.",
        )
    return project, users


def _load_layer(
    *, document: Document, layer: dict, user, labels: dict, subtypes: dict, where: str, plan=None
) -> tuple[int, int]:
    spans: dict[int, Annotation] = {}
    for i, a in enumerate(layer["annotations"]):
        at = f"{where}.annotations[{i}]"
        label = labels.get(a["label"])
        if label is None:
            raise ApplicationError.field(f"{at}.label", f"{at}: unknown label {a['label']!r}.")
        subtype = subtypes.get((label.pk, a["subtype"])) if a.get("subtype") else None
        if a.get("subtype") and subtype is None:
            raise ApplicationError.field(
                f"{at}.subtype", f"{at}: unknown subtype {a['subtype']!r} of {label.code}."
            )
        try:
            spans[a["id"]] = annotation_create(
                document=document, annotator=user, start=a["start"], end=a["end"], label=label, subtype=subtype,
                quote=a["quote"], note=a.get("note") or "", layer=layer["layer"],
            )  # fmt: skip
        except ApplicationError as exc:
            raise ApplicationError(f"{at}: {exc.message}", errors={at: [exc.message]}) from None
    for i, r in enumerate(layer["relations"]):
        at = f"{where}.relations[{i}]"
        speaker = (
            speaker_get_or_create(name=r["speaker"]["name"], kind=r["speaker"]["kind"])[0]
            if r.get("speaker")
            else None
        )
        try:
            relation_create(
                source=spans[r["source"]], type=r["type"], target=spans[r["target"]] if r.get("target") else None,
                speaker=speaker, note=r.get("note") or "",
            )  # fmt: skip
        except (ApplicationError, KeyError) as exc:
            message = (
                exc.message if isinstance(exc, ApplicationError) else f"no span with id {exc} in this layer"
            )
            raise ApplicationError(f"{at}: {message}", errors={at: [message]}) from None
    if plan is not None:
        demo_layer_state_set(document=document, annotator=user, reviewer_name=plan[0], plan=plan[1])
    elif layer["layer"] == Layer.ANNOTATOR and layer.get("state") == AssignmentState.SUBMITTED:
        assignment_submit(document=document, annotator=user)
    return len(spans), len(layer["relations"])


def sample_layer_load(*, path: Path, workflow: Workflow | None = None) -> SampleResult:
    """Load every layer as the file has it, or, with a demo ``workflow``, only the layers
    it plans (gold only where it says so), each left in its planned review state."""
    data = _read(path)
    project, users = _prerequisites(data)
    labels = {label.code: label for label in Label.objects.filter(project=project)}
    subtypes = {(s.label_id, s.code): s for s in LabelSubtype.objects.filter(label__project=project)}
    result = SampleResult(project=project)
    with scores_signals_suspended(), transaction.atomic():
        for d, doc in enumerate(data["documents"]):
            document = Document.objects.filter(project=project, content_hash=doc["content_hash"]).first()
            if document is None:
                raise ApplicationError.field(
                    f"documents[{d}]",
                    f"documents[{d}] ({doc.get('title') or doc['content_hash'][:12]}) is not in {project.name}: "
                    "run `python manage.py load_seeds` first.",
                )
            planned = workflow.document(doc["content_hash"]) if workflow else None
            for n, layer in enumerate(doc["layers"]):
                plan = None
                if workflow is not None:
                    if planned is None:
                        continue
                    if layer["layer"] == Layer.GOLD and not planned.gold:
                        continue
                    if layer["layer"] == Layer.ANNOTATOR:
                        if layer["annotator"] not in planned.layers:
                            continue
                        plan = (workflow.reviewer, planned.layers[layer["annotator"]])
                user, name = (
                    users[layer["annotator"]],
                    f"{document.display_title} / {layer['annotator']} ({layer['layer']})",
                )
                if Annotation.objects.filter(
                    document=document, annotator=user, layer=layer["layer"]
                ).exists():
                    result.skipped.append(name)
                    continue
                spans, relations = _load_layer(
                    document=document, layer=layer, user=user, labels=labels, subtypes=subtypes,
                    where=f"documents[{d}].layers[{n}]", plan=plan,
                )  # fmt: skip
                result.loaded.append(name)
                result.annotations += spans
                result.relations += relations
    result.scores = scores_recompute(project=project, targets=Targets(everything=True))
    return result
