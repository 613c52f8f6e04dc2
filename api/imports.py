"""Upload documents to a project: .txt, JSONL, doccano JSONL or native JSON, as a background job."""

from __future__ import annotations

from rest_framework import serializers

from annotator.core.errors import ApplicationError
from annotator.interchange.import_jobs import import_job_start, upload_assert_size
from annotator.interchange.importers import import_format_for, import_formats
from annotator.interchange.imports import MODES, user_for_annotator
from annotator.projects.models import Project
from api.representations import id_field

MAX_FILES = 100


class UnsupportedMediaType(ApplicationError):
    status_code = 415


class ImportInput(serializers.Serializer):
    file = serializers.ListField(
        child=serializers.FileField(), help_text="One or more files (repeat the field)"
    )
    format = serializers.ChoiceField(choices=import_formats(), required=False,
                                     help_text="Default: from the file name (.txt, .jsonl, .json = native)")  # fmt: skip
    mode = serializers.ChoiceField(choices=MODES, default="atomic",
                                   help_text="atomic: all or nothing; skip: import good lines, report bad ones")  # fmt: skip
    annotator = id_field(required=False, help_text="Whose layer imported spans go to (default: yours)")


def import_request(request, *, project: Project):
    """Check sizes before reading the body, then the fields, then hand over to the import service."""
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = None
    upload_assert_size(size=length)
    content_type = request.content_type or ""
    if not content_type.startswith("multipart/form-data"):
        raise UnsupportedMediaType.field(
            "file",
            f'Send the files as multipart/form-data (field "file"), not {content_type or "no content type"}.',
        )
    files = request.FILES.getlist("file")
    if not files:
        raise ApplicationError.field(
            "file", 'No file was uploaded; send one or more files in the field "file".'
        )
    if len(files) > MAX_FILES:
        raise ApplicationError.field("file", f"At most {MAX_FILES} files per import.")
    fields = ImportInput(data={"file": files, **{k: request.data.get(k) for k in ("format", "mode", "annotator")
                                                 if request.data.get(k) not in (None, "")}})  # fmt: skip
    fields.is_valid(raise_exception=True)
    data = fields.validated_data
    uploads = []
    for upload in files:
        upload_assert_size(size=upload.size, name=upload.name)
        uploads.append((upload.name, upload.read(), import_format_for(upload.name, data.get("format"))))
    annotator = user_for_annotator(project=project, user_id=data.get("annotator"))
    return import_job_start(
        user=request.user, project=project, files=uploads, mode=data["mode"], annotator=annotator
    )
