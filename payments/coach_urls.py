from django.urls import path

from payments import coach_views as views

app_name = "payments_coach"

urlpatterns = [
    path("", views.index, name="index"),
    path("<int:pk>/refund/", views.refund, name="refund"),
]
