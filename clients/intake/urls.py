from django.urls import path

from clients.intake import views

app_name = "intake"

urlpatterns = [
    path("", views.index, name="index"),
    path("start/", views.start, name="start"),
    path("partner/<str:token>/", views.partner, name="partner"),
    path("private/", views.gate, name="gate"),
    path("private/later/", views.gate_caution, name="gate_caution"),
    path("q/<slug:name>/", views.section, name="section"),
    path("results/", views.results, name="results"),
    path("results/safe-contact/", views.safe_contact, name="safe_contact"),
    path("results/invite/", views.invite, name="invite"),
    path("results/couple/", views.comparison, name="comparison"),
    path("continue-later/", views.later, name="later"),
    path("resume/<str:token>/", views.resume, name="resume"),
    path("mine/<uuid:public_id>/", views.mine, name="mine"),
    path("delete/", views.delete, name="delete"),
]
