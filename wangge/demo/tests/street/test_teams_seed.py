"""The demo street's people power (seeded once for the package, see conftest.py): the three teams
in every community with members and hours, a volunteer team with sign-ups to confirm, and the
checkpoints rostering its confirmed members, whose finished shifts count as hours served."""

from django.db.models import Count

from wangge.checkpoints.models import ShiftAssignment
from wangge.regions.models import Community
from wangge.teams.models import Member, MemberStatus, ServiceRecord, Team, TeamKind


def test_every_community_has_the_three_teams_with_members(street_db):
    kinds = {TeamKind.PARTY, TeamKind.STAFF, TeamKind.MILITIA}
    for community in Community.objects.all():
        teams = Team.objects.filter(community=community, kind__in=kinds)
        assert {team.kind for team in teams} == kinds, community
        assert {team.colour for team in teams} == {"red", "blue", "green"}
    party = Member.objects.filter(team__kind=TeamKind.PARTY)
    assert party.exists() and not party.filter(person__isnull=True).exists()
    assert not party.exclude(person__tags__code="party_member").exists()
    assert Member.objects.filter(team__kind=TeamKind.STAFF, user__username="demo-community")
    assert ServiceRecord.objects.filter(kind=ServiceRecord.Kind.PARTY_POST).exists()


def test_the_volunteer_team_takes_sign_ups_and_its_members_stand_at_checkpoints(street_db):
    team = Team.objects.get(kind=TeamKind.VOLUNTEER, open_signup=True)
    counts = dict(
        team.members.values_list("status").annotate(n=Count("id")).values_list("status", "n")
    )
    assert counts == {MemberStatus.CONFIRMED: 4, MemberStatus.PENDING: 3}
    rostered = ShiftAssignment.objects.filter(volunteer__isnull=False)
    assert rostered.exists() and not rostered.exclude(volunteer__team=team).exists()
    shifts = ServiceRecord.objects.filter(kind=ServiceRecord.Kind.SHIFT, member__team=team)
    assert shifts.count() == rostered.filter(clocked_off_at__isnull=False).count() > 0
