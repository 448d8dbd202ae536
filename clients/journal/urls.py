from django.urls import path

from clients.journal import views

app_name = "journal"

urlpatterns = [
    path("", views.index, name="index"),
    path("my-journal.json", views.download, name="download"),
    path("<int:pk>/", views.entry, name="entry"),
    path("<int:pk>/delete/", views.delete, name="delete"),
]
