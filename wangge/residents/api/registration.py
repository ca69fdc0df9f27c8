"""防疫登记 on the API. The resident's side (`/api/my/registrations/`): create, list and read their
own, withdraw an open one; another's id answers 404. The staff side
(`/api/residents/registrations/`): the registrations of the caller's area, `confirm/` (applies it
to the register) and `reject/` (a reason the resident reads)."""

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from wangge.accounts.http import api_user
from wangge.core.api import IdField, QueryFilter, ScopedViewSet
from wangge.core.identity import IdType
from wangge.core.origin import Origin
from wangge.people.models import Person
from wangge.residents import registration_selectors as reads
from wangge.residents import services
from wangge.residents.api.base import ResidentViewSet
from wangge.residents.models import Registration, RegistrationMember, RegistrationVehicle


class EntrySerializer(serializers.ModelSerializer):
    id_number = serializers.CharField(source="id_number_masked", read_only=True)
    phone = serializers.CharField(source="phone_masked", read_only=True)

    class Meta:
        model = RegistrationMember
        fields = [
            "change",
            "person",
            "name",
            "relation",
            "id_type",
            "id_number",
            "phone",
            "proxied",
        ]
        read_only_fields = fields


class PlateSerializer(serializers.ModelSerializer):
    class Meta:
        model = RegistrationVehicle
        fields = ["change", "plate"]
        read_only_fields = fields


class RegistrationSerializer(serializers.ModelSerializer):
    place = serializers.CharField(read_only=True)
    landlord_phone = serializers.CharField(source="landlord_phone_masked", read_only=True)
    members = EntrySerializer(many=True, read_only=True)
    vehicles = PlateSerializer(many=True, read_only=True)

    class Meta:
        model = Registration
        fields = [
            "id",
            "status",
            "reason",
            "place",
            "household",
            "residence_type",
            "residence_for_all",
            "landlord_phone",
            "on_behalf",
            "note",
            "created_at",
            "decided_at",
            "members",
            "vehicles",
        ]
        read_only_fields = fields


class StaffRegistrationSerializer(RegistrationSerializer):
    account = serializers.CharField(source="account.label", read_only=True, default="")
    proxied = serializers.SerializerMethodField(help_text="代办 / entered for another member")

    class Meta(RegistrationSerializer.Meta):
        fields = [
            *RegistrationSerializer.Meta.fields,
            "grid",
            "building",
            "unit",
            "room",
            "account",
            "by",
            "landlord_answered_at",
            "landlord_skipped",
            "decided_by",
            "decision_note",
            "proxied",
        ]
        read_only_fields = fields

    def get_proxied(self, registration: Registration) -> bool:
        return any(member.proxied for member in registration.members.all())


class RegistrationMemberWriteSerializer(serializers.Serializer):
    person = IdField(required=False, allow_null=True, default=None)
    name = serializers.CharField(max_length=50, required=False, allow_blank=True, default="")
    relation = serializers.ChoiceField(Person.Relation.choices, default=Person.Relation.OTHER)
    id_type = serializers.ChoiceField(IdType.choices, default=IdType.RESIDENT)
    id_number = serializers.CharField(max_length=40, required=False, allow_blank=True, default="")
    phone = serializers.CharField(max_length=40, required=False, allow_blank=True, default="")
    remove = serializers.BooleanField(default=False)


class RegistrationWriteSerializer(serializers.Serializer):
    residence_type = serializers.ChoiceField(Person.ResidenceType.choices)
    residence_for_all = serializers.BooleanField(
        default=False,
        help_text="全户居住类型变更：现有成员也改为此类型 / every member takes this residence type",
    )
    members = serializers.ListField(
        child=RegistrationMemberWriteSerializer(), max_length=40, default=list
    )
    building = IdField(required=False, allow_null=True, default=None)
    compound = IdField(required=False, allow_null=True, default=None)
    unit = serializers.CharField(max_length=20, required=False, allow_blank=True, default="")
    room = serializers.CharField(max_length=30, required=False, allow_blank=True, default="")
    landlord_phone = serializers.CharField(
        max_length=40, required=False, allow_blank=True, default=""
    )
    plates = serializers.ListField(
        child=serializers.CharField(max_length=20), max_length=10, default=list
    )
    vehicles_remove = serializers.ListField(child=IdField(), max_length=10, default=list)
    note = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")


class StaffRegistrationWriteSerializer(RegistrationWriteSerializer):
    household = IdField(
        required=False,
        allow_null=True,
        default=None,
        help_text="代登记的家庭（本辖区） / the household registered on its behalf",
    )


class ConfirmSerializer(serializers.Serializer):
    note = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")
    without_landlord = serializers.BooleanField(
        default=False, help_text="联系不上房东时不经房东确认（须写说明） / without the landlord"
    )


class RejectSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=300, help_text="居民可见 / shown to the resident")


def _input(values: dict[str, Any]) -> services.RegistrationInput:
    return services.RegistrationInput(
        residence_type=values["residence_type"],
        members=[
            services.MemberEntry(
                name=member["name"],
                relation=member["relation"],
                id_type=member["id_type"],
                id_number=member["id_number"],
                phone=member["phone"],
                person_id=member["person"],
                remove=member["remove"],
            )
            for member in values["members"]
        ],
        building_id=values["building"],
        compound_id=values["compound"],
        unit=values["unit"],
        room=values["room"],
        landlord_phone=values["landlord_phone"],
        residence_for_all=values["residence_for_all"],
        plates_add=values["plates"],
        vehicles_remove=values["vehicles_remove"],
        note=values["note"],
        household_id=values.get("household"),
    )


class MyRegistrationViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ResidentViewSet):
    """我的防疫登记: the signed-in resident's registrations, newest first."""

    serializer_class = RegistrationSerializer

    def get_queryset(self) -> QuerySet[Registration]:
        if getattr(self, "swagger_fake_view", False):
            return Registration.objects.none()  # the OpenAPI generator's view has no account
        return reads.own_registrations(self.account).prefetch_related("members", "vehicles")

    @extend_schema(request=RegistrationWriteSerializer, responses={201: RegistrationSerializer})
    def create(self, request: Request) -> Response:
        """Submit a registration of the own household (or of a new home: `building`, `unit`,
        `room`, and `compound` from its QR code); it waits for the grid worker."""
        given = self.given(RegistrationWriteSerializer)
        given.is_valid(raise_exception=True)
        registration = services.registration_submit(
            account=self.account,
            data=_input(given.validated_data),
            origin=Origin.from_request(request),
        )
        answer = RegistrationSerializer(self.get_queryset().get(pk=registration.pk)).data
        return Response(answer, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses=RegistrationSerializer)
    @action(detail=True, methods=["post"])
    def withdraw(self, request: Request, pk: str | None = None) -> Response:
        """Take back an open registration of one's own."""
        registration = self.get_object()
        if registration.account_id != self.account.pk:
            raise exceptions.NotFound
        services.registration_withdraw(
            account=self.account,
            registration_id=registration.pk,
            origin=Origin.from_request(request),
        )
        return Response(RegistrationSerializer(self.get_queryset().get(pk=registration.pk)).data)


class RegistrationViewSet(ScopedViewSet):
    """居民防疫登记 of the caller's area: waiting for the grid worker first."""

    model = Registration
    serializer_class = StaffRegistrationSerializer
    query_filters = (
        QueryFilter("status", ("status",), "状态 / status", str, Registration.Status.values),
        QueryFilter("grid", ("grid",), "网格编号 / grid id"),
    )

    def get_queryset(self) -> QuerySet:
        return reads.queue(self.request.user).prefetch_related("members", "vehicles")

    def _answer(self, registration: Registration, code: int = status.HTTP_200_OK) -> Response:
        return Response(
            StaffRegistrationSerializer(self.get_queryset().get(pk=registration.pk)).data,
            status=code,
        )

    @extend_schema(
        request=StaffRegistrationWriteSerializer, responses={201: StaffRegistrationSerializer}
    )
    def create(self, request: Request) -> Response:
        """代登记: a registration made by the grid worker on a resident's behalf, for a household
        of their area (`household`) or a new home (`building`, `unit`, `room`); it waits for
        confirmation like a resident's."""
        given = self.given(StaffRegistrationWriteSerializer)
        given.is_valid(raise_exception=True)
        registration = services.registration_submit(
            account=None,
            by=api_user(request),
            data=_input(given.validated_data),
            origin=Origin.from_request(request),
        )
        return self._answer(registration, status.HTTP_201_CREATED)

    @extend_schema(request=ConfirmSerializer, responses=StaffRegistrationSerializer)
    @action(detail=True, methods=["post"])
    def confirm(self, request: Request, pk: str | None = None) -> Response:
        """Apply the registration to the register, all of it or nothing (400 naming the member)."""
        registration = self.get_object()
        given = self.given(ConfirmSerializer)
        given.is_valid(raise_exception=True)
        registration = services.registration_confirm(
            by=api_user(request),
            registration=registration,
            note=given.validated_data["note"],
            without_landlord=given.validated_data["without_landlord"],
            origin=Origin.from_request(request),
        )
        return self._answer(registration)

    @extend_schema(request=RejectSerializer, responses=StaffRegistrationSerializer)
    @action(detail=True, methods=["post"])
    def reject(self, request: Request, pk: str | None = None) -> Response:
        """Not accepted, with the reason the resident reads."""
        registration = self.get_object()
        given = self.given(RejectSerializer)
        given.is_valid(raise_exception=True)
        registration = services.registration_reject(
            by=api_user(request),
            registration=registration,
            reason=given.validated_data["reason"],
            origin=Origin.from_request(request),
        )
        return self._answer(registration)
