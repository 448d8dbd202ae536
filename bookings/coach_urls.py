from django.urls import path
from django.views.generic import TemplateView

app_name = "bookings_coach"

urlpatterns = [
    path("", TemplateView.as_view(template_name="bookings/coach_index.html"), name="index"),
]
