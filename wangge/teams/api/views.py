"""/api/teams/teams/ and /api/teams/members/: the teams and members in the caller's area (VIEW),
phones masked; creating needs EDIT on the area, and so do confirming and declining sign-ups
(the teams' services decide). Another area's row is 404."""

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, mixins, status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from wangge.accounts.http import api_user
from wangge.core.api import QueryFilter, ScopedViewSet
from wangge.core.origin import Origin
from wangge.core.roles import Action
from wangge.people.models import Person
from wangge.regions.models import Community, Street
from wangge.teams.api.serializers import (
    STATUSES,
    TeamsDeclineSerializer,
    TeamsMemberSerializer,
    TeamsMemberWriteSerializer,
    TeamsTeamSerializer,
    TeamsTeamWriteSerializer,
)
from wangge.teams.models import Member, Team, TeamKind
from wangge.teams.selectors import staff_of
from wangge.teams.services import member_add, member_decide, team_create


def _missing(field: str, what: str) -> exceptions.ValidationError:
    return exceptions.ValidationError({field: [f"无此{what} / no such {field}"]})


class TeamViewSet(mixins.CreateModelMixin, ScopedViewSet):
    """队伍 in the caller's area. POST sets one up (EDIT on its community or street)."""

    model = Team
    serializer_class = TeamsTeamSerializer
    select_related = ("community",)
    query_filters = (
        QueryFilter("community", ("community",), "社区编号 / community id"),
        QueryFilter("kind", ("kind",), "类别 / kind", str, TeamKind.values),
    )

    def get_queryset(self) -> QuerySet:
        return super().get_queryset().order_by("pk")

    @extend_schema(request=TeamsTeamWriteSerializer, responses={201: TeamsTeamSerializer})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        given = self.given(TeamsTeamWriteSerializer)
        given.is_valid(raise_exception=True)
        values = dict(given.validated_data)
        user = api_user(request)
        community = street = None
        if values.pop("community", None) is not None:
            community = (
                Community.objects.restrict(user, Action.VIEW)
                .filter(pk=given.validated_data["community"])
                .first()
            )
            if community is None:
                raise _missing("community", "社区")
        if values.pop("street", None) is not None and community is None:
            street = (
                Street.objects.restrict(user, Action.VIEW)
                .filter(pk=given.validated_data["street"])
                .first()
            )
            if street is None:
                raise _missing("street", "街道")
        team = team_create(
            by=user,
            community=community,
            street=street,
            origin=Origin.from_request(request),
            **values,
        )
        return Response(TeamsTeamSerializer(team).data, status=status.HTTP_201_CREATED)


class TeamMemberViewSet(mixins.CreateModelMixin, ScopedViewSet):
    """队员 of the teams in the caller's area, phones masked. POST enters one (confirmed);
    `confirm` and `decline` decide a pending sign-up."""

    model = Member
    serializer_class = TeamsMemberSerializer
    select_related = ("team",)
    query_filters = (
        QueryFilter("team", ("team",), "队伍编号 / team id"),
        QueryFilter("status", ("status",), "状态 / status", str, STATUSES),
    )

    def get_queryset(self) -> QuerySet:
        return super().get_queryset().order_by("pk")

    @extend_schema(request=TeamsMemberWriteSerializer, responses={201: TeamsMemberSerializer})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        given = self.given(TeamsMemberWriteSerializer)
        given.is_valid(raise_exception=True)
        values = dict(given.validated_data)
        user = api_user(request)
        team = Team.objects.restrict(user, Action.VIEW).filter(pk=values.pop("team")).first()
        if team is None:
            raise _missing("team", "队伍")
        person = staff = None
        person_id, staff_id = values.pop("person", None), values.pop("user", None)
        if person_id is not None:
            person = Person.objects.restrict(user, Action.VIEW).filter(pk=person_id).first()
            if person is None:
                raise _missing("person", "人员")
        if staff_id is not None:
            staff = staff_of(team).filter(pk=staff_id).first()
            if staff is None:
                raise _missing("user", "工作人员")
        member = member_add(
            by=user,
            team=team,
            person=person,
            user=staff,
            origin=Origin.from_request(request),
            **values,
        )
        return Response(TeamsMemberSerializer(member).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses={200: TeamsMemberSerializer})
    @action(detail=True, methods=["post"])
    def confirm(self, request: Request, pk: str | None = None) -> Response:
        member = member_decide(
            by=api_user(request),
            member=self.get_object(),
            confirm=True,
            origin=Origin.from_request(request),
        )
        return Response(TeamsMemberSerializer(member).data)

    @extend_schema(request=TeamsDeclineSerializer, responses={200: TeamsMemberSerializer})
    @action(detail=True, methods=["post"])
    def decline(self, request: Request, pk: str | None = None) -> Response:
        member = self.get_object()
        given = self.given(TeamsDeclineSerializer)
        given.is_valid(raise_exception=True)
        member = member_decide(
            by=api_user(request),
            member=member,
            confirm=False,
            reason=given.validated_data["reason"],
            origin=Origin.from_request(request),
        )
        return Response(TeamsMemberSerializer(member).data)
