from django.urls import path
from django.views.generic import TemplateView

app_name = "clients"

urlpatterns = [
    path("", TemplateView.as_view(template_name="clients/index.html"), name="index"),
]
