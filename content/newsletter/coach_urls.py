from django.urls import path
from django.views.generic import TemplateView

app_name = "newsletter_coach"

urlpatterns = [
    path("", TemplateView.as_view(template_name="newsletter/coach_index.html"), name="index"),
]
