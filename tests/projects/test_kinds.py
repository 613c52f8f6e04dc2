"""Label kinds are defined once (annotator/projects/kinds.py): the model's choices, the
relation rule, the AIF export, the SQL fragments and the workspace's page data all read the
same entries. This file pins the registry's content: a new kind updates its expected values."""

import json
import re

import pytest
from django.test import Client

from annotator.annotations.rules import RELATION_ENDS, relation_ends_problem
from annotator.interchange.exporters.aif import PROPOSITION_KINDS
from annotator.projects.kinds import KINDS, ROLES, kinds_counted_as, kinds_data, kinds_sql, role_sql
from annotator.projects.models import LabelKind, Role
from tests.factories import DocumentFactory, ProjectFactory, member


def test_the_model_choices_are_the_registry():
    assert LabelKind.choices == [
        ("claim", "Claim"),
        ("evidence", "Evidence"),
        ("opinion", "Opinion"),
        ("hedge", "Hedge"),
        ("other", "Other"),
    ]
    assert (LabelKind.CLAIM, LabelKind.HEDGE.label) == ("claim", "Hedge")


def test_the_relation_rule_is_derived_from_what_each_kind_may_start_and_end():
    assert {
        "supports": ({"evidence", "claim"}, {"claim", "opinion"}),
        "attacks": ({"evidence", "claim"}, {"claim", "opinion"}),
        "qualifies": ({"hedge"}, {"claim"}),
        "attributed_to": ({"claim", "evidence", "opinion", "hedge"}, None),
    } == RELATION_ENDS
    assert relation_ends_problem(
        type="qualifies", source_kind="claim", source_code="C", target_kind="claim", target_code="C"
    ) == (
        "source",
        "This claim span (C) cannot be the source of qualifies: the source must be of kind hedge.",
    )


def test_what_kinds_count_as_and_export_to():
    assert [kinds_counted_as(role) for role in ("claim", "evidence", "opinion", "hedge")] == [
        {"claim"},
        {"evidence"},
        {"opinion"},
        {"hedge"},
    ]
    assert {"claim", "evidence", "opinion", "hedge"} == PROPOSITION_KINDS
    assert [kind.code for kind in KINDS if kind.counts_as is None] == ["other"]


@pytest.mark.django_db
def test_the_workspace_page_carries_the_kinds_as_data():
    """The browser reads counts_as and the relations a kind may start from the page, not a list of its own."""
    project = ProjectFactory()
    document = DocumentFactory(project=project)
    client = Client()
    client.force_login(member(project, Role.ANNOTATOR))
    html = client.get(f"/documents/{document.pk}/").content.decode()
    found = re.search(r'<script id="label-kinds" type="application/json">(.*?)</script>', html)
    kinds = {k["code"]: k for k in json.loads(found.group(1))}
    assert list(kinds) == ["claim", "evidence", "opinion", "hedge", "other"]
    assert kinds["hedge"] == {
        "code": "hedge",
        "label": "Hedge",
        "counts_as": "hedge",
        "starts": ["qualifies", "attributed_to"],
        "ends": [],
        "aif_proposition": True,
        "states": False,
    }


def test_sql_fragments_are_rendered_from_the_registry():
    assert kinds_sql("claim") == "('claim')"
    assert kinds_sql(*ROLES) == "('claim', 'evidence', 'opinion', 'hedge')"
    assert role_sql("l.kind") == (
        "(CASE l.kind WHEN 'claim' THEN 'claim' WHEN 'evidence' THEN 'evidence'"
        " WHEN 'opinion' THEN 'opinion' WHEN 'hedge' THEN 'hedge' END)"
    )
    with pytest.raises(AssertionError):
        kinds_sql("thesis")  # no kind counts as it: an empty IN () would be an SQL error


def test_the_browser_gets_what_each_kind_states():
    assert [(k["code"], k["states"]) for k in kinds_data()] == [
        ("claim", True),
        ("evidence", True),
        ("opinion", False),
        ("hedge", False),
        ("other", False),
    ]
