"""Import, step one: parse and validate every uploaded file; nothing is written.

Each importer (importers/) turns a file into parsed documents or rejected lines;
``validate`` checks each document against the project. File-level problems (not
text, not JSON) raise a 400; in all-or-nothing mode ``rejections_error`` turns the
rejected lines into one 400 naming each.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from annotator.core.errors import ApplicationError
from annotator.interchange.importers import importer_get
from annotator.interchange.importers.base import ParsedDocument, Rejection, Taxonomy, decode_text, validate


@dataclass
class ParseResult:
    documents: list[ParsedDocument] = field(default_factory=list)
    rejections: list[Rejection] = field(default_factory=list)
    # Native files' propositions and provenance, applied after their spans are stored.
    propositions: list[dict] = field(default_factory=list)


def import_parse(*, files: list[tuple[str, bytes, str]], taxonomy: Taxonomy) -> ParseResult:
    """Parse and validate every file; file-level problems (not text, not JSON) raise a 400."""
    result = ParseResult()
    for filename, data, fmt in files:
        text = decode_text(data, filename)
        parse = importer_get(fmt).parse
        items = parse(text, filename=filename, taxonomy=taxonomy, extras=result.propositions)
        for item in items:
            if isinstance(item, Rejection):
                item.file = filename
                result.rejections.append(item)
                continue
            problem = validate(item, taxonomy)
            if problem:
                result.rejections.append(Rejection(item.where, problem, file=filename))
            else:
                result.documents.append(item)
    return result


def rejections_error(rejections: list[Rejection]) -> ApplicationError:
    errors: dict[str, list[str]] = {}
    for rejection in rejections:
        errors.setdefault(rejection.key, []).append(rejection.message)
    first = rejections[0]
    return ApplicationError(
        f"{len(rejections)} rejected ({first.key}: {first.message}); nothing was imported.", errors=errors
    )
