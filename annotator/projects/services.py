from __future__ import annotations

import re
import uuid

from django.db import transaction
from django.utils.text import slugify

from annotator.core.errors import ApplicationError
from annotator.projects.models import Label, LabelSubtype, Membership, Project, Role
from annotator.projects.taxonomy import DEFAULT_LABELS


@transaction.atomic
def project_create(*, name: str, slug: str | None = None, description: str = "", created_by=None) -> Project:
    name = name.strip()
    if not name:
        raise ApplicationError.field("name", "A project needs a name.")
    if slug is not None and slug != "" and not re.fullmatch(r"[-a-zA-Z0-9_]+", slug):
        raise ApplicationError.field("slug", f"Slug {slug!r} may hold only letters, digits, '-' and '_'.")
    # A name of only punctuation (or only non-Latin letters) slugifies to "": such a
    # project still needs a slug of its own for its URLs and the CLI.
    slug = slug or slugify(name)[:80] or f"project-{uuid.uuid4().hex[:8]}"
    if Project.objects.filter(slug=slug).exists():
        raise ApplicationError.field("slug", f"A project with the slug {slug!r} already exists.")
    project = Project.objects.create(name=name, slug=slug, description=description)
    labels_create_defaults(project=project)
    if created_by is not None:
        membership_set(project=project, user=created_by, role=Role.MANAGER)
    return project


def labels_create_defaults(*, project: Project) -> None:
    for position, spec in enumerate(DEFAULT_LABELS):
        label, _ = Label.objects.get_or_create(
            project=project,
            code=spec["code"],
            defaults={
                "name": spec["name"],
                "kind": spec["kind"],
                "color": spec["color"],
                "shortcut": spec["shortcut"],
                "description": spec["description"],
                "position": position,
            },
        )
        for sub_position, (code, sub_name, description) in enumerate(spec["subtypes"]):
            LabelSubtype.objects.get_or_create(
                label=label,
                code=code,
                defaults={"name": sub_name, "description": description, "position": sub_position},
            )


def membership_set(*, project: Project, user, role: str) -> Membership:
    """Add the user to the project, or change their role (reactivating them)."""
    if role not in Role.values:
        raise ApplicationError.field("role", f"Unknown role {role!r}; use one of {', '.join(Role.values)}.")
    membership, created = Membership.objects.get_or_create(
        project=project, user=user, defaults={"role": role}
    )
    if not created and (membership.role != role or not membership.is_active):
        membership.role = role
        membership.is_active = True
        membership.save(update_fields=["role", "is_active"])
    return membership


@transaction.atomic
def project_update(*, project: Project, **changes) -> Project:
    """Rename or redescribe a project (its slug stays: URLs and the CLI use it)."""
    if "name" in changes:
        changes["name"] = changes["name"].strip()
        if not changes["name"]:
            raise ApplicationError.field("name", "A project needs a name.")
    for field, value in changes.items():
        setattr(project, field, value)
    if changes:
        project.save(update_fields=[*changes, "updated_at"])
    return project


@transaction.atomic
def project_delete(*, project: Project) -> None:
    """Delete a project and everything in it; history keeps a row for each deleted span, relation,
    assignment, label and membership, and for the project.

    Documents go first: their spans and relations cascade with them, and a label cannot be
    deleted while a span uses it (PROTECT).
    """
    project.documents.all().delete()
    project.delete()
