from django.urls import path

from bookings import coach_views as views

app_name = "bookings_coach"

urlpatterns = [
    path("", views.booking_list, name="index"),
    path("week/", views.week, name="week"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/move/", views.reschedule, name="reschedule"),
    path("<int:pk>/<slug:name>/", views.action, name="action"),
    path("types/", views.type_list, name="types"),
    path("types/new/", views.type_edit, name="type_create"),
    path("types/<int:pk>/", views.type_edit, name="type_edit"),
    path("hours/", views.availability, name="availability"),
    path("hours/exceptions/", views.exception_add, name="exception_add"),
    path("hours/exceptions/<int:pk>/delete/", views.exception_remove, name="exception_remove"),
    path("feed/", views.feed, name="feed"),
]
