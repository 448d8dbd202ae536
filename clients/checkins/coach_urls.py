from django.urls import path

from clients.checkins import coach_views

app_name = "checkins_coach"

urlpatterns = [
    path("", coach_views.index, name="index"),
    path("clients/<int:pk>/schedule/", coach_views.schedule, name="schedule"),
    path("clients/<int:pk>/", coach_views.trend, name="trend"),
    path("clients/<int:pk>/release/", coach_views.release, name="release"),
    path("<int:pk>/", coach_views.checkin, name="checkin"),
]
