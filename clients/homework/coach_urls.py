from django.urls import path

from clients.homework import coach_views

app_name = "homework_coach"

urlpatterns = [
    path("exercises/", coach_views.exercises, name="exercises"),
    path("exercises/new/", coach_views.exercise_edit, name="exercise_add"),
    path("exercises/<int:pk>/", coach_views.exercise_edit, name="exercise_edit"),
    path("assign/<int:pk>/", coach_views.assign, name="assign"),
    path("<int:pk>/", coach_views.assignment, name="assignment"),
    path("<int:pk>/delete/", coach_views.assignment_delete, name="assignment_delete"),
]
