from django.contrib import admin

from bookings.models import (
    AvailabilityException,
    Booking,
    CoachCalendar,
    ReminderDelivery,
    SessionType,
    WeeklyHours,
)


class ReminderInline(admin.TabularInline):
    model = ReminderDelivery
    extra = 0
    readonly_fields = ["kind", "due_at", "state", "attempts", "claimed_at", "sent_at", "note"]


@admin.register(Booking)
class BookingAdmin(admin.ModelAdmin):
    # No topic in lists: what the booker wrote is shown on the booking itself only.
    list_display = ["start", "session_type", "name", "email", "status"]
    list_filter = ["status", "session_type"]
    search_fields = ["name", "email"]
    date_hierarchy = "start"
    raw_id_fields = ["client"]
    inlines = [ReminderInline]


@admin.register(SessionType)
class SessionTypeAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "duration_minutes", "is_free", "is_public", "is_active"]
    prepopulated_fields = {"slug": ["name"]}


admin.site.register([CoachCalendar, WeeklyHours, AvailabilityException])
