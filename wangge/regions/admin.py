from django.contrib import admin

from wangge.core.admin import ReadOnlyAdmin, SuperuserAdmin
from wangge.regions.models import (
    Building,
    Community,
    Compound,
    District,
    Grid,
    Household,
    MarkerRule,
    Street,
)


@admin.register(District)
class DistrictAdmin(SuperuserAdmin):
    list_display = ["name", "code"]
    search_fields = ["name", "code"]


@admin.register(Street)
class StreetAdmin(SuperuserAdmin):
    list_display = ["name", "code", "district"]
    search_fields = ["name", "code"]


@admin.register(Community)
class CommunityAdmin(SuperuserAdmin):
    list_display = ["name", "street", "kind", "code"]
    list_filter = ["street", "kind"]
    search_fields = ["name", "code"]


@admin.register(Grid)
class GridAdmin(SuperuserAdmin):
    list_display = ["name", "community", "parent"]
    list_filter = ["community__street", "community"]
    search_fields = ["name", "community__name"]
    raw_id_fields = ["parent"]


@admin.register(Compound)
class CompoundAdmin(SuperuserAdmin):
    list_display = ["name", "community", "address"]
    list_filter = ["community"]
    search_fields = ["name", "address"]


@admin.register(Building)
class BuildingAdmin(SuperuserAdmin):
    list_display = ["name", "compound", "grid", "units", "floors"]
    list_filter = ["grid__community"]
    search_fields = ["name", "compound__name"]
    raw_id_fields = ["compound", "grid"]


@admin.register(Household)
class HouseholdAdmin(ReadOnlyAdmin):
    """Household changes are audited (before/after): they are made in the application."""

    list_display = ["__str__", "grid", "kind", "updated_at"]
    list_filter = ["kind", "grid__community"]
    search_fields = ["room", "building__name", "building__compound__name"]


@admin.register(MarkerRule)
class MarkerRuleAdmin(SuperuserAdmin):
    """Tag → marker rules of the floor plans (docs/colours.md)."""

    list_display = ["tag", "marker", "public"]
    list_editable = ["marker", "public"]
