from django.urls import path

from clients.intake import coach_views as views

app_name = "intake_coach"

urlpatterns = [
    path("", views.index, name="index"),
    path("<uuid:public_id>/", views.response_detail, name="response"),
    path("<uuid:public_id>/rescore/", views.rescore, name="rescore"),
    path("<uuid:public_id>/invite/", views.invite, name="invite"),
    path("flags/<int:pk>/resolve/", views.flag_resolve, name="flag_resolve"),
    path("couples/<int:pk>/", views.couple, name="couple"),
    path("couples/<int:pk>/release/", views.couple_release_view, name="couple_release"),
    path("helplines/", views.helplines, name="helplines"),
    path("helplines/new/", views.helpline_edit, name="helpline_new"),
    path("helplines/<int:pk>/", views.helpline_edit, name="helpline_edit"),
    path("helplines/<int:pk>/delete/", views.helpline_delete, name="helpline_delete"),
]
