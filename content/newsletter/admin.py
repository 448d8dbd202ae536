"""The newsletter's rows in the admin, to look at. Campaigns are claimed by their sending
workers, deliveries one by one, and subscribers, consents and suppressions change only through
the services (which keep the suppression list and the consent evidence right): all read-only.
Lists leave out what they need not show (addresses of deliveries, consent IPs and texts)."""

from django.contrib import admin

from coaching.admin import ReadOnlyAdminMixin
from content.newsletter.models import (
    Campaign,
    ConsentRecord,
    Delivery,
    Subscriber,
    Suppression,
    Topic,
)


@admin.register(Topic)
class TopicAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "position", "retired_at"]
    prepopulated_fields = {"slug": ["name"]}

    def has_delete_permission(self, request, obj=None):
        return False  # retire it instead: deleting would drop every subscriber's choice of it


@admin.register(Subscriber)
class SubscriberAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["email", "status", "source", "created_at", "confirmed_at"]
    list_filter = ["status", "topics", "source"]
    search_fields = ["email"]
    show_full_result_count = False


@admin.register(ConsentRecord)
class ConsentRecordAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["subscriber", "form_id", "requested_at", "confirmed_at", "withdrawn_at"]
    list_select_related = ["subscriber"]
    search_fields = ["subscriber__email"]
    show_full_result_count = False


@admin.register(Suppression)
class SuppressionAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["__str__", "reason", "created_at"]
    list_filter = ["reason"]
    show_full_result_count = False


@admin.register(Campaign)
class CampaignAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["subject", "state", "scheduled_at", "started_at", "recipients_count"]
    list_filter = ["state"]
    search_fields = ["subject"]


@admin.register(Delivery)
class DeliveryAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["campaign", "batch", "state", "attempts", "due_at", "sent_at"]
    list_filter = ["state"]
    list_select_related = ["campaign"]
    search_fields = ["email"]
    show_full_result_count = False
