"""The one rule for which spans a relation may link, by label kind (docs/credibility.md, "Relations").

A link outside it could never count in any figure, so every write path
refuses it: the annotation services (API, workspace, bulk, adjudication) and
the importers. A claim supporting a claim is a sub-claim, and a claim attacking
a claim a counter-claim: each counts when it is itself supported. Evidence for
or against an opinion is part of the argument map, though only claims are scored.
"""

from __future__ import annotations

from annotator.annotations.models import RelationType
from annotator.projects.kinds import kinds_ending, kinds_starting

# Relations whose target is a speaker, not a span: no target kind to check.
SPEAKER_TARGETS = {RelationType.ATTRIBUTED_TO}

# type: (source kinds, target kinds; None = the target is a speaker), from the kinds registry
# (projects/kinds.py: each kind says which relations it may start and end).
RELATION_ENDS = {
    type: (kinds_starting(type), None if type in SPEAKER_TARGETS else kinds_ending(type))
    for type in RelationType.values
}


def _kinds(kinds) -> str:
    return " or ".join(sorted(str(k) for k in kinds))


def relation_ends_problem(
    *, type: str, source_kind: str, source_code: str, target_kind: str | None, target_code: str = ""
) -> tuple[str, str] | None:
    """(field, message) when a ``type`` link between spans of these kinds can never count, else None."""
    sources, targets = RELATION_ENDS[type]
    if source_kind not in sources:
        return (
            "source",
            f"This {source_kind} span ({source_code}) cannot be the source of {type}: "
            f"the source must be of kind {_kinds(sources)}.",
        )
    if target_kind is not None and targets is not None and target_kind not in targets:
        return (
            "target",
            f"This {target_kind} span ({target_code}) cannot be the target of {type}: "
            f"the target must be of kind {_kinds(targets)}.",
        )
    return None
