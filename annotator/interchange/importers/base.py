"""What every importer produces: parsed documents with their layers, and rejected lines.

Parsing never writes. Each importer turns one uploaded file into
``ParsedDocument`` objects (or a ``Rejection`` per bad line); ``validate``
then checks each document against the project (labels, subtypes, offsets,
relation ends) so the writer only ever sees clean input.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date

from annotator.annotations.models import Layer, RelationType, ReviewStatus
from annotator.annotations.rules import relation_ends_problem
from annotator.core.errors import ApplicationError
from annotator.projects.models import Label, LabelSubtype
from annotator.sources.models import SpeakerKind


@dataclass
class Rejection:
    where: str  # "line 12" or "documents[3].layers[0]"
    message: str
    file: str = ""

    def as_dict(self) -> dict:
        return {"file": self.file, "where": self.where, "message": self.message}

    @property
    def key(self) -> str:
        return f"{self.file} {self.where}".strip()


@dataclass
class ParsedSpan:
    ref: object
    start: int
    end: int
    label: str
    subtype: str | None = None
    note: str = ""
    quote: str | None = None
    status: str = ReviewStatus.PENDING
    status_reason: str = ""
    origin: object = None  # ref of the span this one was taken from (native files)


@dataclass
class ParsedRelation:
    type: str
    source: object
    target: object = None
    speaker: tuple[str, str] | None = None
    note: str = ""
    status: str = ReviewStatus.PENDING
    status_reason: str = ""
    ref: object = None
    origin: object = None


@dataclass
class ParsedLayer:
    annotator: str | None = None  # username in the file; None = the importing user
    layer: str = Layer.ANNOTATOR
    state: str | None = None  # the assignment's review state (native files); None = in progress
    reason: str = ""
    spans: list[ParsedSpan] = field(default_factory=list)
    relations: list[ParsedRelation] = field(default_factory=list)


@dataclass
class ParsedDocument:
    where: str
    text: str
    title: str = ""
    url: str = ""
    published_on: date | None = None
    outlet: str = ""
    outlet_domain: str = ""
    authors: list[str] = field(default_factory=list)
    language: str = ""
    layers: list[ParsedLayer] = field(default_factory=list)
    provenance: dict = field(default_factory=dict)


def decode_text(data: bytes, filename: str) -> str:
    """UTF-8 text, or a 400 that says where the bytes stop being text."""
    nul = data.find(b"\x00")
    if nul != -1:
        raise ApplicationError.field(
            "file", f"{filename} looks like a binary file (a NUL byte at byte offset {nul}), not UTF-8 text."
        )
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise ApplicationError.field(
            "file",
            f"{filename} is not valid UTF-8: byte 0x{data[exc.start]:02x} at byte offset {exc.start} (line {line}).",
        ) from None
    return text[1:] if text.startswith("\ufeff") else text


def json_error(exc: json.JSONDecodeError) -> str:
    return f"malformed JSON at column {exc.colno}: {exc.msg}"


class UnstorableJSON(ValueError):
    """JSON that parses but cannot be stored: too deeply nested, or text PostgreSQL refuses."""


def json_parse(text: str, *, decoded: bool = False):
    """``json.loads``, refusing what would otherwise fail later as a 500.

    PostgreSQL text holds neither NUL (``\\u0000``) nor a lone surrogate (``\\ud800``,
    which has no UTF-8 form), and a deeply nested value exhausts Python's recursion
    limit. Raises ``json.JSONDecodeError`` for malformed JSON, UnstorableJSON naming
    the field for the rest. ``decoded``: ``text`` is (a slice of) decode_text's output, which
    holds neither raw (strict UTF-8 has no surrogate code points, NUL bytes are refused), so
    only their ``\\u`` escapes are searched.
    """
    try:
        value = json.loads(text)
    except RecursionError:
        raise UnstorableJSON("the JSON is nested too deeply (lists or objects inside each other)") from None
    if _ESCAPED_PROBLEM.search(text) is None and (
        decoded or ("\x00" not in text and _SURROGATE.search(text) is None)
    ):
        return value  # no string in it can hold either: walking every value was a third of the parse
    problem = text_problem(value)
    if problem is not None:
        raise UnstorableJSON(problem)
    return value


# Searched in C: a loop over every character in Python was half of an import's parse time.
_SURROGATE = re.compile("[\ud800-\udfff]")
# Parsed JSON holds a NUL or a lone surrogate only where the text has it raw or as a \\u escape
# (json.loads refuses raw control characters inside strings); a false hit (an escaped
# backslash before "u0000") only costs the full walk.
_ESCAPED_PROBLEM = re.compile(r"\\u(?:0000|[dD][89abcdefABCDEF])")


def _string_problem(text: str) -> str | None:
    if "\x00" in text:
        return "a NUL character (\\u0000)"
    found = _SURROGATE.search(text)
    if found is not None:
        return f"a lone surrogate (\\u{ord(found.group()):04x}), which is not a character"
    return None


def text_problem(value) -> str | None:
    """Where a parsed JSON value holds a string PostgreSQL cannot store, or None (no recursion)."""
    stack: list[tuple[str, object]] = [("", value)]
    while stack:
        path, item = stack.pop()
        if isinstance(item, str):
            problem = _string_problem(item)
            if problem:
                return f"{path or 'the value'} contains {problem}"
        elif isinstance(item, dict):
            for key, child in item.items():
                problem = _string_problem(key)
                if problem:
                    return f"a key in {path or 'the object'} contains {problem}"
                stack.append((f"{path}.{key}" if path else key, child))
        elif isinstance(item, list):
            stack.extend((f"{path}[{index}]", child) for index, child in enumerate(item))
    return None


def as_text(value, name: str, *, limit: int) -> str:
    if value is None:
        return ""
    if not isinstance(value, str):
        raise ValueError(f"{name} must be a string, not {type(value).__name__}")
    if len(value) > limit:
        raise ValueError(f"{name} is longer than {limit} characters")
    return value.strip()


def as_date(value, name: str = "published_on") -> date | None:
    if value in (None, ""):
        return None
    if not isinstance(value, str):
        raise ValueError(f"{name} must be a date like 2024-05-31")
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        raise ValueError(f"{name} {value!r} is not a date like 2024-05-31") from None


def as_authors(value) -> list[str]:
    if value in (None, ""):
        return []
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(a, str) for a in value):
        raise ValueError("authors must be a list of names")
    return [" ".join(a.split()) for a in value if a.strip()]


def as_offset(value, name: str) -> int:
    if not isinstance(value, int) or isinstance(value, bool):
        raise ValueError(f"{name} must be a whole number of code points, not {value!r}")
    return value


class Taxonomy:
    """The project's label codes, matched by code or by name, case-insensitively (doccano uses names).

    Native files declare their labels; ``declare`` adds the missing ones so
    validation passes and the writer creates them.
    """

    def __init__(self, project):
        self.labels: dict[str, str] = {}
        self.kinds: dict[str, str] = {}  # code -> label kind, for the relation rule
        for code, name, kind in Label.objects.filter(project=project, is_active=True).values_list(
            "code", "name", "kind"
        ):
            self.labels[code.lower()] = code
            self.labels.setdefault(name.lower(), code)
            self.kinds[code] = kind
        self.subtypes: dict[tuple[str, str], str] = {
            (label_code, code.lower()): code
            for label_code, code in LabelSubtype.objects.filter(label__project=project).values_list(
                "label__code", "code"
            )
        }
        self.declared: list[dict] = []

    @property
    def codes(self) -> list[str]:
        return sorted(set(self.labels.values()))

    def declare(self, labels) -> None:
        if not isinstance(labels, list):
            return
        for label in labels:
            if not isinstance(label, dict) or not isinstance(label.get("code"), str):
                continue
            code = label["code"]
            new = code.lower() not in self.labels
            subtypes = [
                s
                for s in label.get("subtypes") or []
                if isinstance(s, dict) and isinstance(s.get("code"), str)
            ]
            missing = [s for s in subtypes if (code, s["code"].lower()) not in self.subtypes]
            if new or missing:
                self.declared.append({**label, "subtypes": missing, "new": new})
            self.labels.setdefault(code.lower(), code)
            self.kinds.setdefault(code, str(label.get("kind") or "other"))
            for s in missing:
                self.subtypes[(code, s["code"].lower())] = s["code"]


# Choices' ``values`` build a new list on every read: validate reads them per relation.
_RELATION_TYPES = frozenset(RelationType.values)
_SPEAKER_KINDS = frozenset(SpeakerKind.values)


def validate(document: ParsedDocument, taxonomy: Taxonomy) -> str | None:
    """The first problem with a parsed document, or None. Resolves label and subtype codes."""
    text_length = len(document.text)
    if not document.text.strip():
        return "the text is empty"
    if "\x00" in document.text:
        return "the text contains a NUL character"
    for layer in document.layers:
        refs = {}
        seen = set()
        for span in layer.spans:
            if span.start < 0 or span.end > text_length or span.start >= span.end:
                return (
                    f"span {span.ref} has offsets {span.start}-{span.end}, outside the text "
                    f"(0-{text_length} code points) or empty"
                )
            if span.quote is not None and span.quote != document.text[span.start : span.end]:
                return f"span {span.ref}: the quote does not match the text at {span.start}-{span.end}"
            code = taxonomy.labels.get(str(span.label).lower())
            if code is None:
                return f"unknown label {span.label!r} (the project has {', '.join(taxonomy.codes)})"
            span.label = code
            if span.subtype:
                subtype = taxonomy.subtypes.get((code, str(span.subtype).lower()))
                if subtype is None:
                    return f"unknown subtype {span.subtype!r} of label {code}"
                span.subtype = subtype
            if span.ref in refs:
                return f"span id {span.ref} appears twice"
            refs[span.ref] = span
            if (span.start, span.end, code) in seen:
                return f"two {code} spans at {span.start}-{span.end} in one layer"
            seen.add((span.start, span.end, code))
        for relation in layer.relations:
            if relation.type not in _RELATION_TYPES:
                return f"unknown relation type {relation.type!r} (use {', '.join(RelationType.values)})"
            if relation.source not in refs:
                return f"a {relation.type} relation starts at span {relation.source}, which is not in this document"
            if relation.type == RelationType.ATTRIBUTED_TO:
                if relation.speaker is None:
                    return "an attributed_to relation needs a speaker"
                if relation.speaker[1] not in _SPEAKER_KINDS:
                    return f"unknown speaker kind {relation.speaker[1]!r}"
            elif relation.target not in refs:
                return f"a {relation.type} relation points to span {relation.target}, which is not in this document"
            elif relation.target == relation.source:
                return "a relation links a span to itself"
            source = refs[relation.source]
            target = refs.get(relation.target) if relation.type != RelationType.ATTRIBUTED_TO else None
            problem = relation_ends_problem(
                type=relation.type,
                source_kind=taxonomy.kinds.get(source.label, "other"),
                source_code=source.label,
                target_kind=taxonomy.kinds.get(target.label, "other") if target is not None else None,
                target_code=target.label if target is not None else "",
            )
            if problem is not None:
                return f"relation {relation.source} {relation.type} {relation.target or ''}: {problem[1]}".replace(
                    "  ", " "
                )
    return None


@dataclass(frozen=True)
class Importer:
    """One import format, registered in importers/__init__.py.

    ``parse(text, filename=..., taxonomy=..., extras=...)`` (``text`` from decode_text) yields ParsedDocument or Rejection;
    it may declare labels on ``taxonomy`` and append file-level data the writer applies after
    the spans (native propositions) to ``extras``. ``extensions`` (lower case, with the dot)
    let the format be guessed from a file's name; empty means only when asked for by name.
    """

    name: str
    extensions: tuple[str, ...]
    parse: Callable[..., Iterable[ParsedDocument | Rejection]]
