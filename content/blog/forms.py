import contextlib

from django import forms
from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.utils import timezone

from coaching.forms import HoneypotMixin, single_line
from content.blog.models import RESERVED_SLUGS, Comment, Post, title_slug

MAX_UPLOAD_BYTES = 10 * 1024 * 1024
COVER_SALT = "blog.post-cover"


def _check_size(upload):
    if upload and upload.size > MAX_UPLOAD_BYTES:
        raise ValidationError("Please choose a picture smaller than 10 MB.")
    return upload


class CommentForm(HoneypotMixin, forms.ModelForm):
    class Meta:
        model = Comment
        fields = ["name", "email", "body"]
        labels = {"name": "Name", "email": "Email", "body": "Your comment"}
        help_texts = {
            "name": "Shown with your comment. A first name or a pseudonym is fine.",
            "email": "Never shown. Only the coach sees it, to write to you if needed.",
            "body": "Comments are read by the coach before they appear. At most 2 links.",
        }
        widgets = {
            "name": forms.TextInput(attrs={"autocomplete": "nickname"}),
            "email": forms.EmailInput(attrs={"autocomplete": "email"}),
            "body": forms.Textarea(attrs={"rows": 5}),
        }

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)

    def clean_name(self):
        return single_line(self.cleaned_data["name"])


class CoachZoneDateTimeField(forms.DateTimeField):
    """A wall-clock time in the coach's zone, whatever zone the browser is in."""

    def to_python(self, value):
        with timezone.override(settings.COACH_TIME_ZONE):
            return super().to_python(value)

    def prepare_value(self, value):
        with timezone.override(settings.COACH_TIME_ZONE):
            return super().prepare_value(value)


class PostForm(forms.ModelForm):
    """The editor. Tags are typed as a comma-separated list; times are in the coach's zone."""

    tag_names = forms.CharField(
        label="Tags",
        required=False,
        help_text="Separated by commas, e.g. communication, money, boundaries-and-independence.",
    )
    new_category = forms.CharField(
        label="Or a new category",
        required=False,
        max_length=80,
        help_text="Type a name to create a category and file the post in it.",
    )
    remove_cover = forms.BooleanField(label="Remove the cover picture", required=False)
    cover_upload = forms.ImageField(
        label="Cover picture",
        required=False,
        validators=[_check_size],
        help_text="JPEG, PNG or WebP, at least 1600 px wide for sharp screens.",
    )
    publish_at = CoachZoneDateTimeField(
        label="Publication time",
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )

    class Meta:
        model = Post
        fields = [
            "title", "slug", "excerpt", "body", "category", "cover_alt", "seo_title",
            "seo_description", "canonical_url", "cta_book", "cta_assessment", "cta_newsletter",
            "allow_comments",
        ]  # fmt: skip
        widgets = {
            "excerpt": forms.Textarea(attrs={"rows": 2}),
            "body": forms.Textarea(attrs={"rows": 20, "data-preview-source": ""}),
        }
        labels = {
            "cover_alt": "Cover description (alt text)",
            "slug": "Address",
            "seo_title": "Title for search engines",
            "seo_description": "Description for search engines",
        }
        help_texts = {
            "slug": "The end of the post's address, /blog/…/. Made from the title unless you "
            "change it, with -2, -3… added if another post has it."
        }

    canonical_url = forms.URLField(
        label="Canonical URL",
        required=False,
        assume_scheme="https",
        help_text="Only when this post first appeared elsewhere.",
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        self.fields["slug"].required = False  # filled from the title (here, and live by blog.js)
        self.fields["publish_at"].help_text = f"In your time zone, {settings.COACH_TIME_ZONE}."
        if self.instance.pk:
            self.initial["tag_names"] = ", ".join(tag.name for tag in self.instance.tags.all())
            self.initial["publish_at"] = self.instance.publish_at
        else:
            self.fields["slug"].widget.attrs["data-slug-from"] = self["title"].auto_id

    def clean(self):
        cleaned = super().clean()
        if "slug" in cleaned and "title" in cleaned:
            self._resolve_slug(cleaned)
        if cleaned.get("cover_upload") and cleaned.get("remove_cover"):
            self.add_error("remove_cover", "Choose a new picture or remove it, not both.")
        self._carry_cover(cleaned)
        return cleaned

    def _resolve_slug(self, cleaned) -> None:
        """A blank slug, or the one the title gives, becomes the first free one made from the
        title (with -2, -3...); a slug typed by hand that is taken is refused, naming a free one."""
        slug, title, pk = cleaned["slug"], cleaned["title"], self.instance.pk
        free = Post.objects.free_slug(title, exclude_pk=pk)
        if not slug or slug == title_slug(title):
            if not free:
                self.add_error("slug", "Type an address for the post, in letters and digits.")
            elif free != slug:
                cleaned["slug"] = free
                self.data = self.data.copy()  # so the form shows the address it will use
                self.data[self.add_prefix("slug")] = free
        elif slug in RESERVED_SLUGS:
            self.add_error("slug", "This address is used by the blog itself; choose another.")
        elif Post.objects.exclude(pk=pk).filter(slug=slug).exists():
            suggestion = f" such as “{free}”" if free else ""
            self.add_error(
                "slug", f"Another post already uses /blog/{slug}/. Choose another{suggestion}."
            )

    def _carry_cover(self, cleaned) -> None:
        """Put the cover to save on the instance: none if the coach removes it, else the one carried
        from the last render (a browser cannot fill a file input again, so a picture chosen
        before a preview or an error comes back resized and signed in a hidden input)."""
        if cleaned.get("remove_cover"):
            self.instance.cover_sizes = []
            return
        with contextlib.suppress(KeyError, signing.BadSignature):  # none carried: keep the saved
            self.instance.cover_sizes = signing.loads(self.data["cover"], salt=COVER_SALT)

    def cover_token(self) -> str:
        """The hidden input's value: the cover the instance holds now, signed."""
        return signing.dumps(self.instance.cover_sizes, salt=COVER_SALT)

    def tags(self) -> list[str]:
        return [name.strip() for name in self.cleaned_data["tag_names"].split(",") if name.strip()]


class ImageForm(forms.Form):
    picture = forms.ImageField(validators=[_check_size])
    alt = forms.CharField(
        label="Description (alt text)",
        max_length=200,
        help_text="What the picture shows, for people who cannot see it.",
    )


class ReplyForm(forms.Form):
    reply = forms.CharField(
        label="Your reply", widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
