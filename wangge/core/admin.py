"""Django's admin site, for superusers only, and never a window onto sealed identifiers.

Staff work in the application's own pages, which scope and audit every read and write; the admin is
a maintenance tool. Records that must be audited when they change (persons, households, roles,
tokens, the audit log itself) are read-only here.
"""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from wangge.core.models import Alert, AuditEntry, Job

admin.site.site_header = "网格 · 系统维护"
admin.site.site_title = "网格"


class SuperuserAdmin(admin.ModelAdmin):
    """Visible and usable by superusers only, whatever model permissions a user was given."""

    def has_module_permission(self, request: HttpRequest) -> bool:
        return request.user.is_active and request.user.is_superuser

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return request.user.is_active and request.user.is_superuser

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return request.user.is_active and request.user.is_superuser

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return request.user.is_active and request.user.is_superuser

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return request.user.is_active and request.user.is_superuser


class ReadOnlyAdmin(SuperuserAdmin):
    """Superusers may look; changes go through the application's services, which audit them."""

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdmin):
    list_display = ["at", "actor_label", "action", "target_type", "target_label", "ip"]
    list_filter = ["action"]
    search_fields = ["actor_label", "target_label", "target_id", "reason"]
    date_hierarchy = "at"


@admin.register(Alert)
class AlertAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "recipient", "kind", "text", "read_at"]
    list_filter = ["kind"]
    search_fields = ["text", "recipient__username"]
    raw_id_fields = ["recipient"]


@admin.register(Job)
class JobAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "kind", "status", "owner", "done", "total", "worker", "attempts"]
    list_filter = ["kind", "status"]
    raw_id_fields = ["owner"]
