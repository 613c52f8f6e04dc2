# Adds the "speculation" subtype (issue 13: hedge suggestions of kind speculation map to it)
# to the HEDGE label of every existing project, after its other subtypes.

from django.db import migrations
from django.db.models import Max

NAME = "Speculation"
DESCRIPTION = "\"Seems\", \"suspected\", \"it's unclear\", \"it can only be speculated\"."


def add_speculation(apps, schema_editor):
    Label = apps.get_model("projects", "Label")
    LabelSubtype = apps.get_model("projects", "LabelSubtype")
    for label in Label.objects.filter(kind="hedge", code="HEDGE"):
        if LabelSubtype.objects.filter(label=label, code="speculation").exists():
            continue
        last = LabelSubtype.objects.filter(label=label).aggregate(m=Max("position"))["m"]
        LabelSubtype.objects.create(
            label=label, code="speculation", name=NAME, description=DESCRIPTION, position=0 if last is None else last + 1
        )


def remove_speculation(apps, schema_editor):
    LabelSubtype = apps.get_model("projects", "LabelSubtype")
    # Only unused ones: a subtype spans point at is data, not taxonomy.
    LabelSubtype.objects.filter(
        label__kind="hedge", label__code="HEDGE", code="speculation", annotations__isnull=True
    ).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("projects", "0002_project_slug_not_empty"),
        ("annotations", "0001_initial"),
    ]

    operations = [migrations.RunPython(add_speculation, remove_speculation)]
