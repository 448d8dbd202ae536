from django.contrib import admin

from clients.models import AccessLog, Client, Consent, Package, Person, Tag

# Notes are deliberately not in the admin: they are read only through the coach's note page,
# which asks for a recent second factor and logs every read (docs/reliability.md A-05, D-04).


class PersonInline(admin.TabularInline):
    model = Person
    extra = 0


@admin.register(Client)
class ClientAdmin(admin.ModelAdmin):
    list_display = ["__str__", "kind", "stage", "source", "created_at"]
    list_filter = ["stage", "source", "kind"]
    search_fields = ["people__name", "people__email"]
    inlines = [PersonInline]


admin.site.register(Tag)


@admin.register(Consent)
class ConsentAdmin(admin.ModelAdmin):
    list_display = ["person", "kind", "granted", "at", "method"]
    list_filter = ["kind", "granted"]


@admin.register(Package)
class PackageAdmin(admin.ModelAdmin):
    list_display = ["name", "client", "sessions", "paid", "starts_at"]


@admin.register(AccessLog)
class AccessLogAdmin(admin.ModelAdmin):
    list_display = ["at", "actor_role", "actor_id", "action", "client_id", "object_type"]
    list_filter = ["action", "actor_role"]

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False
