"""What the teams API shows and reads. Phones are shown masked only."""

from typing import Any

from rest_framework import serializers

from wangge.core.api import IdField
from wangge.teams.models import Member, MemberStatus, Skill, Team, TeamColour, TeamKind


class TeamsTeamSerializer(serializers.ModelSerializer):
    community_name = serializers.CharField(source="community.name", read_only=True, default="")

    class Meta:
        model = Team
        fields = [
            "id",
            "name",
            "kind",
            "colour",
            "street",
            "community",
            "community_name",
            "description",
            "open_signup",
            "created_at",
        ]
        read_only_fields = fields


class TeamsTeamWriteSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=60)
    kind = serializers.ChoiceField(choices=TeamKind.choices)
    community = IdField(required=False, help_text="社区编号；留空为街道队伍 / community id")
    street = IdField(required=False, help_text="街道队伍的街道编号 / street of a street-wide team")
    colour = serializers.ChoiceField(choices=TeamColour.choices, required=False)
    description = serializers.CharField(max_length=200, required=False, allow_blank=True)
    open_signup = serializers.BooleanField(required=False, default=False)


class TeamsMemberSerializer(serializers.ModelSerializer):
    team_name = serializers.CharField(source="team.name", read_only=True)
    skills = serializers.ListField(child=serializers.ChoiceField(choices=Skill.choices))

    class Meta:
        model = Member
        fields = [
            "id",
            "team",
            "team_name",
            "person",
            "user",
            "name",
            "phone_masked",
            "skills",
            "availability",
            "party_member",
            "status",
            "source",
            "note",
            "joined_at",
            "decided_at",
        ]
        read_only_fields = fields


class TeamsMemberWriteSerializer(serializers.Serializer):
    team = IdField()
    person = IdField(required=False, help_text="底册人员编号 / a person of the register")
    user = IdField(required=False, help_text="工作人员编号 / a staff user")
    name = serializers.CharField(max_length=50, required=False, allow_blank=True, default="")
    phone = serializers.CharField(max_length=40, required=False, allow_blank=True, default="")
    skills = serializers.ListField(
        child=serializers.ChoiceField(choices=Skill.choices), required=False, default=list
    )
    availability = serializers.CharField(
        max_length=100, required=False, allow_blank=True, default=""
    )
    party_member = serializers.BooleanField(required=False, default=False)
    note = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if not (attrs.get("person") or attrs.get("user") or attrs.get("name", "").strip()):
            raise serializers.ValidationError(
                "请给出人员、工作人员或姓名 / give a person, a staff user or a name"
            )
        return attrs


class TeamsDeclineSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=300)


STATUSES = MemberStatus.values
