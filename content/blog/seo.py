"""What search engines and share previews read: JSON-LD, share links, the sitemap, robots.txt."""

import json
from urllib.parse import quote, urlencode

from django.contrib.auth.decorators import login_not_required
from django.contrib.sitemaps import Sitemap
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpResponse
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

from coaching.emails import absolute_url
from content.blog.models import Post

# As django.utils.html.json_script: nothing in the data can close the <script> element.
_JSON_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


def json_ld(data: dict) -> SafeString:
    return mark_safe(json.dumps(data, cls=DjangoJSONEncoder).translate(_JSON_ESCAPES))  # noqa: S308


def canonical_url(post: Post) -> str:
    return post.canonical_url or absolute_url(post.get_absolute_url())


def cover_url(post: Post) -> str:
    default = post.cover_default()
    return absolute_url(default[2]) if default else ""


def blog_posting(post: Post, site) -> dict:
    """schema.org BlogPosting for the post page."""
    data = {
        "@context": "https://schema.org",
        "@type": "BlogPosting",
        "headline": post.meta_title,
        "description": post.meta_description,
        "mainEntityOfPage": canonical_url(post),
        "datePublished": post.publish_at,
        "dateModified": post.updated_at,
        "author": {"@type": "Person", "name": site.coach_name},
        "publisher": {"@type": "Organization", "name": site.site_name},
        "keywords": ", ".join(tag.name for tag in post.tags.all()),
        "timeRequired": f"PT{post.reading_minutes}M",
    }
    if post.cover_sizes:
        data["image"] = cover_url(post)
    return data


def share_links(post: Post) -> list[tuple[str, str]]:
    """Plain links to share a post: no third-party script or pixel on our page."""
    url, title = canonical_url(post), post.title
    return [
        ("Email", f"mailto:?{urlencode({'subject': title, 'body': url}, quote_via=quote)}"),
        ("WhatsApp", f"https://wa.me/?{urlencode({'text': f'{title} {url}'})}"),
        ("Facebook", f"https://www.facebook.com/sharer/sharer.php?{urlencode({'u': url})}"),
        ("X", f"https://twitter.com/intent/tweet?{urlencode({'url': url, 'text': title})}"),
        ("LinkedIn", f"https://www.linkedin.com/sharing/share-offsite/?{urlencode({'url': url})}"),
    ]


class PostSitemap(Sitemap):
    changefreq = "monthly"
    priority = 0.7

    def items(self):
        return Post.objects.published().only("slug", "updated_at").order_by("-publish_at")

    def lastmod(self, post):
        return post.updated_at


class BlogIndexSitemap(Sitemap):
    changefreq = "weekly"
    priority = 0.8

    def items(self):
        return ["home", "blog:index"]

    def location(self, item):
        return reverse(item)


SITEMAPS = {"pages": BlogIndexSitemap, "posts": PostSitemap}


@login_not_required
@require_GET
@cache_control(public=True, max_age=3600)
def robots_txt(request):
    lines = [
        "User-agent: *",
        "Disallow: /coach/",
        "Disallow: /admin/",
        "Disallow: /accounts/",
        "Disallow: /account/",
        "Allow: /",
        f"Sitemap: {absolute_url(reverse('sitemap'))}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain")
