"""One span's field-by-field history for people: spans named by label and quote, speakers,
subtypes and people by name instead of their ids (the API keeps the ids)."""

from __future__ import annotations

from annotator.annotations.models import Annotation
from annotator.projects.models import LabelSubtype
from annotator.reviews.history import Entry
from annotator.reviews.history_actions import _Namer
from annotator.sources.models import Speaker

SPAN_FIELDS = {"source", "target", "origin"}
USER_FIELDS = {"annotator", "reviewed_by"}


def span_history_named(*, document, span_id: int, entries: list[Entry]) -> str:
    """Rewrite ``entries`` in place with names; returns the page's title."""
    namer = _Namer(document)
    speaker_ids = {v for e in entries for f, *values in e.changes if f == "speaker" for v in values if v}
    speakers = dict(Speaker.objects.filter(pk__in=speaker_ids).values_list("pk", "name"))
    subtypes = dict(
        LabelSubtype.objects.filter(label__project_id=document.project_id).values_list("pk", "code")
    )

    def show(name, value):
        if value in (None, ""):
            return value
        if name in SPAN_FIELDS:
            return namer.span(value)
        if name in USER_FIELDS:
            return namer.users.get(value, value)
        if name == "speaker":
            return speakers.get(value, value)
        if name == "subtype":
            return subtypes.get(value, value)
        return value

    layer, owner = Annotation.history.filter(id=span_id).values_list("layer", "annotator_id").first()
    where = "gold layer" if layer == "gold" else f"{namer.users.get(owner, 'someone')}'s layer"
    links: dict[int, str] = {}  # a relation's later entries show only what changed
    for entry in entries:
        entry.changes = [(name, show(name, old), show(name, new)) for name, old, new in entry.changes]
        values = {name: new for name, _, new in entry.changes}
        if entry.model == "annotation":  # the page's span: every entry is of the same one
            entry.name, entry.summary = namer.span(entry.object_id), where
            continue
        entry.name = "link"
        if entry.action == "created":
            links[entry.object_id] = _link(values)
        entry.summary = links.get(entry.object_id, entry.summary)
    return f"History of {namer.span(span_id)}"


def _link(values: dict) -> str:
    kind = str(values.get("type", "")).replace("_", " ")
    parts = (values.get("source"), kind, values.get("target") or values.get("speaker"))
    text = " ".join(str(part) for part in parts if part)
    return f"{text} (gold)" if values.get("layer") == "gold" else text
