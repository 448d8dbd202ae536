from django.urls import path

from clients.homework import views

app_name = "homework"

urlpatterns = [
    path("", views.index, name="index"),
    path("<int:pk>/", views.assignment, name="assignment"),
]
