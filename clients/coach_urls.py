from django.urls import path
from django.views.generic import TemplateView

app_name = "clients_coach"

urlpatterns = [
    path("", TemplateView.as_view(template_name="clients/coach_index.html"), name="index"),
]
