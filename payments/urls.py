from django.urls import path

from payments import views

app_name = "payments"

urlpatterns = [
    path("webhook/", views.webhook, name="webhook"),
    path("receipt/<str:token>/", views.receipt, name="receipt"),
    path("packages/", views.packages, name="packages"),
    path("packages/<int:pk>/", views.package_buy, name="package_buy"),
    path("packages/done/", views.package_done, name="package_done"),
    path("<str:token>/", views.pay, name="pay"),
    path("<str:token>/status/", views.status, name="status"),
]
