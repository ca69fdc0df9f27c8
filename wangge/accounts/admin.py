"""Staff accounts in Django's admin (superusers only). Roles, tokens and imports are read-only here:
they change through the staff pages and the token page, which check the granting rules and audit."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.utils.translation import gettext_lazy as _

from wangge.accounts.models import ApiToken, RoleAssignment, StaffImport, User
from wangge.core.admin import ReadOnlyAdmin, ReadOnlyInline, SuperuserAdmin


class RoleAssignmentInline(ReadOnlyInline):
    model = RoleAssignment
    fields = ("role", "street", "community", "grid", "created_at")
    readonly_fields = fields


@admin.register(User)
class StaffAdmin(UserAdmin, SuperuserAdmin):
    list_display = ["username", "full_name", "phone", "is_active", "is_superuser", "last_login"]
    list_filter = ["is_active", "is_superuser", "must_change_password", "role_assignments__role"]
    search_fields = ["username", "full_name", "phone"]
    fieldsets = [
        (None, {"fields": ["username", "password"]}),
        (_("个人信息"), {"fields": ["full_name", "phone"]}),
        (
            _("状态"),
            {
                "fields": [
                    "is_active",
                    "is_staff",
                    "is_superuser",
                    "must_change_password",
                    "password_changed_at",
                    "last_login",
                    "date_joined",
                ]
            },
        ),
    ]
    add_fieldsets = [(None, {"fields": ["username", "full_name", "password1", "password2"]})]
    readonly_fields = ["password_changed_at", "last_login", "date_joined"]
    filter_horizontal = ()
    inlines = [RoleAssignmentInline]


@admin.register(RoleAssignment)
class RoleAssignmentAdmin(ReadOnlyAdmin):
    list_display = ["user", "role", "street", "community", "grid", "created_at"]
    list_filter = ["role"]
    search_fields = ["user__username", "user__full_name"]


@admin.register(ApiToken)
class ApiTokenAdmin(ReadOnlyAdmin):
    list_display = ["name", "prefix", "user", "expires_at", "revoked_at", "last_used_at"]
    search_fields = ["name", "prefix", "user__username"]
    exclude = ["digest"]


@admin.register(StaffImport)
class StaffImportAdmin(ReadOnlyAdmin):
    list_display = ["original_name", "street", "created_by", "status", "created_at"]
    list_filter = ["status"]
    exclude = ["rows", "errors"]
