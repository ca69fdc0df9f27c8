"""Moving the checkpoints' own volunteers (卡点志愿者, a name and a phone per community) into the
teams, for the checkpoints migration that re-points duty rosters at team members. Written against
the migration's historical models, so it uses no model methods."""

from collections.abc import Iterable
from typing import Any

from wangge.core import crypto

TEAM_NAME = "卡点志愿者"


def volunteers_to_members(
    volunteers: Iterable[dict[str, Any]], team_model: Any, member_model: Any
) -> dict[int, int]:
    """Each volunteer (id, name, phone_sealed, phone_masked, note, active, community_id,
    street_id) becomes a member of its community's team 卡点志愿者 (kind VOLUNTEER, made when
    missing), CONFIRMED (LEFT if it was no longer active), source MIGRATED, its phone sealed as it
    was. Two volunteers of one community with one phone become one member. The volunteer id →
    member id."""
    teams: dict[int, Any] = {}
    moved: dict[int, int] = {}
    for row in volunteers:
        community = row["community_id"]
        if community not in teams:
            teams[community], _ = team_model.objects.get_or_create(
                street_id=row["street_id"],
                community_id=community,
                name=TEAM_NAME,
                defaults={"kind": "volunteer", "colour": "orange"},
            )
        team = teams[community]
        phone = crypto.unseal(row["phone_sealed"]) if row["phone_sealed"] else ""
        phone_hash = crypto.blind_index(phone) if phone else ""
        member = (
            member_model.objects.filter(team=team, phone_hash=phone_hash).first()
            if phone_hash
            else None
        )
        if member is None:
            member = member_model.objects.create(
                team=team,
                name=row["name"],
                phone_sealed=row["phone_sealed"],
                phone_hash=phone_hash,
                phone_masked=row["phone_masked"],
                note=row["note"],
                status="confirmed" if row["active"] else "left",
                source="migrated",
            )
        moved[row["id"]] = member.pk
    return moved
