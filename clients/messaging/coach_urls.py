from django.urls import path

from clients.messaging import coach_views

app_name = "messaging_coach"

urlpatterns = [
    path("", coach_views.inbox, name="inbox"),
    path("<int:pk>/", coach_views.thread, name="thread"),
]
