from django.contrib import admin

from bookings.models import (
    AvailabilityException,
    Booking,
    CoachCalendar,
    ReminderDelivery,
    SessionType,
    VideoRoom,
    WeeklyHours,
)
from coaching.admin import ReadOnlyAdminMixin


# Reminder rows are claimed by the sending worker: the admin only shows them.
class ReminderInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = ReminderDelivery
    fields = ["kind", "due_at", "state", "attempts", "claimed_at", "sent_at", "note"]


# A room is made and ended by the booking's workflows only.
class VideoRoomInline(ReadOnlyAdminMixin, admin.StackedInline):
    model = VideoRoom
    fields = ["provider", "external_id", "join_url", "created_at", "ended_at"]


@admin.register(Booking)
class BookingAdmin(admin.ModelAdmin):
    # No topic in lists: what the booker wrote is shown on the booking itself only.
    list_display = ["start", "session_type", "name", "email", "status"]
    list_filter = ["status", "session_type"]
    search_fields = ["name", "email"]
    date_hierarchy = "start"
    raw_id_fields = ["client"]
    inlines = [ReminderInline, VideoRoomInline]


@admin.register(SessionType)
class SessionTypeAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "duration_minutes", "is_free", "is_public", "is_active"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(ReminderDelivery)
class ReminderDeliveryAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["booking", "kind", "state", "due_at", "attempts", "sent_at"]
    list_filter = ["state", "kind"]
    list_select_related = ["booking__session_type"]
    date_hierarchy = "due_at"
    show_full_result_count = False


admin.site.register([CoachCalendar, WeeklyHours, AvailabilityException])
