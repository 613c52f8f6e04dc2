from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from annotator.projects.models import Project
from annotator.sources.models import Author, Source


class BoilerplateKind(models.TextChoices):
    """What a boilerplate region of a document is (excluded from body word counts)."""

    SITE_HEADER = "site_header", "Site header"
    READ_MORE = "read_more", "“Read more” list"
    RELATED_LINKS = "related_links", "Related links"
    COMMENT_FORM = "comment_form", "Comment form"
    READER_COMMENTS = "reader_comments", "Reader comments"
    SHARE_BUTTONS = "share_buttons", "Share buttons"
    DISCLAIMER = "disclaimer", "Disclaimer"
    OTHER = "other", "Other"


class Document(models.Model):
    """A text to annotate. ``text`` is stored verbatim and never changes:
    every annotation offset points into it. A trigger refuses updates to it."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="documents")
    text = models.TextField()
    content_hash = models.CharField(max_length=64, help_text="SHA-256 of the UTF-8 text, hex")
    char_count = models.PositiveIntegerField(help_text="Length in Unicode code points")
    word_count = models.PositiveIntegerField()
    boilerplate = models.JSONField(
        default=list,
        db_default=models.Value([], models.JSONField()),  # rows inserted in SQL (imports, benchmarks)
        blank=True,
        help_text='Regions that are not the body: [{"kind": ..., "start": ..., "end": ...}] in code points',
    )
    body_word_count = models.PositiveIntegerField(
        help_text="Words outside the boilerplate regions (what scores count)", null=True, blank=True
    )
    title = models.CharField(max_length=500, blank=True)
    url = models.URLField(max_length=2000, blank=True)
    published_on = models.DateField(null=True, blank=True)
    source = models.ForeignKey(
        Source, on_delete=models.PROTECT, null=True, blank=True, related_name="documents"
    )
    authors = models.ManyToManyField(Author, blank=True, related_name="documents")
    language = models.CharField(max_length=20, blank=True)
    provenance = models.JSONField(default=dict, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords(excluded_fields=["text"], m2m_fields=[authors])

    class Meta:
        ordering = ["project", "id"]
        constraints = [
            models.UniqueConstraint(fields=["project", "content_hash"], name="document_unique_text"),
            models.UniqueConstraint(fields=["id", "project"], name="document_id_project"),
            models.CheckConstraint(condition=~models.Q(text=""), name="document_text_not_empty"),
            models.CheckConstraint(
                condition=models.Q(content_hash__regex=r"^[0-9a-f]{64}$"), name="document_hash_format"
            ),
        ]
        indexes = [models.Index(fields=["source"]), models.Index(fields=["published_on"])]

    def __str__(self):
        return self.title or f"Document {self.pk}"

    @property
    def display_title(self) -> str:
        return self.title or f"Untitled document #{self.pk}"
