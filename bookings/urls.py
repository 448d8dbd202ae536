from django.urls import path

from bookings import views

app_name = "bookings"

urlpatterns = [
    path("", views.index, name="index"),
    path("booked/<str:token>/", views.booked, name="booked"),
    path("manage/<str:token>/", views.manage, name="manage"),
    path("manage/<str:token>/cancel/", views.cancel, name="cancel"),
    path("manage/<str:token>/move/", views.move, name="move"),
    path("manage/<str:token>/appointment.ics", views.invite, name="invite"),
    path("calendar/<str:token>.ics", views.coach_feed, name="coach_feed"),
    path("<slug:slug>/", views.book, name="book"),
    path("<slug:slug>/details/", views.booking_form, name="form"),
]
