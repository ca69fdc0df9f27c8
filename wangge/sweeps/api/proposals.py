"""走访发现 over the API (`/api/sweeps/proposals/`): the findings in the caller's grids (`?status=`,
`?campaign=`, `?grid=`), each with what confirming it would change; `{id}/confirm/` applies it
through the register's, arrivals' or tasks' own services (a newcomer needs the ID number the
worker has seen), `{id}/reject/` turns it down with a reason. A decided finding answers 400."""

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from wangge.accounts.http import api_user
from wangge.core.api import QueryFilter, ScopedViewSet
from wangge.core.identity import IdType
from wangge.core.origin import Origin
from wangge.people.models import Person
from wangge.sweeps.models import Proposal, ProposalStatus
from wangge.sweeps.selectors.proposals import answer_of, change_of, proposals_for
from wangge.sweeps.services.proposals import Identity, proposal_confirm, proposal_reject


class SweepProposalSerializer(serializers.ModelSerializer):
    campaign = serializers.IntegerField(source="visit.campaign_id", read_only=True)
    household = serializers.IntegerField(source="visit.household_id", read_only=True)
    household_label = serializers.CharField(source="visit.household", read_only=True)
    grid = serializers.IntegerField(source="visit.grid_id", read_only=True)
    person_name = serializers.CharField(source="person.name", read_only=True, default="")
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    details = serializers.SerializerMethodField(help_text="发现的内容，电话仅显示掩码 / masked")
    change = serializers.SerializerMethodField(help_text="确认后的变更 / what confirming does")
    answer = serializers.SerializerMethodField(help_text="走访答复 / the visit's answer")

    class Meta:
        model = Proposal
        fields = [
            "id",
            "campaign",
            "visit",
            "household",
            "household_label",
            "grid",
            "person",
            "person_name",
            "kind",
            "kind_label",
            "details",
            "change",
            "answer",
            "status",
            "outcome",
            "outcome_model",
            "outcome_id",
            "decided_by",
            "decided_at",
            "created_at",
        ]
        read_only_fields = fields

    def get_details(self, proposal: Proposal) -> dict[str, Any]:
        return {key: value for key, value in proposal.details.items() if key != "sealed"}

    def get_change(self, proposal: Proposal) -> str:
        return change_of(proposal)

    def get_answer(self, proposal: Proposal) -> str:
        return answer_of(proposal)


class SweepConfirmSerializer(serializers.Serializer):
    id_number = serializers.CharField(
        max_length=40, required=False, default="", help_text="新增人员必填 / for a newcomer"
    )
    id_type = serializers.ChoiceField(choices=IdType.choices, default=IdType.RESIDENT)
    relation = serializers.ChoiceField(
        choices=Person.Relation.choices, default=Person.Relation.OTHER
    )
    residence_type = serializers.ChoiceField(
        choices=Person.ResidenceType.choices, default=Person.ResidenceType.REGISTERED
    )


class SweepRejectSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=200)


class SweepProposalViewSet(ScopedViewSet):
    """走访发现 in the caller's grids, waiting ones first."""

    model = Proposal
    serializer_class = SweepProposalSerializer
    query_filters = (
        QueryFilter("status", ("status",), "状态 / status", str, ProposalStatus.values),
        QueryFilter("campaign", ("visit__campaign",), "扫楼行动编号 / campaign id"),
        QueryFilter("grid", ("visit__grid",), "网格编号 / grid id"),
    )

    def get_queryset(self) -> QuerySet:
        return proposals_for(self.request.user, status="").order_by("status", "-created_at", "pk")

    def _answer(self, proposal: Proposal) -> Response:
        return Response(SweepProposalSerializer(self.get_queryset().get(pk=proposal.pk)).data)

    @extend_schema(request=SweepConfirmSerializer, responses=SweepProposalSerializer)
    @action(detail=True, methods=["post"])
    def confirm(self, request: Request, pk: str | None = None) -> Response:
        """Apply the finding (400 if decided already or the register refuses it)."""
        proposal = self.get_object()
        given = self.given(SweepConfirmSerializer)
        given.is_valid(raise_exception=True)
        proposal = proposal_confirm(
            by=api_user(request),
            proposal=proposal,
            identity=Identity(**given.validated_data),
            origin=Origin.from_request(request),
        )
        return self._answer(proposal)

    @extend_schema(request=SweepRejectSerializer, responses=SweepProposalSerializer)
    @action(detail=True, methods=["post"])
    def reject(self, request: Request, pk: str | None = None) -> Response:
        """Turn the finding down with a reason; nothing else changes."""
        proposal = self.get_object()
        given = self.given(SweepRejectSerializer)
        given.is_valid(raise_exception=True)
        proposal = proposal_reject(
            by=api_user(request),
            proposal=proposal,
            reason=given.validated_data["reason"],
            origin=Origin.from_request(request),
        )
        return self._answer(proposal)
