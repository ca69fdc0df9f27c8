"""The checkpoints' volunteers moved into the teams (the function checkpoints' migration 0003
runs): one team 卡点志愿者 per community, members CONFIRMED (LEFT if inactive) and MIGRATED, the
phone sealed as it was, one member per phone within a community."""

from wangge.core import crypto
from wangge.teams.models import Member, Team
from wangge.teams.moving import volunteers_to_members


def _row(pk, name, phone, community, street, active=True):
    return {
        "id": pk,
        "name": name,
        "phone_sealed": crypto.seal(phone) if phone else "",
        "phone_masked": f"{phone[:3]}****{phone[-4:]}" if phone else "",
        "note": "夜班",
        "active": active,
        "community_id": community.pk,
        "street_id": street.pk,
    }


def test_every_volunteer_becomes_a_member_of_its_communitys_team(world):
    # given
    east, west, street = world.east, world.west, world.street
    rows = [
        _row(11, "甲", "13900000001", east, street),
        _row(12, "甲二", "13900000001", east, street),
        _row(13, "乙", "13900000002", west, street, active=False),
        _row(14, "丙", "", east, street),
    ]
    # when
    moved = volunteers_to_members(rows, Team, Member)
    # then
    teams = Team.objects.filter(name="卡点志愿者")
    assert {(t.community, t.kind, t.colour) for t in teams} == {
        (east, "volunteer", "orange"),
        (west, "volunteer", "orange"),
    }
    first = Member.objects.get(pk=moved[11])
    assert moved[12] == moved[11]
    assert (first.status, first.source, first.note) == ("confirmed", "migrated", "夜班")
    assert first.phone == "13900000001"
    assert first.phone_sealed == rows[0]["phone_sealed"]
    assert first.phone_hash == crypto.blind_index("13900000001")
    gone = Member.objects.get(pk=moved[13])
    assert (gone.team.community, gone.status) == (west, "left")
    assert Member.objects.get(pk=moved[14]).phone_hash == ""
    assert Member.objects.count() == 3
