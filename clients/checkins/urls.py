from django.urls import path

from clients.checkins import views

app_name = "checkins"

urlpatterns = [
    path("", views.index, name="index"),
    path("new/", views.new, name="new"),
    path("<int:pk>/", views.done, name="done"),
]
