from django.urls import path

from content.newsletter import coach_views as views
from content.newsletter import sequence_views

app_name = "newsletter_coach"

urlpatterns = [
    path("", views.index, name="index"),
    path("campaigns/new/", views.campaign_form, name="campaign_new"),
    path("campaigns/audience/", views.audience_count, name="audience_count"),
    path("campaigns/<int:pk>/", views.campaign, name="campaign"),
    path("campaigns/<int:pk>/edit/", views.campaign_form, name="campaign_edit"),
    path("campaigns/<int:pk>/progress/", views.campaign_progress, name="campaign_progress"),
    path("campaigns/<int:pk>/preview/", views.campaign_preview, name="campaign_preview"),
    path("campaigns/<int:pk>/preview/html/", views.campaign_preview_html, name="campaign_html"),
    path("campaigns/<int:pk>/test/", views.campaign_test, name="campaign_test"),
    path("campaigns/<int:pk>/publish/", views.campaign_publish, name="campaign_publish"),
    path("campaigns/<int:pk>/send/", views.campaign_send, name="campaign_send"),
    path("campaigns/<int:pk>/schedule/", views.campaign_schedule, name="campaign_schedule"),
    path("campaigns/<int:pk>/pause/", views.campaign_pause, name="campaign_pause"),
    path("campaigns/<int:pk>/resume/", views.campaign_resume, name="campaign_resume"),
    path("campaigns/<int:pk>/cancel/", views.campaign_cancel, name="campaign_cancel"),
    path("sequences/", sequence_views.sequence_list, name="sequences"),
    path("sequences/new/", sequence_views.sequence_form, name="sequence_new"),
    path("sequences/<int:pk>/", sequence_views.sequence, name="sequence"),
    path("sequences/<int:pk>/edit/", sequence_views.sequence_form, name="sequence_edit"),
    path("sequences/<int:pk>/active/", sequence_views.sequence_active, name="sequence_active"),
    path("sequences/<int:pk>/letters/new/", sequence_views.step_form, name="step_new"),
    path("sequences/<int:pk>/letters/<int:step_pk>/", sequence_views.step_form, name="step_edit"),
    path(
        "sequences/<int:pk>/letters/<int:step_pk>/delete/",
        sequence_views.step_delete,
        name="step_delete",
    ),
    path("subscribers/", views.subscribers, name="subscribers"),
    path("subscribers/import/", views.subscribers_import, name="subscribers_import"),
    path("topics/", views.topics, name="topics"),
    path("topics/<int:pk>/", views.topic_edit, name="topic_edit"),
    path("topics/<int:pk>/retire/", views.topic_retire, name="topic_retire"),
]
