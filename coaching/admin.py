from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from coaching.models import OutboundEmail, SiteSettings, User


class ReadOnlyAdminMixin:
    """Look, never add, change or delete: for rows a worker claims (an admin save could race
    the claim and send twice, or undo a state a worker set) and for evidence such as consents.
    Their own workflows (the coach's pages, the services) are the only writers."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    ordering = ["email"]
    list_display = ["email", "first_name", "last_name", "is_staff", "is_active"]
    search_fields = ["email", "first_name", "last_name"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        ("Name", {"fields": ["first_name", "last_name"]}),
        ("Access", {"fields": ["is_active", "is_staff", "is_superuser", "groups"]}),
        ("Dates", {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [(None, {"fields": ["email", "password1", "password2"]})]


@admin.register(SiteSettings)
class SiteSettingsAdmin(admin.ModelAdmin):
    list_display = ["site_name", "coach_name"]


@admin.register(OutboundEmail)
class OutboundEmailAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["created_at", "to", "template", "status", "attempts", "sent_at"]
    list_filter = ["status", "template"]
    search_fields = ["to"]
