from __future__ import annotations

import re
import uuid

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from annotator.core.errors import ApplicationError, NotFound
from annotator.projects.kinds import DEFAULT_KIND
from annotator.projects.models import (
    Invitation,
    InvitationState,
    Label,
    LabelKind,
    LabelSubtype,
    Membership,
    Project,
    Role,
)
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
    _role_check(role)
    membership, created = Membership.objects.get_or_create(
        project=project, user=user, defaults={"role": role}
    )
    if not created and (membership.role != role or not membership.is_active):
        membership.role = role
        membership.is_active = True
        membership.save(update_fields=["role", "is_active"])
    return membership


def _role_check(role: str) -> None:
    if role not in Role.values:
        raise ApplicationError.field("role", f"Unknown role {role!r}; use one of {', '.join(Role.values)}.")


@transaction.atomic
def membership_request(
    *, project: Project, requested_by, role: str, user_id: int | None = None, username: str | None = None
) -> Membership | None:
    """Bring a user into a project: the one way a manager adds someone (API and pages).

    Staff users and superusers add the account at once (an unknown one is an error naming
    it). Other managers must not learn which accounts exist nor enrol anyone unasked:
    someone already in the project (active or deactivated, so visible in its member list)
    just gets the role; anyone else gets an invitation to accept or decline, and the
    answer (None) is the same whether or not the account exists.
    """
    _role_check(role)
    field, value = ("user", user_id) if user_id is not None else ("username", username)
    lookup = {"pk": user_id} if user_id is not None else {"username": username}
    user = get_user_model().objects.filter(**lookup, is_active=True).first()
    if requested_by.is_staff or requested_by.is_superuser:
        if user is None:
            raise ApplicationError.field(field, f"There is no user {value!r}.")
        return membership_set(project=project, user=user, role=role)
    if user is None:
        return None
    if Membership.objects.filter(project=project, user=user).exists():
        return membership_set(project=project, user=user, role=role)
    Invitation.objects.update_or_create(
        project=project,
        user=user,
        state=InvitationState.PENDING,
        defaults={"role": role, "invited_by": requested_by},
    )
    return None


@transaction.atomic
def invitation_respond(*, user, invitation_id: int, accept: bool) -> Membership | None:
    """Accept (becoming a member with the invited role) or decline one's own pending invitation."""
    invitation = (
        Invitation.objects.select_for_update()
        .filter(pk=invitation_id, user=user, state=InvitationState.PENDING)
        .first()
    )
    if invitation is None:
        raise NotFound("Invitation not found.")
    invitation.state = InvitationState.ACCEPTED if accept else InvitationState.DECLINED
    invitation.responded_at = timezone.now()
    invitation.save(update_fields=["state", "responded_at"])
    if not accept:
        return None
    return membership_set(project=invitation.project, user=user, role=invitation.role)


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


# --- Taxonomy: labels and subtypes (used by the API and the native importer) ---
# Codes never change once created: annotations and exports refer to them.

LABEL_EDITABLE = ("name", "kind", "description", "color", "shortcut", "position", "is_active")
SUBTYPE_EDITABLE = ("name", "description", "position", "is_active")


def _check_code(code: str, *, pattern: str, example: str, field: str = "code") -> None:
    if not re.fullmatch(pattern, code or ""):
        raise ApplicationError.field(field, f"Code {code!r} is not valid; use the form {example}.")


@transaction.atomic
def label_create(*, project, code: str, name: str, kind: str = DEFAULT_KIND, **fields) -> Label:
    _check_code(code, pattern=r"[A-Z][A-Z0-9_]*", example="CLAIM or SOURCE_2")
    if kind not in LabelKind.values:
        raise ApplicationError.field(
            "kind", f"Unknown label kind {kind!r}; use one of {', '.join(LabelKind.values)}."
        )
    if Label.objects.filter(project=project, code=code).exists():
        raise ApplicationError.field("code", f"This project already has a label {code}.")
    shortcut = fields.get("shortcut") or ""
    if shortcut and Label.objects.filter(project=project, shortcut=shortcut).exists():
        raise ApplicationError.field("shortcut", f"Another label already uses the shortcut {shortcut!r}.")
    return Label.objects.create(project=project, code=code, name=name.strip() or code, kind=kind, **fields)


@transaction.atomic
def label_update(*, label, **changes) -> Label:
    if "code" in changes and changes["code"] != label.code:
        raise ApplicationError.field(
            "code", "Label codes cannot change once created; add a new label instead."
        )
    if "kind" in changes and changes["kind"] not in LabelKind.values:
        raise ApplicationError.field("kind", f"Unknown label kind {changes['kind']!r}.")
    shortcut = changes.get("shortcut")
    if (
        shortcut
        and Label.objects.filter(project_id=label.project_id, shortcut=shortcut).exclude(pk=label.pk).exists()
    ):
        raise ApplicationError.field("shortcut", f"Another label already uses the shortcut {shortcut!r}.")
    fields = [name for name in LABEL_EDITABLE if name in changes]
    for name in fields:
        setattr(label, name, changes[name])
    label.save(update_fields=fields or None)
    return label


@transaction.atomic
def subtype_create(*, label, code: str, name: str, **fields) -> LabelSubtype:
    _check_code(code, pattern=r"[a-z][a-z0-9_]*", example="statistic or vague_attribution")
    if LabelSubtype.objects.filter(label=label, code=code).exists():
        raise ApplicationError.field("code", f"Label {label.code} already has a subtype {code}.")
    return LabelSubtype.objects.create(label=label, code=code, name=name.strip() or code, **fields)


@transaction.atomic
def subtype_update(*, subtype, **changes) -> LabelSubtype:
    if "code" in changes and changes["code"] != subtype.code:
        raise ApplicationError.field(
            "code", "Subtype codes cannot change once created; add a new subtype instead."
        )
    fields = [name for name in SUBTYPE_EDITABLE if name in changes]
    for name in fields:
        setattr(subtype, name, changes[name])
    subtype.save(update_fields=fields or None)
    return subtype


def membership_deactivate(*, membership) -> None:
    """Members are deactivated, never deleted: their layers stay attributed to them."""
    membership.is_active = False
    membership.save(update_fields=["is_active"])
