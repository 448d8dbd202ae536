from django.urls import path
from django.views.generic import TemplateView

app_name = "intake_coach"

urlpatterns = [
    path("", TemplateView.as_view(template_name="intake/coach_index.html"), name="index"),
]
