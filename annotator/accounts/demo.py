"""Demo users for a first run: one per role, members of the demo project."""

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db import transaction

from annotator.projects.models import Project, Role
from annotator.projects.services import membership_set

DEMO_PASSWORD = "assay-demo"
DEMO_USERS = [
    ("manager", Role.MANAGER, True),
    ("reviewer", Role.REVIEWER, False),
    ("annotator1", Role.ANNOTATOR, False),
    ("annotator2", Role.ANNOTATOR, False),
    ("annotator3", Role.ANNOTATOR, False),
]
# What each demo login is for, printed by create_demo_users (the states come from
# annotator/demo/demo_workflow.json, loaded by `load_sample_layer --demo-workflow`).
DEMO_PURPOSE = {
    "manager": "assign and reassign documents, project agreement, history and undo, /admin/",
    "reviewer": "the review queue: compare submitted layers, build gold",
    "annotator1": "label documents in progress; one was sent back with a reason",
    "annotator2": "label a document in progress; see submitted and approved work",
    "annotator3": "new on the project, nothing assigned yet: the manager assigns or reassigns work to them",
}


@dataclass
class DemoLogin:
    username: str
    password: str
    role: str
    purpose: str = ""


@transaction.atomic
def demo_users_create(*, project: Project) -> list[DemoLogin]:
    """Create (or reset) the demo users; the manager is also a staff user for /admin/."""
    User = get_user_model()
    logins = []
    for username, role, is_staff in DEMO_USERS:
        user, created = User.objects.get_or_create(
            username=username, defaults={"email": f"{username}@example.org", "is_staff": is_staff}
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save(update_fields=["password"])
        membership_set(project=project, user=user, role=role)
        logins.append(
            DemoLogin(username=username, password=DEMO_PASSWORD, role=role, purpose=DEMO_PURPOSE[username])
        )
    return logins
