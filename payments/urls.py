from django.urls import path

from payments import views

app_name = "payments"

urlpatterns = [
    path("webhook/", views.webhook, name="webhook"),
    path("receipt/<str:token>/", views.receipt, name="receipt"),
    path("<str:token>/", views.pay, name="pay"),
    path("<str:token>/status/", views.status, name="status"),
]
