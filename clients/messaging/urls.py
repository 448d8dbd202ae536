from django.urls import path

from clients.messaging import views

app_name = "messaging"

urlpatterns = [
    path("", views.thread, name="thread"),
    path("couple/", views.thread, {"shared": True}, name="shared_thread"),
]
