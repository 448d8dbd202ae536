"""The public blog: lists, the post page and the comment form.

Each page costs a fixed number of queries whatever the number of posts, tags and comments, and
is served from `pagecache` to visitors without a session.
"""

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.cache import patch_cache_control
from django.views.decorators.http import condition, require_POST
from django_ratelimit.decorators import ratelimit

from coaching.emails import absolute_url
from coaching.models import SiteSettings
from content.blog import pagecache, seo, services
from content.blog.forms import CommentForm
from content.blog.models import Category, Post, Tag

PAGE_SIZE = 9


def public_page(view):
    """Public; for visitors without a session, conditional (ETag, Last-Modified) and cached.

    `no-cache` makes browsers ask again each time (a 304 when nothing changed), so a reader who
    just commented sees the page with their message, not a copy from their browser's cache.
    """
    cached = pagecache.cached_page(view)
    cached = condition(etag_func=pagecache.etag, last_modified_func=pagecache.last_modified)(cached)

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        serve = cached if pagecache.cacheable(request) else view
        response = serve(request, *args, **kwargs)
        if response.status_code in (200, 304):
            patch_cache_control(response, private=True, no_cache=True)
        return response

    return login_not_required(wrapper)


def _listing(request: HttpRequest, posts, **context):
    page_obj = Paginator(posts.for_cards(), PAGE_SIZE).get_page(request.GET.get("page"))
    categories = Category.objects.filter(posts__in=Post.objects.published()).distinct()
    canonical = absolute_url(request.path)
    if page_obj.number > 1:
        canonical += f"?page={page_obj.number}"
    context |= {"page_obj": page_obj, "posts": page_obj.object_list, "categories": categories}
    context["canonical_url"] = canonical
    return render(request, "blog/index.html", context)


@public_page
def index(request: HttpRequest) -> HttpResponse:
    return _listing(request, Post.objects.published())


@public_page
def category(request: HttpRequest, slug) -> HttpResponse:
    category = get_object_or_404(Category, slug=slug)
    return _listing(request, Post.objects.published().filter(category=category), category=category)


@public_page
def tag(request: HttpRequest, slug) -> HttpResponse:
    tag = get_object_or_404(Tag, slug=slug)
    return _listing(request, Post.objects.published().filter(tags=tag), tag=tag)


def _get_post_for_user(request: HttpRequest, slug) -> Post:
    """A published post for everyone; drafts and scheduled posts only for the coach."""
    posts = Post.objects.select_related("category").prefetch_related("tags")
    post = get_object_or_404(posts, slug=slug)
    if not post.is_public() and not getattr(request.user, "is_coach", False):
        raise Http404
    return post


@public_page
def post_detail(request: HttpRequest, slug) -> HttpResponse:
    post = _get_post_for_user(request, slug)
    return _render_post(request, post, CommentForm())


def _render_post(request: HttpRequest, post: Post, form: CommentForm):
    site = SiteSettings.load()
    context = {
        "post": post,
        "form": form,
        "comments": post.comments.approved(),
        "related": Post.objects.related_to(post),
        "share_links": seo.share_links(post),
        "canonical_url": seo.canonical_url(post),
        "cover_url": seo.cover_url(post),
        "json_ld": seo.json_ld(seo.blog_posting(post, site)),
    }
    return render(request, "blog/post_detail.html", context)


@login_not_required
@require_POST
@ratelimit(key="ip", rate="5/m", method="POST", block=True)
@ratelimit(key="ip", rate="30/h", method="POST", block=True)
def comment_create(request: HttpRequest, slug) -> HttpResponse:
    post = _get_post_for_user(request, slug)
    form = CommentForm(request.POST)
    if form.is_valid():
        try:
            services.comment_submit(post=post, ip=request.META.get("REMOTE_ADDR"), **_fields(form))
        except ValidationError as error:
            form.add_error(None, error)
        else:
            # Shown beside the form, where the page opens (the top is out of sight down here).
            thanks = "Thank you. Your comment will appear once it is approved."
            messages.success(request, thanks, extra_tags="comment-form")
            return redirect(f"{post.get_absolute_url()}#comment-form")
    return _render_post(request, post, form)


def _fields(form: CommentForm) -> dict:
    return {name: form.cleaned_data[name] for name in ("name", "email", "body")}
