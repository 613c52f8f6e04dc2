"""The one registry of label kinds: what a label means for argument maps, scores and exports.

Each kind says
- ``counts_as``: which span count of the credibility figures it adds to (claim, evidence,
  opinion, hedge; None: not counted) - docs/credibility.md;
- ``starts`` / ``ends``: the relation types a span of this kind may be the source / the
  target of (annotations/rules.py derives RELATION_ENDS from these; a relation whose
  target is a speaker, ``attributed_to``, has no target kind);
- ``aif_proposition``: whether the AIF export writes it as an I-node (exporters/aif.py).

``LabelKind`` (projects/models.py) is built from this list, and the workspace gets
``kinds_data()`` in its page data, so the browser reads the same rules. SQL builders
render the kinds of a role with ``kinds_sql`` and ``role_sql``; functions and triggers
inside PostgreSQL call ``assay_kind_role(kind)``, which ``kind_role_function_install``
rewrites from this list after every ``migrate`` (projects/apps.py). A new kind is an
entry here and the migration ``makemigrations`` writes for the new choice
(docs/development.md, "A new label kind"). Code elsewhere names roles (``ROLES``), never
kinds: tests/projects/test_kinds_named_once.py checks it.
Relation types are named by their stored values: this module sits below annotations.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass

# What a span can count as in the figures (docs/credibility.md): the fixed vocabulary the
# credibility and proposition code speaks; each kind maps onto one of them or none.
ROLES = ("claim", "evidence", "opinion", "hedge")
CLAIM, EVIDENCE, OPINION, HEDGE = ROLES
# Spans of these roles state a proposition (propositions/); provenance is for evidence.
STATING_ROLES = (CLAIM, EVIDENCE)


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
DEFAULT_KIND = "other"  # a label created or imported without a kind
assert DEFAULT_KIND in KINDS_BY_CODE  # noqa: S101 - constants
# Kind codes are rendered into SQL (kinds_sql, role_sql): plain lower-case words only.
assert all(re.fullmatch(r"[a-z_]+", k.code) and k.counts_as in (*ROLES, None) for k in KINDS)  # noqa: S101


def kind_choices() -> list[tuple[str, tuple[str, str]]]:
    """``LabelKind``'s members: CLAIM = "claim", "Claim", ..."""
    return [(kind.code.upper(), (kind.code, kind.label)) for kind in KINDS]


def kinds_starting(relation_type: str) -> set[str]:
    return {kind.code for kind in KINDS if relation_type in kind.starts}


def kinds_ending(relation_type: str) -> set[str]:
    return {kind.code for kind in KINDS if relation_type in kind.ends}


def kinds_counted_as(*roles: str) -> set[str]:
    """The kinds whose spans count as one of ``roles`` (claim, evidence, opinion, hedge) in the figures."""
    return {kind.code for kind in KINDS if kind.counts_as in roles}


def kind_role(code: str) -> str | None:
    """What a span of kind ``code`` counts as (None: not counted, or no such kind)."""
    kind = KINDS_BY_CODE.get(code)
    return kind.counts_as if kind else None


def kinds_sql(*roles: str) -> str:
    """The kinds counting as ``roles`` as an SQL list, ``('claim', 'thesis')``, for ``kind IN ...``.

    Rendered, not a parameter: the statements are module constants (prepared once), and
    the codes are this module's constants, checked above to be plain words."""
    codes = [kind.code for kind in KINDS if kind.code in kinds_counted_as(*roles)]
    assert codes, roles  # noqa: S101 - an empty IN () is an SQL error, an unknown role a bug
    return "(" + ", ".join(f"'{code}'" for code in codes) + ")"


def role_sql(column: str) -> str:
    """An SQL expression of what the kind in ``column`` counts as (NULL: not counted)."""
    whens = " ".join(f"WHEN '{k.code}' THEN '{k.counts_as}'" for k in KINDS if k.counts_as)
    return f"(CASE {column} {whens} END)"


# PostgreSQL's own copy of role_sql for functions and triggers (credibility_link_flags,
# the propositions triggers). A plain SQL expression, so the planner inlines it; IMMUTABLE
# between two migrates only, so never put it in an index or a stored column.
KIND_ROLE_FUNCTION = """CREATE OR REPLACE FUNCTION assay_kind_role(kind text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$ SELECT {expression} $$"""


def kind_role_function_install(connection) -> None:
    """(Re)write ``assay_kind_role`` from KINDS: called after every migrate (projects/apps.py),
    so a new kind needs no migration of its own for it. Sessions that prepared a statement
    calling it keep the old body until they reconnect (a new kind ships with a restart)."""
    with connection.cursor() as cursor:
        cursor.execute(KIND_ROLE_FUNCTION.format(expression=role_sql("kind")))


def kinds_aif_propositions() -> set[str]:
    return {kind.code for kind in KINDS if kind.aif_proposition}


def kinds_data() -> list[dict]:
    """The registry as JSON for the browser (the workspace's page data); ``states``: its
    spans state propositions (the workspace's proposition card)."""
    return [{**asdict(kind), "states": kind.counts_as in STATING_ROLES} for kind in KINDS]
