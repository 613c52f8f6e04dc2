from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from annotator.projects.kinds import kind_choices


class Role(models.TextChoices):
    ANNOTATOR = "annotator", "Annotator"
    REVIEWER = "reviewer", "Reviewer"
    MANAGER = "manager", "Manager"


class ScoreLayer(models.TextChoices):
    """Which annotations count for source scores and default exports."""

    GOLD = "gold", "Gold (adjudicated)"
    APPROVED = "approved", "Approved"
    SUBMITTED = "submitted", "Submitted"


class Project(models.Model):
    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=80, unique=True)
    description = models.TextField(blank=True)
    score_layer = models.CharField(max_length=20, choices=ScoreLayer.choices, default=ScoreLayer.GOLD)
    score_min_documents = models.PositiveIntegerField(
        default=3, help_text="Sources with fewer scored documents are shown as too little data (no rank)"
    )
    score_min_claims = models.PositiveIntegerField(
        default=5, help_text="Sources with fewer claims are shown as too little data (no rank)"
    )
    members = models.ManyToManyField(settings.AUTH_USER_MODEL, through="Membership", related_name="projects")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()  # renames and deletions through the API are audited

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(condition=~models.Q(name=""), name="project_name_not_empty"),
            models.CheckConstraint(condition=~models.Q(slug=""), name="project_slug_not_empty"),
        ]

    def __str__(self):
        return self.name


class Membership(models.Model):
    """A user's role in one project. Deactivated, never deleted, once work exists."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=20, choices=Role.choices)
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["project", "user"]
        constraints = [
            models.UniqueConstraint(fields=["project", "user"], name="membership_unique_user"),
            models.CheckConstraint(condition=models.Q(role__in=Role.values), name="membership_role_valid"),
        ]

    def __str__(self):
        return f"{self.user} as {self.role} in {self.project}"


# What a label means for argument maps and source scores: built from the kinds registry
# (projects/kinds.py), which also says what each kind counts as, links and exports to.
LabelKind = models.TextChoices("LabelKind", kind_choices())


class Label(models.Model):
    """A project's label. Codes are fixed once created so annotations keep their meaning."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="labels")
    code = models.CharField(max_length=40)
    name = models.CharField(max_length=80)
    kind = models.CharField(max_length=20, choices=LabelKind.choices, default=LabelKind.OTHER)
    description = models.TextField(blank=True)
    color = models.CharField(max_length=7, default="#777777")
    shortcut = models.CharField(max_length=1, blank=True)
    position = models.PositiveSmallIntegerField(default=0)
    is_active = models.BooleanField(default=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["project", "position", "code"]
        constraints = [
            models.UniqueConstraint(fields=["project", "code"], name="label_unique_code"),
            models.UniqueConstraint(
                fields=["project", "shortcut"],
                condition=~models.Q(shortcut=""),
                name="label_unique_shortcut",
            ),
            # Target of the composite foreign key from annotations (same project).
            models.UniqueConstraint(fields=["id", "project"], name="label_id_project"),
            models.CheckConstraint(
                condition=models.Q(code__regex=r"^[A-Z][A-Z0-9_]*$"), name="label_code_format"
            ),
            models.CheckConstraint(condition=models.Q(kind__in=LabelKind.values), name="label_kind_valid"),
            models.CheckConstraint(
                condition=models.Q(color__regex=r"^#[0-9a-fA-F]{6}$"), name="label_color_hex"
            ),
        ]

    def __str__(self):
        return self.code


class LabelSubtype(models.Model):
    label = models.ForeignKey(Label, on_delete=models.CASCADE, related_name="subtypes")
    code = models.CharField(max_length=40)
    name = models.CharField(max_length=80)
    description = models.TextField(blank=True)
    position = models.PositiveSmallIntegerField(default=0)
    is_active = models.BooleanField(default=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["label", "position", "code"]
        constraints = [
            models.UniqueConstraint(fields=["label", "code"], name="subtype_unique_code"),
            models.UniqueConstraint(fields=["id", "label"], name="subtype_id_label"),
            models.CheckConstraint(
                condition=models.Q(code__regex=r"^[a-z][a-z0-9_]*$"), name="subtype_code_format"
            ),
        ]

    def __str__(self):
        return f"{self.label.code}/{self.code}"


class InvitationState(models.TextChoices):
    PENDING = "pending", "Pending"
    ACCEPTED = "accepted", "Accepted"
    DECLINED = "declined", "Declined"


class Invitation(models.Model):
    """A non-staff manager's request that a user join a project; the user becomes a member
    only by accepting it (docs/security.md, "Adding members")."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="invitations")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="invitations")
    role = models.CharField(max_length=20, choices=Role.choices)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    state = models.CharField(max_length=20, choices=InvitationState.choices, default=InvitationState.PENDING)
    created_at = models.DateTimeField(auto_now_add=True)
    responded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["project", "user"],
                condition=models.Q(state="pending"),
                name="invitation_one_pending",
            ),
            models.CheckConstraint(condition=models.Q(role__in=Role.values), name="invitation_role_valid"),
            models.CheckConstraint(
                condition=models.Q(state__in=InvitationState.values), name="invitation_state_valid"
            ),
        ]

    def __str__(self):
        return f"{self.user} invited to {self.project} as {self.role} ({self.state})"
