from django.urls import path

from content.blog import comment_coach_views as views

app_name = "comments_coach"

urlpatterns = [
    path("", views.index, name="index"),
    path("<int:pk>/moderate/", views.moderate, name="moderate"),
    path("<int:pk>/reply/", views.reply, name="reply"),
]
