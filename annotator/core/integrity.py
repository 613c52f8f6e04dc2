"""Turns a database constraint violation into field-level messages.

Services check every rule first with a friendlier message; this is the net
for code paths that reach the database directly (bulk writes, races).
"""

from django.db import IntegrityError

# constraint or trigger name -> (field, message)
CONSTRAINT_MESSAGES: dict[str, tuple[str, str]] = {
    "annotation_start_not_negative": ("start", "Start must be 0 or more."),
    "annotation_start_before_end": ("end", "End must be after start."),
    "annotation_unique_span": (
        "non_field_errors",
        "This layer already has a span with these offsets and label.",
    ),
    "annotation_within_text": ("end", "The span runs past the end of the document text."),
    "annotation_quote_matches": ("quote", "The quote does not equal the document text at these offsets."),
    "annotation_document_project_fk": ("document", "The document belongs to another project."),
    "annotation_label_project_fk": ("label", "The label belongs to another project."),
    "annotation_subtype_label_fk": ("subtype", "The subtype belongs to another label."),
    "annotation_annotator_member_fk": ("annotator", "The annotator is not a member of this project."),
    "annotation_one_gold_layer": ("layer", "This document's gold layer is stored under another reviewer."),
    "relation_source_same_layer_fk": ("source", "The source span is not in this document and layer."),
    "relation_target_same_layer_fk": ("target", "The target span is not in this document and layer."),
    "relation_document_project_fk": ("document", "The document belongs to another project."),
    "relation_not_self": ("target", "A span cannot be linked to itself."),
    "relation_endpoints_match_type": (
        "type",
        "attributed_to needs a speaker; other types need a target span and no speaker.",
    ),
    "relation_unique_link": ("non_field_errors", "These spans are already linked with this type."),
    "relation_unique_speaker_link": ("non_field_errors", "This span is already attributed to this speaker."),
    "document_unique_text": ("text", "This project already has a document with the same text."),
    "document_text_immutable": ("text", "Document text cannot be changed once stored."),
    "assignment_unique": ("non_field_errors", "This annotator is already assigned to this document."),
    "assignment_annotator_member_fk": ("annotator", "The annotator is not a member of this project."),
    "membership_unique_user": ("user", "This user is already a member of the project."),
    "label_unique_code": ("code", "This project already has a label with this code."),
    "label_unique_shortcut": ("shortcut", "Another label already uses this shortcut."),
}


def constraint_name(exc: IntegrityError) -> str | None:
    cause = exc.__cause__
    diag = getattr(cause, "diag", None)
    name = getattr(diag, "constraint_name", None)
    if name:
        return name
    # Triggers raise with the rule's name as the message prefix ("annotation_within_text: ...").
    primary = getattr(diag, "message_primary", None) or str(exc)
    head = primary.split(":", 1)[0].strip()
    return head if head in CONSTRAINT_MESSAGES else None


def integrity_error_fields(exc: IntegrityError) -> dict[str, list[str]]:
    name = constraint_name(exc)
    if name in CONSTRAINT_MESSAGES:
        field, message = CONSTRAINT_MESSAGES[name]
        return {field: [message]}
    return {"non_field_errors": [f"The data breaks a database rule ({name or 'unknown'})."]}
