from django.contrib import admin
from django.db import models

from content.blog.models import Category, Comment, Image, Post, Tag


@admin.register(Post)
class PostAdmin(admin.ModelAdmin):
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    list_display = ["title", "status", "publish_at", "category"]
    list_filter = ["status", "category"]
    search_fields = ["title"]
    prepopulated_fields = {"slug": ["title"]}


@admin.register(Comment)
class CommentAdmin(admin.ModelAdmin):
    # The commenter's email stays off the list (field-level minimisation, docs/reliability.md A-03).
    list_display = ["name", "post", "status", "created_at"]
    list_filter = ["status"]


admin.site.register(Category, admin.ModelAdmin)
admin.site.register(Tag, admin.ModelAdmin)
admin.site.register(Image, admin.ModelAdmin)
