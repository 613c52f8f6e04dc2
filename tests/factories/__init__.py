"""factory_boy factories for the domain model. Import from here in tests."""

import factory
from django.contrib.auth import get_user_model

from annotator.annotations.models import Annotation, Relation
from annotator.documents.models import Document
from annotator.documents.services import content_hash
from annotator.projects.models import Label, Membership, Project, Role
from annotator.projects.services import labels_create_defaults
from annotator.reviews.models import Assignment
from annotator.sources.models import Author, Source, Speaker


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    password = factory.PostGenerationMethodCall("set_password", "pw")

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class ProjectFactory(factory.django.DjangoModelFactory):
    """A project with the default CLAIM / EVIDENCE / OPINION / HEDGE taxonomy."""

    class Meta:
        model = Project
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Project {n}")
    slug = factory.Sequence(lambda n: f"project-{n}")

    @factory.post_generation
    def default_labels(obj, create, extracted, **kwargs):
        if create and extracted is not False:
            labels_create_defaults(project=obj)


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    project = factory.SubFactory(ProjectFactory)
    user = factory.SubFactory(UserFactory)
    role = Role.ANNOTATOR


def member(project, role=Role.ANNOTATOR, **user_kwargs):
    """A new user with ``role`` in ``project``."""
    user = UserFactory(**user_kwargs)
    MembershipFactory(project=project, user=user, role=role)
    return user


class SourceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Source

    name = factory.Sequence(lambda n: f"Outlet {n}")
    domain = factory.Sequence(lambda n: f"outlet{n}.example")


class AuthorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Author

    name = factory.Sequence(lambda n: f"Author {n}")


class SpeakerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Speaker

    name = factory.Sequence(lambda n: f"Speaker {n}")


class DocumentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Document

    project = factory.SubFactory(ProjectFactory)
    text = factory.Sequence(lambda n: f"Document {n}: it is widely considered that the claim holds.")
    content_hash = factory.LazyAttribute(lambda d: content_hash(d.text))
    char_count = factory.LazyAttribute(lambda d: len(d.text))
    word_count = factory.LazyAttribute(lambda d: len(d.text.split()))
    title = factory.Sequence(lambda n: f"Title {n}")


def label(project, code):
    return Label.objects.get(project=project, code=code)


class AnnotationFactory(factory.django.DjangoModelFactory):
    """A span; pass document, annotator (a project member), start, end and label_code."""

    class Meta:
        model = Annotation
        exclude = ["label_code"]

    document = factory.SubFactory(DocumentFactory)
    project = factory.LazyAttribute(lambda a: a.document.project)
    annotator = factory.LazyAttribute(lambda a: member(a.document.project))
    start = 0
    end = 8
    label_code = "CLAIM"
    label = factory.LazyAttribute(lambda a: label(a.document.project, a.label_code))
    quote = factory.LazyAttribute(lambda a: a.document.text[a.start : a.end])


class RelationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Relation

    source = factory.SubFactory(AnnotationFactory)
    target = None
    type = "supports"
    project = factory.LazyAttribute(lambda r: r.source.project)
    document = factory.LazyAttribute(lambda r: r.source.document)
    annotator = factory.LazyAttribute(lambda r: r.source.annotator)
    layer = factory.LazyAttribute(lambda r: r.source.layer)


class AssignmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Assignment

    document = factory.SubFactory(DocumentFactory)
    project = factory.LazyAttribute(lambda a: a.document.project)
    annotator = factory.LazyAttribute(lambda a: member(a.document.project))
