"""The coach's editor at /coach/blog/ (staff only, guarded by CoachAreaMiddleware)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from content.blog import images, rendering, services
from content.blog.forms import ImageForm, PostForm
from content.blog.models import Image, Post

MAX_PREVIEW_CHARS = 200_000
DONE = {
    services.Action.DRAFT: "Draft saved.",
    services.Action.SCHEDULE: "Scheduled. It will be published on time, and not before.",
    services.Action.PUBLISH: "Published.",
}


def index(request: HttpRequest) -> HttpResponse:
    posts = Post.objects.select_related("category").order_by("status", "-publish_at", "-pk")
    page_obj = Paginator(posts, 30).get_page(request.GET.get("page"))
    return render(request, "blog/coach/index.html", {"page_obj": page_obj})


def _get_post_for_coach(pk) -> Post:
    return get_object_or_404(Post.objects.prefetch_related("tags"), pk=pk)


def create(request: HttpRequest) -> HttpResponse:
    return _edit(request, Post(author=request.user))


def edit(request: HttpRequest, pk) -> HttpResponse:
    return _edit(request, _get_post_for_coach(pk))


def _edit(request: HttpRequest, post: Post):
    form = PostForm(request.POST or None, request.FILES or None, instance=post)
    preview = None
    if request.method == "POST" and _is_valid_keeping_cover(form):
        action = request.POST.get("action", services.Action.DRAFT)
        if action == "preview":
            preview = rendering.render_post(form.cleaned_data["body"]).html
        else:
            try:
                post = _write(form, action)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, DONE[action])
                return redirect("blog_coach:edit", post.pk)
    context = {"form": form, "post": post, "preview": preview}
    return render(request, "blog/coach/edit.html", context)


def _is_valid_keeping_cover(form: PostForm) -> bool:
    """Validate, and resize a newly chosen cover even if something else is wrong: from then on
    the form carries it, so neither a preview nor an error makes the coach choose the file again."""
    valid = form.is_valid()
    upload = form.cleaned_data.get("cover_upload")
    if upload:
        stem = form.cleaned_data.get("slug") or "cover"
        form.instance.cover_sizes = images.cover_sizes(upload, stem)
    return valid


def _write(form: PostForm, action: str) -> Post:
    return services.post_write(
        post=form.instance,
        tag_names=form.tags(),
        action=action,
        publish_at=form.cleaned_data["publish_at"],
        new_category=form.cleaned_data["new_category"],
    )


@require_POST
def preview(request: HttpRequest) -> HttpResponse:
    """The sanitised HTML of the Markdown in the editor, for the live preview."""
    source = request.POST.get("body", "")
    if len(source) > MAX_PREVIEW_CHARS:
        return HttpResponseBadRequest("Too long to preview.")
    return HttpResponse(rendering.render_post(source).html, content_type="text/html")


def image_list(request: HttpRequest) -> HttpResponse:
    form = ImageForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        width, height, name = images.body_image(form.cleaned_data["picture"])
        image = Image.objects.create(
            file=name, alt=form.cleaned_data["alt"], width=width, height=height
        )
        messages.success(request, f"Uploaded. Paste this into a post: {image.markdown()}")
        return redirect("blog_coach:images")
    recent = Image.objects.all()[:60]
    return render(request, "blog/coach/images.html", {"form": form, "images": recent})
