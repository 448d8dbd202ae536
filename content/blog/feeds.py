"""RSS 2.0 and Atom feeds of the latest posts, for the whole blog and for each category."""

from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.utils.feedgenerator import Atom1Feed

from coaching.emails import absolute_url
from coaching.models import SiteSettings
from content.blog.models import Category, Post

FEED_SIZE = 20
FEED_MAX_AGE = 15 * 60


class LatestPosts(Feed):
    url_names = ("blog:feed", "blog:category_feed")

    def __call__(self, request, *args, **kwargs):
        response = super().__call__(request, *args, **kwargs)
        patch_cache_control(response, public=True, max_age=FEED_MAX_AGE)
        return response

    def get_object(self, request, slug=None):
        return get_object_or_404(Category, slug=slug) if slug else None

    def title(self, category):
        site = SiteSettings.load()
        return f"{site.site_name}: {category.name}" if category else f"{site.site_name}: blog"

    def link(self, category):
        return category.get_absolute_url() if category else reverse("blog:index")

    def description(self, category):
        return (category and category.description) or SiteSettings.load().tagline

    subtitle = description

    def feed_url(self, category):
        """The feed's own address (Atom's rel="self")."""
        whole, per_category = self.url_names
        return reverse(per_category, args=[category.slug]) if category else reverse(whole)

    def items(self, category):
        posts = Post.objects.published().select_related("category").prefetch_related("tags")
        if category:
            posts = posts.filter(category=category)
        return posts[:FEED_SIZE]

    def item_title(self, post):
        return post.title

    def item_description(self, post):
        return post.excerpt

    def item_link(self, post):
        return post.get_absolute_url()

    def item_guid(self, post):
        return absolute_url(post.get_absolute_url())

    item_guid_is_permalink = True

    def item_pubdate(self, post):
        return post.publish_at

    def item_updateddate(self, post):
        return post.updated_at

    def author_name(self, category):
        return SiteSettings.load().coach_name

    def item_categories(self, post):
        return [tag.name for tag in post.tags.all()]


class LatestPostsAtom(LatestPosts):
    feed_type = Atom1Feed
    url_names = ("blog:feed_atom", "blog:category_feed_atom")
