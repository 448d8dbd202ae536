from django.urls import path

from clients.agreements import coach_views

app_name = "agreements_coach"

urlpatterns = [
    path("", coach_views.index, name="index"),
    path("new/", coach_views.publish, name="publish"),
    path("<int:number>/", coach_views.version, name="version"),
    path("ask/<int:pk>/", coach_views.ask, name="ask"),
]
