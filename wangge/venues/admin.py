"""Admin for the venues' configuration: the kinds of venue (a new kind is added here; their
synonyms and checklists are also edited on 场所 → 检查项), the streets' dated card rules and their
disinfection requirements (also set on 场所 → 红黄牌与消杀规则, through services/rules.py). Venues, inspections, cards and logs are handled in the venues' own
pages, which scope and audit every change; the admin is for the tables operators tune."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from wangge.accounts.models import User
from wangge.core.admin import SuperuserAdmin
from wangge.venues.models import CardRules, ChecklistItem, DisinfectionRule, VenueKind


class ChecklistInline(admin.TabularInline):
    model = ChecklistItem
    extra = 0


@admin.register(VenueKind)
class VenueKindAdmin(SuperuserAdmin):
    list_display = ["name", "synonyms", "order"]
    inlines = [ChecklistInline]


@admin.register(CardRules)
class CardRulesAdmin(SuperuserAdmin):
    """A change of the rules is a new row from a date on: the rules in force on a day are the
    latest row whose date is not after it, so a card issued earlier keeps the rules it was given."""

    list_display = ["street", "valid_from", "yellow_days", "repeat_days", "created_by"]
    list_filter = ["street"]
    readonly_fields = ["created_by"]

    def save_model(self, request: HttpRequest, obj: CardRules, form: Any, change: bool) -> None:
        if not change and isinstance(request.user, User):
            obj.created_by = request.user
        super().save_model(request, obj, form, change)


@admin.register(DisinfectionRule)
class DisinfectionRuleAdmin(SuperuserAdmin):
    list_display = ["street", "requirement", "place", "times_per_day", "alert_hour", "active"]
    list_filter = ["street", "active"]
