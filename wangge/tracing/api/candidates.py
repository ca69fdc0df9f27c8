"""流调对象 over the API (`/api/tracing/candidates/`): the candidates the caller sees (`?case=`,
`?status=`, `?hop=`) — the street's tracing task force and command see the street's, a community
worker their community's, a grid worker only those whose person lives in their grids — with their
path, hop, evidence and decision; `{id}/confirm/`, `{id}/dismiss/` (a reason is required) and
`{id}/reopen/` decide through services.decisions. A candidate the caller does not see is 404; a
decision they may not take (the task force confirming), 403."""

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from wangge.accounts.http import api_user
from wangge.core.api import QueryFilter, ScopedViewSet
from wangge.core.origin import Origin
from wangge.tracing.api.serializers import (
    CandidateDismissSerializer,
    CandidateNoteSerializer,
    CandidateSerializer,
)
from wangge.tracing.models import Candidate, CandidateStatus
from wangge.tracing.selectors import visible_candidates
from wangge.tracing.services.decisions import (
    candidate_confirm,
    candidate_dismiss,
    candidate_reopen,
)


class TraceCandidateViewSet(ScopedViewSet):
    model = Candidate
    serializer_class = CandidateSerializer
    query_filters = (
        QueryFilter("case", ("case",), "病例编号 / case id"),
        QueryFilter("status", ("status",), "状态 / status", str, tuple(CandidateStatus.values)),
        QueryFilter("hop", ("hop",), "层级 / hop (1 or 2)", int, ("1", "2")),
    )

    def get_queryset(self) -> QuerySet:
        # the schema is drawn without a signed-in user: an anonymous caller's scope holds no rows
        rows = visible_candidates(self.request.user)  # type: ignore[arg-type]
        return rows.prefetch_related("person__tags").select_related(
            "person__household__building__compound"
        )

    def _answer(self, candidate: Candidate) -> Response:
        return Response(CandidateSerializer(self.get_queryset().get(pk=candidate.pk)).data)

    @extend_schema(request=CandidateNoteSerializer, responses=CandidateSerializer)
    @action(detail=True, methods=["post"])
    def confirm(self, request: Request, pk: str | None = None) -> Response:
        """Confirm a pending candidate: the person goes under the close-contact (hop 1) or
        contact-of-contact (hop 2) measure of today's rules. Needs EDIT on the person (not the
        task force: 403)."""
        candidate = self.get_object()
        given = self.given(CandidateNoteSerializer)
        given.is_valid(raise_exception=True)
        candidate = candidate_confirm(
            by=api_user(request),
            candidate=candidate,
            note=given.validated_data["note"],
            origin=Origin.from_request(request),
        )
        return self._answer(candidate)

    @extend_schema(request=CandidateDismissSerializer, responses=CandidateSerializer)
    @action(detail=True, methods=["post"])
    def dismiss(self, request: Request, pk: str | None = None) -> Response:
        """Dismiss a pending candidate with a reason (400 without one); re-runs keep it dismissed."""
        candidate = self.get_object()
        given = self.given(CandidateDismissSerializer)
        given.is_valid(raise_exception=True)
        candidate = candidate_dismiss(
            by=api_user(request),
            candidate=candidate,
            reason=given.validated_data["reason"],
            origin=Origin.from_request(request),
        )
        return self._answer(candidate)

    @extend_schema(request=None, responses=CandidateSerializer)
    @action(detail=True, methods=["post"])
    def reopen(self, request: Request, pk: str | None = None) -> Response:
        """Back to pending a decision made by mistake (400 once a measure was made)."""
        candidate = candidate_reopen(
            by=api_user(request), candidate=self.get_object(), origin=Origin.from_request(request)
        )
        return self._answer(candidate)
