from django.urls import path

from content.blog import coach_views as views

app_name = "blog_coach"

urlpatterns = [
    path("", views.index, name="index"),
    path("new/", views.create, name="create"),
    path("<int:pk>/", views.edit, name="edit"),
    path("preview/", views.preview, name="preview"),
    path("images/", views.image_list, name="images"),
]
