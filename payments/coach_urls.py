from django.urls import path

from payments import coach_views as views

app_name = "payments_coach"

urlpatterns = [
    path("", views.index, name="index"),
    path("<int:pk>/refund/", views.refund, name="refund"),
    path("packages/", views.offer_edit, name="offers"),
    path("packages/<int:pk>/", views.offer_edit, name="offer_edit"),
]
