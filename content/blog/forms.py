from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone

from coaching.forms import HoneypotMixin, single_line
from content.blog.models import Comment, Post

MAX_UPLOAD_BYTES = 10 * 1024 * 1024
RESERVED_SLUGS = {"feed", "category", "tag"}  # /blog/<these>/ are other pages


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
        labels = {"cover_alt": "Cover description (alt text)"}

    canonical_url = forms.URLField(
        label="Canonical URL",
        required=False,
        assume_scheme="https",
        help_text="Only when this post first appeared elsewhere.",
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        self.fields["publish_at"].help_text = f"In your time zone, {settings.COACH_TIME_ZONE}."
        if self.instance.pk:
            self.initial["tag_names"] = ", ".join(tag.name for tag in self.instance.tags.all())
            self.initial["publish_at"] = self.instance.publish_at

    def clean_slug(self):
        slug = self.cleaned_data["slug"]
        if slug in RESERVED_SLUGS:
            raise ValidationError("This address is used by the blog itself; choose another.")
        return slug

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("cover_upload") and cleaned.get("remove_cover"):
            self.add_error("remove_cover", "Choose a new picture or remove it, not both.")
        return cleaned

    def cover(self):
        """The new cover upload, False to remove the cover, None to keep it."""
        return False if self.cleaned_data["remove_cover"] else self.cleaned_data["cover_upload"]

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
