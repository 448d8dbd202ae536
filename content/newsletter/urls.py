from django.urls import path

from content.newsletter import views

app_name = "newsletter"

urlpatterns = [
    path("", views.index, name="index"),
    path("subscribe/", views.subscribe, name="subscribe"),
    path("check-your-inbox/", views.check_inbox, name="check_inbox"),
    path("confirm/<str:token>/", views.confirm, name="confirm"),
    path("preferences/<str:token>/", views.preferences, name="preferences"),
    path("unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path("archive/", views.archive, name="archive"),
    path("archive/<int:pk>/<slug:slug>/", views.archive_issue, name="archive_issue"),
    path("webhooks/<slug:esp>/tracking/", views.webhook, name="webhook"),
]
