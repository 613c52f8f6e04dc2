"""The link and provenance triggers ask what a span's kind counts as (``assay_kind_role``):
a new kind that counts as claim or evidence states propositions without a migration here."""

from importlib import import_module

from django.db import migrations

kinds = import_module("annotator.projects.migrations.0008_kind_role_function")


class Migration(migrations.Migration):
    dependencies = [
        ("propositions", "0004_lexeme_counts_per_statement"),
        ("projects", "0008_kind_role_function"),
    ]

    operations = [kinds.kinds_to_roles("propositions_check_link()", "propositions_check_provenance()")]
