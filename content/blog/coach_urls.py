from django.urls import path
from django.views.generic import TemplateView

app_name = "blog_coach"

urlpatterns = [
    path("", TemplateView.as_view(template_name="blog/coach_index.html"), name="index"),
]
