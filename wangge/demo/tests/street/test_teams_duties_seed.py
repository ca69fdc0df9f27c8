"""The demo street's duty list, party posts and co-building units (seeded once for the package,
see conftest.py): 16 street positions with 80 duties, held by staff; three party posts held by
party members only, with their service; four units, each with a letter and the buildings it took,
no building taken twice."""

from django.db.models import Count

from wangge.people.models import Assignment, Duty
from wangge.teams.models import (
    CobuildingUnit,
    Position,
    PositionDuty,
    PositionHolder,
    PostService,
    ResponsibilityLetter,
)


def test_the_street_list_has_16_positions_with_80_duties_some_held_by_staff(street_db):
    street_list = Position.objects.filter(community=None)
    assert street_list.count() == 16
    assert PositionDuty.objects.filter(position__community=None).count() == 80
    assert PositionHolder.objects.filter(position__community=None, user__isnull=False).count() >= 7


def test_party_posts_are_held_by_party_members_with_their_service(street_db):
    posts = Position.objects.filter(is_party_post=True)
    assert posts.count() == 3
    holders = PositionHolder.objects.filter(position__in=posts)
    assert holders.exists() and not holders.filter(member__party_member=False).exists()
    assert PostService.objects.filter(position__in=posts).count() == holders.count() * 5


def test_units_have_letters_and_one_unit_per_building(street_db):
    units = CobuildingUnit.objects.annotate(letters_n=Count("letters"))
    assert 3 <= units.count() <= 5 and all(unit.letters_n == 1 for unit in units)
    assert ResponsibilityLetter.objects.exclude(commitments="").count() == units.count()
    taken = Assignment.objects.filter(source=Assignment.Source.UNIT, duty=Duty.COBUILDING)
    assert set(taken.values_list("source_id", flat=True)) == {unit.pk for unit in units}
    community_of = {unit.pk: unit.community_id for unit in units}
    for row in taken.select_related("building__grid"):
        assert row.building.grid.community_id == community_of[row.source_id]
    assert taken.values("building").distinct().count() == taken.count()
