"""The link flags ask what a source's kind counts as (``assay_kind_role``), not which kind
it is: a new kind that counts as evidence supports a claim without a migration here."""

from importlib import import_module

from django.db import migrations

kinds = import_module("annotator.projects.migrations.0008_kind_role_function")


class Migration(migrations.Migration):
    dependencies = [
        ("credibility", "0009_merge_20261206_1221"),
        ("projects", "0008_kind_role_function"),
    ]

    operations = [kinds.kinds_to_roles("credibility_link_flags(bigint[])", "credibility_link_flags_rebuild(bigint)")]
