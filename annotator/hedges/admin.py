"""Back office: hedge suggestions and rule switches, read-only, scoped to the projects a staff user manages.

Decisions and switches go through the services (API and workspace), so the
history and the span they create always follow the rules.
"""

from __future__ import annotations

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from annotator.hedges.models import HedgeRuleSetting, HedgeSuggestion
from annotator.projects.admin_scoping import ManagedProjectsMixin


@admin.register(HedgeSuggestion)
class HedgeSuggestionAdmin(ManagedProjectsMixin, admin.ModelAdmin):
    read_only = True
    list_display = ("id", "document", "start", "end", "quote", "kind", "rule", "confidence")
    list_filter = ("kind", "rule")
    search_fields = ("quote", "rule")
    list_select_related = ("document",)
    readonly_fields = (
        "project",
        "document",
        "start",
        "end",
        "quote",
        "kind",
        "rule",
        "confidence",
        "created_at",
    )


@admin.register(HedgeRuleSetting)
class HedgeRuleSettingAdmin(ManagedProjectsMixin, SimpleHistoryAdmin):
    read_only = True
    list_display = ("project", "rule", "enabled", "changed_by", "changed_at")
    list_filter = ("enabled",)
    readonly_fields = ("project", "rule", "enabled", "changed_by", "changed_at")
