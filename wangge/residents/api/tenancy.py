"""租客登记待确认 on the resident API: the tenants' registrations that named the signed-in
resident's phone as their landlord's, and the landlord's answer (as on the registration page)."""

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, mixins, serializers
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from wangge.core.origin import Origin
from wangge.residents import registration_selectors as reads
from wangge.residents import services
from wangge.residents.api.base import ResidentViewSet
from wangge.residents.models import Registration, RegistrationMember


class TenantSerializer(serializers.ModelSerializer):
    phone = serializers.CharField(source="phone_masked", read_only=True)

    class Meta:
        model = RegistrationMember
        fields = ["name", "phone"]
        read_only_fields = fields


class TenancySerializer(serializers.ModelSerializer):
    """What a landlord sees of a tenant's registration: the place and the tenants' names and
    masked phones, nothing of their ID numbers."""

    place = serializers.CharField(read_only=True)
    members = TenantSerializer(many=True, read_only=True)

    class Meta:
        model = Registration
        fields = ["id", "status", "place", "created_at", "members"]
        read_only_fields = fields


class AnswerSerializer(serializers.Serializer):
    agree = serializers.BooleanField(help_text="确认是我的租客 / these are my tenants")
    reason = serializers.CharField(
        max_length=200,
        required=False,
        allow_blank=True,
        default="",
        help_text="不确认时必填 / required when not agreeing",
    )


class MyTenancyViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ResidentViewSet):
    """租客登记待确认: tenants' registrations waiting for the signed-in resident as landlord."""

    serializer_class = TenancySerializer

    def get_queryset(self) -> QuerySet[Registration]:
        if getattr(self, "swagger_fake_view", False):
            return Registration.objects.none()  # the OpenAPI generator's view has no account
        return reads.landlord_waiting(self.account).prefetch_related("members")

    @extend_schema(request=AnswerSerializer, responses=TenancySerializer)
    @action(detail=True, methods=["post"])
    def answer(self, request: Request, pk: str | None = None) -> Response:
        """Confirm the tenancy (on to the grid worker) or decline it with a reason."""
        tenancy = self.get_object()
        given = self.given(AnswerSerializer)
        given.is_valid(raise_exception=True)
        try:
            answered = services.registration_landlord_answer(
                account=self.account,
                registration_id=tenancy.pk,
                agree=given.validated_data["agree"],
                reason=given.validated_data["reason"],
                origin=Origin.from_request(request),
            )
        except Registration.DoesNotExist as gone:
            raise exceptions.NotFound from gone
        return Response(TenancySerializer(answered).data)
