"""Persons over the REST API: scoped like the UI, masked, written through people.services.

Lists and details show `id_number_masked` and `phone_masked` only; the full values come from the
audited `reveal` action. See docs/api.md.
"""

from dataclasses import fields
from typing import Any

from django.conf import settings
from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from wangge.accounts.http import api_user
from wangge.core.api import ApiViewSet, QueryFilter, ScopedPrimaryKeyField, ScopedViewSet
from wangge.core.identity import IdType, Sex
from wangge.core.origin import Origin
from wangge.people.models import Person, Tag
from wangge.people.services import (
    REVEALABLE,
    PersonData,
    person_create,
    person_reveal,
    person_update,
)
from wangge.regions.models import Household


class TagSerializer(serializers.ModelSerializer):
    class Meta:
        model = Tag
        fields = ["code", "name", "builtin", "sensitive"]


class PersonSerializer(serializers.ModelSerializer):
    """What a caller sees of a person: never the full ID number or phone, nor their sealed forms."""

    grid = serializers.IntegerField(source="household.grid_id", read_only=True, allow_null=True)
    address = serializers.CharField(source="household", read_only=True, allow_null=True)
    tags: "serializers.SlugRelatedField[Tag]" = serializers.SlugRelatedField(
        slug_field="code", many=True, read_only=True
    )

    class Meta:
        model = Person
        fields = [
            "id",
            "name",
            "id_type",
            "id_number_masked",
            "birth_date",
            "sex",
            "ethnicity",
            "phone_masked",
            "second_phone_masked",
            "residence_type",
            "household",
            "grid",
            "address",
            *Person.STANDING_FIELDS,
            "updated_at",
        ]


class PersonWriteSerializer(serializers.Serializer):
    """What a client sends to create a person; a PATCH sends only what changes."""

    name = serializers.CharField(max_length=50)
    id_type = serializers.ChoiceField(choices=IdType.choices, default=IdType.RESIDENT)
    id_number = serializers.CharField(max_length=40, write_only=True)
    phone = serializers.CharField(max_length=20, allow_blank=True, write_only=True, default="")
    ethnicity = serializers.CharField(max_length=20, allow_blank=True, default="")
    residence_type = serializers.ChoiceField(
        choices=Person.ResidenceType.choices, default=Person.ResidenceType.REGISTERED
    )
    relation = serializers.ChoiceField(
        choices=Person.Relation.choices, default=Person.Relation.HEAD
    )
    native_place = serializers.CharField(max_length=200, allow_blank=True, default="")
    note = serializers.CharField(max_length=500, allow_blank=True, default="")
    birth_date = serializers.DateField(
        allow_null=True, default=None, help_text="仅非18位证件 / only for IDs without a birth date"
    )
    sex = serializers.ChoiceField(choices=Sex.choices, allow_blank=True, default="")
    household = ScopedPrimaryKeyField(queryset=Household.objects.all())
    tags = serializers.SlugRelatedField(
        slug_field="code", queryset=Tag.objects.all(), many=True, required=False
    )


def _person_data(values: dict[str, Any]) -> PersonData:
    return PersonData(**{field.name: values[field.name] for field in fields(PersonData)})


def _current_values(person: Person) -> dict[str, Any]:
    """The person's facts for a PATCH to change a few; None keeps the stored ID number and phone."""
    return {
        "name": person.name,
        "id_type": person.id_type,
        "id_number": None,
        "phone": None,
        "ethnicity": person.ethnicity,
        "residence_type": person.residence_type,
        "relation": person.relation,
        "native_place": person.native_place,
        "note": person.note,
        "birth_date": person.birth_date,
        "sex": person.sex,
    }


class RevealSerializer(serializers.Serializer):
    field = serializers.ChoiceField(choices=REVEALABLE)
    reason = serializers.CharField(max_length=300, allow_blank=True, default="")

    def validate_reason(self, reason: str) -> str:
        if settings.WANGGE["REVEAL_REASON_REQUIRED"] and not reason.strip():
            raise serializers.ValidationError("请填写查看理由 / a reason is required")
        return reason.strip()


class RevealedSerializer(serializers.Serializer):
    field = serializers.CharField()
    value = serializers.CharField()


class TagViewSet(mixins.ListModelMixin, ApiViewSet):
    """人员标签: the codes that persons' `tags` use. A catalogue, not register data."""

    queryset = Tag.objects.all()
    serializer_class = TagSerializer
    pagination_class = None


class PersonViewSet(ScopedViewSet):
    """人员 in the caller's scope, ID numbers and phones masked; `reveal` shows one in full (audited)."""

    model = Person
    serializer_class = PersonSerializer
    select_related = ("household__building__compound",)
    searchable = True
    query_filters = (
        QueryFilter(
            "grid",
            ("household__grid", "household__grid__parent"),
            "网格编号（大网格含其小网格）/ grid id (a big grid includes its small grids)",
        ),
        QueryFilter("building", ("household__building",), "楼栋编号 / building id"),
        QueryFilter("household", ("household",), "户编号 / household id"),
        QueryFilter("tag", ("tags__code",), "标签代码 / tag code", str),
        QueryFilter("status", ("status",), "状态 / status", str, Person.Status.values),
    )

    def get_queryset(self) -> QuerySet:
        return super().get_queryset().prefetch_related("tags")

    @extend_schema(request=PersonWriteSerializer, responses={201: PersonSerializer})
    def create(self, request: Request) -> Response:
        given = self.given(PersonWriteSerializer)
        given.is_valid(raise_exception=True)
        values = given.validated_data
        person = person_create(
            by=api_user(request),
            household=values["household"],
            data=_person_data(values),
            tags=values.get("tags"),
            origin=Origin.from_request(request),
        )
        return Response(PersonSerializer(person).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=PersonWriteSerializer, responses=PersonSerializer)
    def partial_update(self, request: Request, pk: str | None = None) -> Response:
        person = self.get_object()
        given = self.given(PersonWriteSerializer, partial=True)
        given.is_valid(raise_exception=True)
        values = {**_current_values(person), **given.validated_data}
        person = person_update(
            by=api_user(request),
            person=person,
            data=_person_data(values),
            household=values.get("household"),
            tags=values.get("tags"),
            origin=Origin.from_request(request),
        )
        return Response(PersonSerializer(person).data)

    @extend_schema(request=RevealSerializer, responses=RevealedSerializer)
    @action(detail=True, methods=["post"])
    def reveal(self, request: Request, pk: str | None = None) -> Response:
        """The full ID number or phone of one person; every call is written to the audit log."""
        person = self.get_object()
        given = self.given(RevealSerializer)
        given.is_valid(raise_exception=True)
        value = person_reveal(
            by=api_user(request),
            person=person,
            origin=Origin.from_request(request),
            **given.validated_data,
        )
        response = Response({"field": given.validated_data["field"], "value": value})
        response["Cache-Control"] = "no-store"
        return response
