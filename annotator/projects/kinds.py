"""The one registry of label kinds: what a label means for argument maps, scores and exports.

Each kind says
- ``counts_as``: which span count of the credibility figures it adds to (claim, evidence,
  opinion, hedge; None: not counted) - docs/credibility.md;
- ``starts`` / ``ends``: the relation types a span of this kind may be the source / the
  target of (annotations/rules.py derives RELATION_ENDS from these; a relation whose
  target is a speaker, ``attributed_to``, has no target kind);
- ``aif_proposition``: whether the AIF export writes it as an I-node (exporters/aif.py).

``LabelKind`` (projects/models.py) is built from this list, and the workspace gets
``kinds_data()`` in its page data, so the browser reads the same rules. A new kind is an
entry here and a migration for the new choice (makemigrations writes it).
Relation types are named by their stored values: this module sits below annotations.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass


@dataclass(frozen=True)
class Kind:
    code: str
    label: str
    counts_as: str | None
    starts: tuple[str, ...]
    ends: tuple[str, ...]
    aif_proposition: bool


KINDS = (
    Kind(
        "claim",
        "Claim",
        "claim",
        ("supports", "attacks", "attributed_to"),
        ("supports", "attacks", "qualifies"),
        True,
    ),
    Kind("evidence", "Evidence", "evidence", ("supports", "attacks", "attributed_to"), (), True),
    Kind("opinion", "Opinion", "opinion", ("attributed_to",), ("supports", "attacks"), True),
    Kind("hedge", "Hedge", "hedge", ("qualifies", "attributed_to"), (), True),
    Kind("other", "Other", None, (), (), False),
)
KINDS_BY_CODE = {kind.code: kind for kind in KINDS}


def kind_choices() -> list[tuple[str, tuple[str, str]]]:
    """``LabelKind``'s members: CLAIM = "claim", "Claim", ..."""
    return [(kind.code.upper(), (kind.code, kind.label)) for kind in KINDS]


def kinds_starting(relation_type: str) -> set[str]:
    return {kind.code for kind in KINDS if relation_type in kind.starts}


def kinds_ending(relation_type: str) -> set[str]:
    return {kind.code for kind in KINDS if relation_type in kind.ends}


def kinds_counted_as(role: str) -> set[str]:
    """The kinds whose spans count as ``role`` (claim, evidence, opinion, hedge) in the figures."""
    return {kind.code for kind in KINDS if kind.counts_as == role}


def kinds_aif_propositions() -> set[str]:
    return {kind.code for kind in KINDS if kind.aif_proposition}


def kinds_data() -> list[dict]:
    """The registry as JSON for the browser (the workspace's page data)."""
    return [asdict(kind) for kind in KINDS]
