from django.contrib.auth.decorators import login_not_required
from django.urls import path

from content.blog import feeds, views

app_name = "blog"

rss, atom = login_not_required(feeds.LatestPosts()), login_not_required(feeds.LatestPostsAtom())

urlpatterns = [
    path("", views.index, name="index"),
    path("feed/", rss, name="feed"),
    path("feed/atom/", atom, name="feed_atom"),
    path("category/<slug:slug>/", views.category, name="category"),
    path("category/<slug:slug>/feed/", rss, name="category_feed"),
    path("category/<slug:slug>/feed/atom/", atom, name="category_feed_atom"),
    path("tag/<slug:slug>/", views.tag, name="tag"),
    path("<slug:slug>/", views.post_detail, name="post"),
    path("<slug:slug>/comment/", views.comment_create, name="comment"),
]
