from django.contrib import admin

from clients.models import Client, Person


class PersonInline(admin.TabularInline):
    model = Person
    extra = 0


@admin.register(Client)
class ClientAdmin(admin.ModelAdmin):
    list_display = ["__str__", "kind", "stage", "source", "created_at"]
    list_filter = ["stage", "source", "kind"]
    search_fields = ["people__name", "people__email"]
    inlines = [PersonInline]
