"""A label kind is named in one place (annotator/projects/kinds.py): everywhere else, SQL, Python,
JavaScript and templates ask the registry which kinds count as what, so a new kind is one entry
there and the migration makemigrations writes (docs/development.md, "A new label kind").

The scan below fails on code that names a kind where it means a role: a kind column tested
against a literal kind, a ``LabelKind`` member other than the default, a list of kinds in the
browser. Roles ("claim", "evidence", "opinion", "hedge": what a kind counts as) may be named.
"""

import re
from pathlib import Path

import pytest
from django.db import connection

from annotator.projects.kinds import KINDS

ROOT = Path(__file__).resolve().parents[2]
KIND = r"(?:claim|evidence|opinion|hedge|other)"
COUNTED = r"(?:claim|evidence|opinion|hedge)"

PYTHON = [
    re.compile(rf"kind\s*(?:=|<>|!=|IS DISTINCT FROM)\s*'{KIND}'"),  # SQL: l.kind = 'claim'
    re.compile(rf"kind\s+(?:NOT\s+)?IN\s*\(\s*'{KIND}'"),  # SQL: l.kind IN ('claim', ...)
    re.compile(rf"kind\w*\s*(?:==|!=)\s*[\"']{KIND}[\"']"),  # label.kind == "evidence"
    re.compile(rf"kind\w*\s+(?:not\s+)?in\s*[(\[{{]\s*[\"']{KIND}[\"']"),  # kind in ("claim", ...)
    re.compile(rf"kind(?:__\w+)?\s*=\s*[\"']{COUNTED}[\"']"),  # filter(label__kind="hedge"), kind="claim"
    re.compile(r"LabelKind\.(?:CLAIM|EVIDENCE|OPINION|HEDGE)\b"),  # OTHER is the default kind
]
SCRIPT = [
    re.compile(rf"\.kind\s*(?:===|!==|==|!=)\s*[\"'`]{KIND}[\"'`]"),  # label.kind === "claim"
    re.compile(rf"[\"'`]{KIND}[\"'`]\s*(?:===|!==|==|!=)\s*[\w.]*kind\b"),
    re.compile(rf"\[\s*[\"'`]{COUNTED}[\"'`]\s*,"),  # new Set(["claim", "evidence"])
]
TEMPLATE = [re.compile(rf"\bkind\s*(?:==|!=)\s*[\"']{KIND}[\"']")]

# Files that may name kinds, and why.
ALLOWED = {
    "annotator/projects/kinds.py": "the registry itself",
    "annotator/projects/taxonomy.py": "the default labels a new project gets: data, one per kind",
    "templates/credibility/source_detail.html": "a drill-down row's kind is what its span counts as"
    " (credibility/sql.py selects the role), so it names a role",
}


def _files(pattern: str, *, under: tuple[str, ...]) -> list[Path]:
    return sorted(
        path
        for folder in under
        for path in (ROOT / folder).rglob(pattern)
        if "migrations" not in path.parts and str(path.relative_to(ROOT)) not in ALLOWED
    )


def _offences(paths: list[Path], patterns: list[re.Pattern]) -> list[str]:
    found = []
    for path in paths:
        for number, line in enumerate(path.read_text().splitlines(), 1):
            if any(p.search(line) for p in patterns):
                found.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
    return found


def test_the_scan_finds_the_ways_kinds_used_to_be_named():
    """The patterns catch each form the code used before the registry (so the scan can fail)."""
    python = [
        "  WHERE l.kind IN ('claim', 'evidence', 'opinion', 'hedge')",
        "JOIN projects_label el ON el.id = e.label_id AND el.kind = 'evidence'",
        "  IF span_kind IS DISTINCT FROM 'claim' THEN",
        'if evidence.label.kind != "evidence":',
        "STATING_KINDS = (LabelKind.CLAIM, LabelKind.EVIDENCE)",
        'Label.objects.filter(label__kind="hedge")',
    ]
    script = ['const STATING = new Set(["claim", "evidence"]);', 'if (label.kind === "claim") {']
    assert [any(p.search(line) for p in PYTHON) for line in python] == [True] * len(python)
    assert [any(p.search(line) for p in SCRIPT) for line in script] == [True] * len(script)
    # Roles, other kinds of thing and the default kind pass.
    fine = ["count(*) FILTER (WHERE f.role = 'claim')", "pv.kind <> 'self_citation'",
            "r.kind = 'outlet'", "kind: str = DEFAULT_KIND", "default=LabelKind.OTHER"]  # fmt: skip
    assert [any(p.search(line) for p in PYTHON) for line in fine] == [False] * len(fine)
    assert not any(p.search('countsAs(kindOf.get(span.label)) === "claim"') for p in SCRIPT)


def test_no_module_names_a_kind_outside_the_registry():
    python = _offences(_files("*.py", under=("annotator", "api")), PYTHON)
    script = _offences(_files("*.js", under=("annotator",)), SCRIPT)
    templates = _offences(_files("*.html", under=("templates", "annotator")), TEMPLATE)
    assert python + script + templates == []


@pytest.mark.django_db
def test_the_database_function_is_the_registry():
    """assay_kind_role, which the link-flag functions and the propositions triggers call, is
    rewritten from KINDS after every migrate (the test database was just migrated)."""
    codes = [kind.code for kind in KINDS]
    with connection.cursor() as cursor:
        cursor.execute("SELECT code, assay_kind_role(code) FROM unnest(%s::text[]) code", [codes])
        assert cursor.fetchall() == [(kind.code, kind.counts_as) for kind in KINDS]
        cursor.execute(
            "SELECT p.proname FROM pg_proc p WHERE p.prosrc ~ %s ORDER BY 1",
            [r"\mkind (=|IS DISTINCT FROM) '(claim|evidence|opinion|hedge)'"],
        )
        assert cursor.fetchall() == []  # no function or trigger tests a kind itself
