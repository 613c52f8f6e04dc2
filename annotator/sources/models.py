"""Who publishes, writes and is quoted. Shared by all projects so that a
source's scores can be compared across projects."""

from django.db import models
from django.db.models.functions import Lower


class Source(models.Model):
    """An outlet that publishes documents."""

    name = models.CharField(max_length=200)
    domain = models.CharField(max_length=253, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(Lower("name"), name="source_unique_name_ci"),
            models.UniqueConstraint(
                Lower("domain"), condition=~models.Q(domain=""), name="source_unique_domain_ci"
            ),
            models.CheckConstraint(condition=~models.Q(name=""), name="source_name_not_empty"),
        ]

    def __str__(self):
        return self.name


class Author(models.Model):
    """A person credited with writing documents."""

    name = models.CharField(max_length=200)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(Lower("name"), name="author_unique_name_ci"),
            models.CheckConstraint(condition=~models.Q(name=""), name="author_name_not_empty"),
        ]

    def __str__(self):
        return self.name


class SpeakerKind(models.TextChoices):
    PERSON = "person", "Person"
    GOVERNMENT = "government", "Government or state body"
    ORGANISATION = "organisation", "Organisation"
    OUTLET = "outlet", "Outlet"
    ANONYMOUS = "anonymous", "Anonymous or unnamed"


class Speaker(models.Model):
    """An entity quoted or paraphrased inside documents."""

    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=20, choices=SpeakerKind.choices, default=SpeakerKind.PERSON)
    description = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(Lower("name"), "kind", name="speaker_unique_name_kind_ci"),
            models.CheckConstraint(condition=~models.Q(name=""), name="speaker_name_not_empty"),
            models.CheckConstraint(
                condition=models.Q(kind__in=SpeakerKind.values), name="speaker_kind_valid"
            ),
        ]

    def __str__(self):
        return self.name
