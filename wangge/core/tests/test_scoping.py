import pytest
from django.core.exceptions import ImproperlyConfigured

from wangge.accounts.authority import scope_for
from wangge.core import scoping
from wangge.people.models import Person
from wangge.regions.models import Community, Grid, Household


def names(queryset):
    return sorted(p.name for p in queryset)


def test_grid_worker_sees_own_grid_and_its_small_grids_only(world):
    visible = Person.objects.restrict(world.users["gavin"])

    assert names(visible) == ["张三", "李四"]


def test_grid_worker_of_b_sees_nothing_of_a(world):
    visible = Person.objects.restrict(world.users["bella"])

    assert names(visible) == ["王五"]
    assert (
        not Household.objects.restrict(world.users["bella"])
        .filter(pk=world.households["a"].pk)
        .exists()
    )


def test_community_worker_sees_nothing_of_the_next_community(world):
    carol = world.users["carol"]

    assert names(Person.objects.restrict(carol)) == ["张三", "李四", "王五"]
    assert list(Community.objects.restrict(carol)) == [world.east]
    assert world.grid_d not in Grid.objects.restrict(carol)


def test_commander_sees_the_street(world):
    assert Person.objects.restrict(world.users["alice"]).count() == 4


def test_doctor_sees_only_assigned_persons(world):
    assert names(Person.objects.restrict(world.users["dora"])) == ["赵六"]


def test_checkpoint_staff_see_no_register(world):
    assert not Person.objects.restrict(world.users["kim"]).exists()


def test_tracer_views_street_but_cannot_edit(world):
    tracy = world.users["tracy"]

    assert Person.objects.restrict(tracy, "view").count() == 4
    assert not Person.objects.restrict(tracy, "edit").exists()


def test_anonymous_sees_nothing(world):
    from django.contrib.auth.models import AnonymousUser

    assert not Person.objects.restrict(AnonymousUser()).exists()


def test_scopes_come_from_the_provider_accounts_installs(monkeypatch):
    assert scoping._provider is scope_for
    monkeypatch.setattr(scoping, "_provider", None)
    with pytest.raises(ImproperlyConfigured):
        scoping.scope_of(None, "view")
