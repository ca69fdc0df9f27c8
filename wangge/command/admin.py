"""Admin for the command centre's configuration: task kinds, departments, event kinds, playbooks.

The operational data (tasks, lists, events) is handled in the command centre's own pages, which
scope and audit every change; the admin is for the tables operators tune."""

from django.contrib import admin

from wangge.command.models import Department, EventKind, Playbook, PlaybookStep, TaskKind
from wangge.core.admin import SuperuserAdmin


@admin.register(TaskKind)
class TaskKindAdmin(SuperuserAdmin):
    list_display = [*TaskKind.SUMMARY_FIELDS, "builtin"]
    readonly_fields = ["builtin"]


@admin.register(Department)
class DepartmentAdmin(SuperuserAdmin):
    list_display = ["code", "name", "street", "builtin"]
    filter_horizontal = ["members"]
    readonly_fields = ["builtin"]


@admin.register(EventKind)
class EventKindAdmin(SuperuserAdmin):
    list_display = ["code", "name", "builtin"]
    readonly_fields = ["builtin"]


class StepInline(admin.TabularInline):
    model = PlaybookStep
    extra = 0


@admin.register(Playbook)
class PlaybookAdmin(SuperuserAdmin):
    list_display = ["code", "name", "event_kind", "active", "builtin"]
    list_filter = ["event_kind", "active"]
    readonly_fields = ["builtin"]
    inlines = [StepInline]
