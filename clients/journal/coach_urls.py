from django.urls import path

from clients.journal import coach_views

app_name = "journal_coach"

urlpatterns = [
    path("<int:pk>/", coach_views.entry, name="entry"),
]
