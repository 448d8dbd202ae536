from django.urls import path

from clients import coach_views, record_views

app_name = "clients_coach"

urlpatterns = [
    path("", coach_views.client_list, name="index"),
    path("export.csv", coach_views.client_csv, name="csv"),
    path("bulk-stage/", coach_views.client_bulk_stage, name="bulk_stage"),
    path("new/", coach_views.client_create, name="create"),
    path("access-log/", coach_views.access_log, name="access_log"),
    path("<int:pk>/", coach_views.client_detail, name="detail"),
    path("<int:pk>/edit/", coach_views.client_edit, name="edit"),
    path("<int:pk>/stage/", coach_views.client_stage, name="stage"),
    path("<int:pk>/tags/", coach_views.client_tags, name="tags"),
    path("<int:pk>/packages/", coach_views.client_package, name="package"),
    path("<int:pk>/shared/", coach_views.client_shared_note, name="shared_note"),
    path("<int:pk>/consents/", coach_views.client_consent, name="consent"),
    path("<int:pk>/invite/", coach_views.client_invite, name="invite"),
    path("<int:pk>/notes/", record_views.note_add, name="note_add"),
    path("<int:pk>/export/", record_views.client_export, name="export"),
    path("<int:pk>/erase/", record_views.client_erase_view, name="erase"),
    path("packages/<int:pk>/paid/", coach_views.package_paid, name="package_paid"),
    path("notes/<int:pk>/", record_views.note_detail, name="note"),
    path("second-factor/", record_views.second_factor_setup, name="second_factor_setup"),
    path("second-factor/done/", record_views.second_factor_return, name="second_factor_return"),
    path("export/<str:token>/", record_views.export_download, name="export_download"),
]
