from django.urls import path

from bookings import coach_views as views

app_name = "bookings_coach"

urlpatterns = [
    path("", views.booking_list, name="index"),
    path("week/", views.week, name="week"),
    path("book/", views.book, name="book"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/move/", views.move, name="move"),
    path("<int:pk>/approve/", views.approve, name="approve"),
    path("<int:pk>/decline/", views.decline, name="decline"),
    path("<int:pk>/cancel/", views.cancel, name="cancel"),
    path("<int:pk>/attended/", views.attended, name="attended"),
    path("<int:pk>/no_show/", views.no_show, name="no_show"),
    path("types/", views.type_list, name="types"),
    path("types/new/", views.type_edit, name="type_create"),
    path("types/<int:pk>/", views.type_edit, name="type_edit"),
    path("hours/", views.hours_edit, name="hours"),
    path("hours/exceptions/", views.exception_add, name="exception_add"),
    path("hours/exceptions/<int:pk>/delete/", views.exception_remove, name="exception_remove"),
    path("feed/", views.feed, name="feed"),
    path("calendars/", views.calendars, name="calendars"),
    path("calendars/<int:pk>/delete/", views.calendar_remove, name="calendar_remove"),
]
