"""Comment moderation at /coach/comments/: approve, reject, mark as spam, reply."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from content.blog import services
from content.blog.forms import ReplyForm
from content.blog.models import Comment

DONE = {
    Comment.Status.APPROVED: "Approved: the comment is now on the post.",
    Comment.Status.REJECTED: "Rejected: the comment stays hidden.",
    Comment.Status.SPAM: "Marked as spam.",
}


def index(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status", Comment.Status.PENDING)
    if status not in Comment.Status.values:
        status = Comment.Status.PENDING
    comments = Comment.objects.filter(status=status).select_related("post").order_by("-created_at")
    page_obj = Paginator(comments, 30).get_page(request.GET.get("page"))
    context = {
        "page_obj": page_obj,
        "status": status,
        "statuses": Comment.Status.choices,
        "query": f"status={status}",
    }
    return render(request, "blog/comments/index.html", context)


def _get_comment_for_coach(pk) -> Comment:
    return get_object_or_404(Comment.objects.select_related("post"), pk=pk)


@require_POST
def moderate(request: HttpRequest, pk) -> HttpResponse:
    comment = _get_comment_for_coach(pk)
    try:
        services.comment_moderate(comment=comment, status=request.POST.get("status", ""))
    except ValidationError:
        messages.error(request, "Choose approve, reject or spam.")
    else:
        messages.success(request, DONE[comment.status])
    return redirect("comments_coach:index")


def reply(request: HttpRequest, pk) -> HttpResponse:
    comment = _get_comment_for_coach(pk)
    form = ReplyForm(request.POST or None, initial={"reply": comment.reply})
    if request.method == "POST" and form.is_valid():
        services.comment_reply(comment=comment, text=form.cleaned_data["reply"])
        messages.success(request, "Your reply is saved and shown under the comment.")
        return redirect("comments_coach:index")
    return render(request, "blog/comments/reply.html", {"form": form, "comment": comment})
