import pytest

from annotator.projects.models import Role
from tests.factories import (
    AnnotationFactory,
    DocumentFactory,
    ProjectFactory,
    RelationFactory,
    SpeakerFactory,
    member,
)

# Code points: 0-12 "Taxes rose 5%", 15-44 "Experts say growth will follow",
# 46-69 "The minister said 😀 it.", "\u00a0" at 70, 71-85 "Maybe café\u0301 now."
TEXT = "Taxes rose 5%. Experts say growth will follow. The minister said 😀 it.\u00a0Maybe cafe\u0301 now."


@pytest.fixture
def mapped(db):
    """A document whose annotator layer has 2 claims, 2 evidence spans, a hedge, 2 supports, 1 attack,
    1 qualifies and 1 attribution to a speaker; plus a gold layer with one claim."""

    class Mapped:
        project = ProjectFactory(name="Export project", slug="export-project")
        document = DocumentFactory(project=project, text=TEXT, title="Mapped")
        annotator = member(project, Role.ANNOTATOR, username="ann")
        reviewer = member(project, Role.REVIEWER, username="rev")
        outsider = member(ProjectFactory(), Role.MANAGER, username="elsewhere")

        def span(self, start, end, code="CLAIM", user=None, layer="annotator"):
            return AnnotationFactory(document=self.document, annotator=user or self.annotator, start=start, end=end,
                                     label_code=code, layer=layer)  # fmt: skip

    m = Mapped()
    m.taxes = m.span(0, 13, "EVIDENCE")
    m.growth = m.span(15, 45, "CLAIM")
    m.minister = m.span(47, 70, "CLAIM")
    m.emoji = m.span(65, 66, "EVIDENCE")
    m.maybe = m.span(71, 76, "HEDGE")
    m.speaker = SpeakerFactory(name="Jane Minister", kind="government")
    RelationFactory(source=m.taxes, target=m.growth, type="supports")
    RelationFactory(source=m.emoji, target=m.minister, type="supports")
    RelationFactory(source=m.minister, target=m.growth, type="attacks")
    RelationFactory(source=m.maybe, target=m.minister, type="qualifies")
    RelationFactory(source=m.minister, type="attributed_to", speaker=m.speaker)
    m.gold = m.span(15, 45, "CLAIM", user=m.reviewer, layer="gold")
    return m
