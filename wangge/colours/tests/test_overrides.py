"""A manual colour (e.g. a household sealed by the community) wins while it lasts: set, replaced,
lifted, expired by the sweep (set-based, idempotent); only community or street staff decide."""

from datetime import timedelta

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from wangge.colours.overrides import colour_override_lift, colour_override_set
from wangge.core.models import AuditEntry
from wangge.regions.colours import colour_mismatches
from wangge.regions.models import Household, HouseholdColourChange, HouseholdColourOverride
from wangge.regions.overrides import colour_overrides_expire
from wangge.regions.tasks import colour_sweep
from wangge.regions.tests.colour_fixtures import colour_types, coloured, near_midnight, put_under

__all__ = ["colour_types", "coloured", "near_midnight"]


def colour_of(household: Household) -> str:
    household.refresh_from_db()
    return household.colour


def seal(world, key: str = "a", colour: str = "red", days: int = 3, by: str = "carol"):
    return colour_override_set(
        by=world.users[by],
        household=world.households[key],
        colour=colour,
        reason="社区封门",
        expires_at=timezone.now() + timedelta(days=days),
    )


def test_an_override_wins_over_the_measures_until_it_expires(near_midnight, coloured, colour_types):
    # given a household under a yellow measure, sealed red by the community for three days
    household = coloured.households["a"]
    put_under(coloured.users["alice"], coloured.persons["zhang_san"], colour_types["yellow"])
    seal(coloured)
    assert colour_of(household) == "red"

    # when the expiry passes and the sweep runs (twice)
    with time_machine.travel(timezone.now() + timedelta(days=3, minutes=1)):
        assert colour_overrides_expire() == 1
        assert colour_overrides_expire() == 0

    # then the rule decides again, and the history says why
    assert colour_of(household) == "yellow"
    last = HouseholdColourChange.objects.filter(household=household).first()
    assert (last.old, last.new, last.reason) == ("red", "yellow", "override_expired")
    override = HouseholdColourOverride.objects.get()
    assert override.end_kind == "expired" and override.ended_at == override.expires_at


def test_an_expired_override_no_longer_counts_even_before_the_sweep(near_midnight, coloured):
    seal(coloured, colour="orange", days=1)

    with time_machine.travel(timezone.now() + timedelta(days=2)):
        wrong = list(colour_mismatches(Household.objects.filter(pk=coloured.households["a"].pk)))

    assert wrong == [(coloured.households["a"].pk, "orange", "green")]


def test_the_periodic_sweep_expires_overrides(near_midnight, coloured):
    seal(coloured, days=1)

    with time_machine.travel(timezone.now() + timedelta(days=1, seconds=1)):
        result = colour_sweep.call_local()

    assert result == {"overrides_expired": 1, "started": 0}
    assert colour_of(coloured.households["a"]) == "green"


def test_lifting_and_replacing(coloured):
    household = coloured.households["a"]
    first = seal(coloured, colour="red")
    second = seal(coloured, colour="orange")
    first.refresh_from_db()
    assert first.end_kind == "replaced"
    assert colour_of(household) == "orange"

    colour_override_lift(by=coloured.users["alice"], override=second, reason="已解封")

    assert colour_of(household) == "green"
    with pytest.raises(ValidationError):
        colour_override_lift(by=coloured.users["alice"], override=second)
    reasons = HouseholdColourChange.objects.filter(household=household).values_list(
        "reason", flat=True
    )
    assert list(reasons)[:3] == ["override_lifted", "override", "override"]
    assert AuditEntry.objects.filter(target_type="regions.householdcolouroverride").count() == 3


def test_only_community_or_street_staff_decide(coloured):
    with pytest.raises(PermissionDenied):
        seal(coloured, by="gavin")  # a grid worker
    with pytest.raises(PermissionDenied):
        seal(coloured, key="d", by="carol")  # another community
    assert seal(coloured, key="d", by="alice").colour == "red"


@pytest.mark.parametrize(
    ("reason", "days", "field"),
    [("", 3, "reason"), ("封门", -1, "expires_at"), ("封门", 31, "expires_at")],
)
def test_an_override_needs_a_reason_and_a_near_expiry(coloured, reason, days, field):
    with pytest.raises(ValidationError) as caught:
        colour_override_set(
            by=coloured.users["carol"],
            household=coloured.households["a"],
            colour="red",
            reason=reason,
            expires_at=timezone.now() + timedelta(days=days),
        )
    assert field in caught.value.message_dict


def test_the_override_page(near_midnight, client, coloured):
    household = coloured.households["b"]
    url = reverse("colours:override", args=[household.pk])
    client.force_login(coloured.users["carol"])
    expires = (timezone.localtime() + timedelta(days=2)).strftime("%Y-%m-%dT%H:%M")

    missing = client.post(url, {"colour": "red", "reason": "", "expires_at": expires})
    saved = client.post(url, {"colour": "red", "reason": "封门", "expires_at": expires})

    assert missing.status_code == 422
    assert saved.status_code == 302
    assert colour_of(household) == "red"
    page = client.get(reverse("regions:household_detail", args=[household.pk]))
    assert "人工户色" in page.text and "封门" in page.text

    lift = reverse("colours:override_lift", args=[HouseholdColourOverride.objects.get().pk])
    assert client.post(lift).status_code == 302
    assert colour_of(household) == "green"


def test_a_grid_worker_cannot_set_a_colour(client, coloured):
    client.force_login(coloured.users["gavin"])
    url = reverse("colours:override", args=[coloured.households["a"].pk])

    assert "社区或街道" in client.get(url).text
    expires = (timezone.localtime() + timedelta(days=2)).strftime("%Y-%m-%dT%H:%M")
    response = client.post(url, {"colour": "red", "reason": "x", "expires_at": expires})
    assert response.status_code == 403
    assert (
        client.get(reverse("colours:override", args=[coloured.households["b"].pk])).status_code
        == 404
    )


def test_overrides_over_the_api(api_client_for, coloured):
    carol = api_client_for(coloured.users["carol"])
    gavin = api_client_for(coloured.users["gavin"])
    expires = (timezone.now() + timedelta(days=2)).isoformat()
    body = {
        "household": coloured.households["a"].pk,
        "colour": "red",
        "reason": "封门",
        "expires_at": expires,
    }

    created = carol.post("/api/colours/overrides/", body, format="json")
    refused = gavin.post("/api/colours/overrides/", body, format="json")
    elsewhere = carol.post(
        "/api/colours/overrides/", {**body, "household": coloured.households["d"].pk}, format="json"
    )

    assert created.status_code == 201
    assert refused.status_code == 403
    assert elsewhere.status_code == 400  # a household outside scope does not exist for carol
    assert gavin.get("/api/colours/overrides/").json()["count"] == 1
    assert (
        api_client_for(coloured.users["bella"]).get("/api/colours/overrides/").json()["count"] == 0
    )
    lifted = carol.post(f"/api/colours/overrides/{created.json()['id']}/lift/", {}, format="json")
    assert lifted.status_code == 200 and lifted.json()["end_kind"] == "lifted"
