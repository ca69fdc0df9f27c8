"""Persons appear here only by their masked ID number and phone; the sealed values never do."""

from django.contrib import admin
from django.http import HttpRequest

from wangge.core.admin import ReadOnlyAdmin, ReadOnlyInline, SuperuserAdmin
from wangge.people.models import Assignment, ImportBatch, Person, PersonStatusChange, Tag

SEALED_FIELDS = ("id_number_sealed", "id_number_hash", "phone_sealed", "phone_hash")


@admin.register(Tag)
class TagAdmin(SuperuserAdmin):
    list_display = ["name", "code", "builtin", "sensitive"]
    search_fields = ["name", "code"]

    def get_readonly_fields(self, request: HttpRequest, obj: Tag | None = None) -> list[str]:
        """Built-in tags keep their code: other capabilities find them by it."""
        return ["code", "builtin"] if obj is not None and obj.builtin else ["builtin"]

    def has_delete_permission(self, request: HttpRequest, obj: Tag | None = None) -> bool:
        return super().has_delete_permission(request, obj) and not (obj and obj.builtin)


class StatusChangeInline(ReadOnlyInline):
    model = PersonStatusChange
    fields = ("at", "status", "by", "note")
    readonly_fields = fields


@admin.register(Person)
class PersonAdmin(ReadOnlyAdmin):
    """Read-only: a person changes through the application, which validates and audits."""

    list_display = ["name", "id_number_masked", "phone_masked", "household", "status"]
    list_filter = ["status", "residence_type", "household__grid__community"]
    search_fields = ["name", "name_initials", "=id_last4", "=phone_last4"]
    list_select_related = ["household__building__compound"]
    fields = (
        "name",
        "id_type",
        "id_number_masked",
        "phone_masked",
        "birth_date",
        "sex",
        "ethnicity",
        "residence_type",
        "household",
        *Person.STANDING_FIELDS,
        "residence_verified_by",
        "created_at",
        "updated_at",
    )
    readonly_fields = fields
    exclude = SEALED_FIELDS
    inlines = [StatusChangeInline]


@admin.register(Assignment)
class AssignmentAdmin(ReadOnlyAdmin):
    list_display = [
        "holder_user",
        "holder_person",
        "person",
        "household",
        "building",
        "grid",
        "duty",
        "source",
        "started",
        "ended",
    ]
    list_filter = ["duty", "source"]
    search_fields = ["holder_user__username", "person__name"]


@admin.register(ImportBatch)
class ImportBatchAdmin(ReadOnlyAdmin):
    list_display = ["original_name", "street", "created_by", "status", "created_at"]
    list_filter = ["status"]
    search_fields = ["original_name"]
    exclude = ["first_errors"]  # rejected rows may quote the ID numbers typed in them
