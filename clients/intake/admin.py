"""Raw data views. Nothing sensitive is listed or editable here: answers, results, flags and
comparisons are read in the coach's pages (through `services.response_read`), not the admin."""

from django.contrib import admin
from django.db import models

from clients.intake.models import HelplineResource, Instrument


@admin.register(Instrument)
class InstrumentAdmin(admin.ModelAdmin):
    """Read-only: a version is loaded by a data migration and never edited (PBI spec §10.1,
    docs/assessment/pbi-spec.md)."""

    list_display = ["slug", "version", "status", "published_at", "checksum"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(HelplineResource)
class HelplineResourceAdmin(admin.ModelAdmin):
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    list_display = ["country", "kind", "label", "number", "last_verified"]
    list_filter = ["country"]
