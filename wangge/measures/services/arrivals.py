"""返乡报备: a report by staff at a checkpoint or police post (or by the resident), the measure the
risk-area list proposes, and the staff's decision."""

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from django.apps import apps
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from wangge.accounts.authority import user_can
from wangge.accounts.models import User
from wangge.accounts.selectors import community_workers_of, grid_workers_of, users_by_id
from wangge.core import crypto
from wangge.core.identity import IdentityError, IdType, parse_id_number, parse_phone
from wangge.core.masking import mask_id_number, mask_phone
from wangge.core.origin import Origin as AuditOrigin
from wangge.core.roles import Action, Role
from wangge.core.services import audit_record, post_alert
from wangge.measures.models import ArrivalReport, MeasureType, RiskArea, RiskLevel
from wangge.measures.services.assign import measure_assign
from wangge.measures.services.common import (
    Team,
    rules,
)
from wangge.measures.services.risk_areas import Origin, risk_areas_for

TRIGGER: dict[str, str] = {
    RiskLevel.HIGH: MeasureType.AppliesTo.HIGH_RISK_AREA,
    RiskLevel.MEDIUM: MeasureType.AppliesTo.MEDIUM_RISK_AREA,
    RiskLevel.LOW: MeasureType.AppliesTo.LOW_RISK_AREA,
}
TEST_RESULTS = {"", *ArrivalReport.TestResult.values}


@dataclass(frozen=True)
class ArrivalData:
    name: str
    id_number: str
    origin: Origin
    departed_on: date
    arrived_at: datetime
    transport: str
    id_type: str = IdType.RESIDENT
    phone: str = ""
    route: str = ""
    transport_detail: str = ""
    test_result: str = ""
    test_on: date | None = None
    host_household: Any = None
    host_address: str = ""
    community: Any = None


def propose_measure(
    origin: Origin, departed_on: date, arrived_on: date
) -> tuple[RiskArea | None, MeasureType | None]:
    """Match the origin against the risk list as it stood in the days before departure
    (ARRIVAL_RISK_LOOKBACK_DAYS) and propose the type for that level from the rule sets in force
    on the arrival date, a local rule set before a national one."""
    since = departed_on - timedelta(days=rules()["ARRIVAL_RISK_LOOKBACK_DAYS"])
    areas = risk_areas_for(origin, since, departed_on)
    if not areas:
        return None, None
    area = areas[0]
    proposed = (
        MeasureType.objects.in_force(arrived_on)
        .filter(applies_to=TRIGGER[area.level])
        .order_by("rule_set__kind", "-rule_set__effective_from", "pk")
        .first()
    )
    return area, proposed


def _street_of(by: User) -> Any:
    assignments = apps.get_model("accounts", "RoleAssignment").objects.filter(user=by)
    streets = set()
    for street_id, community_street, grid_street in assignments.values_list(
        "street", "community__street", "grid__community__street"
    ):
        streets.add(street_id or community_street or grid_street)
    streets.discard(None)
    if len(streets) != 1:
        raise ValidationError({"street": "请选择街道 / choose the street"})
    return apps.get_model("regions", "Street").objects.get(pk=streets.pop())


def _recipients(report: ArrivalReport) -> list[Any]:
    ids: set[int] = set()
    if report.host_household is not None:
        grid_id = report.host_household.grid_id
        ids.update(grid_workers_of([grid_id]).get(grid_id, ()))
    if report.community_id:
        ids.update(community_workers_of([report.community_id]).get(report.community_id, ()))
    if not ids:
        assignments = apps.get_model("accounts", "RoleAssignment").objects
        ids = set(
            assignments.filter(role=Role.COMMANDER, street=report.street_id).values_list(
                "user", flat=True
            )
        )
    return list(users_by_id(ids).values())


def _check(data: ArrivalData, by: User) -> tuple[Any, str]:
    errors: dict[str, str] = {}
    identity = None
    phone = ""
    try:
        identity = parse_id_number(data.id_number, data.id_type)
    except IdentityError as error:
        errors["id_number"] = str(error)
    try:
        phone = parse_phone(data.phone) if data.phone.strip() else ""
    except IdentityError as error:
        errors["phone"] = str(error)
    if not data.name.strip():
        errors["name"] = "请填写姓名 / name is required"
    if not data.origin.province.strip():
        errors["origin_province"] = "请填写出发地省份 / the origin's province is required"
    if data.transport not in ArrivalReport.Transport.values:
        errors["transport"] = "请选择交通方式 / choose the means of transport"
    if data.test_result not in TEST_RESULTS:
        errors["test_result"] = "核酸结果应为阴性、阳性或未检测 / negative, positive or none"
    if data.arrived_at > timezone.now() + timedelta(minutes=5):
        errors["arrived_at"] = "抵达时间不能在未来 / arrival time in the future"
    elif data.departed_on > timezone.localdate(data.arrived_at):
        errors["departed_on"] = "离开日期晚于抵达日期 / departure after arrival"
    household = data.host_household
    if household is not None and by is not None and not user_can(by, Action.VIEW, household):
        errors["host_household"] = "无此户 / no such household"
    if errors:
        raise ValidationError(errors)
    return identity, phone


@transaction.atomic
def arrival_report_create(
    *,
    by: User,
    data: ArrivalData,
    street: Any = None,
    source: str = ArrivalReport.Source.STAFF,
    origin: AuditOrigin = AuditOrigin.SYSTEM,
) -> ArrivalReport:
    """Register an arrival; match the person by ID number and propose a measure. The
    responsible grid and community workers are alerted to confirm it."""
    if by is None and source != ArrivalReport.Source.RESIDENT:
        raise PermissionDenied("需要登录 / sign in first")
    identity, phone = _check(data, by)
    household = data.host_household
    community = household.grid.community if household is not None else data.community
    street = street or (community.street if community is not None else _street_of(by))
    if community is not None and community.street_id != street.pk:
        raise ValidationError({"community": "社区不属于该街道 / community outside the street"})
    arrived_on = timezone.localdate(data.arrived_at)
    area, proposed = propose_measure(data.origin, data.departed_on, arrived_on)
    number_hash = crypto.blind_index(identity.number)
    person_model = apps.get_model("people", "Person")
    report = ArrivalReport.objects.create(
        street=street,
        community=community,
        host_household=household,
        host_address=data.host_address.strip() or (str(household) if household else ""),
        person=person_model.objects.filter(
            id_type=identity.id_type, id_number_hash=number_hash
        ).first(),
        name=data.name.strip(),
        id_type=identity.id_type,
        id_number_sealed=crypto.seal(identity.number),
        id_number_hash=number_hash,
        id_number_masked=mask_id_number(identity.number),
        phone_sealed=crypto.seal(phone),
        phone_masked=mask_phone(phone),
        origin_province=data.origin.province.strip(),
        origin_city=data.origin.city.strip(),
        origin_district=data.origin.district.strip(),
        origin_street=data.origin.street.strip(),
        origin_code=data.origin.code.strip(),
        route=data.route.strip(),
        departed_on=data.departed_on,
        arrived_at=data.arrived_at,
        transport=data.transport,
        transport_detail=data.transport_detail.strip(),
        test_result=data.test_result,
        test_on=data.test_on,
        matched_area=area,
        proposed_type=proposed,
        source=source,
        reported_by=by,
    )
    audit_record(
        actor=by,
        action="create",
        target=report,
        changes={"origin": report.origin_label, "proposed": proposed.name if proposed else None},
        origin=origin,
    )
    suggestion = proposed.name if proposed else "无（未命中风险地区）"
    text = f"返乡报备：{report.name} 自{report.origin_label}返回，建议措施：{suggestion}"
    post_alert(
        _recipients(report), "arrival_report", text, reverse("measures:arrival", args=[report.pk])
    )
    return report


@transaction.atomic
def arrival_report_confirm(
    *,
    by: User,
    report: ArrivalReport,
    measure_type: MeasureType | None,
    reason: str = "",
    household: Any = None,
    start: date | None = None,
    team: Team | None = None,
    origin: AuditOrigin = AuditOrigin.SYSTEM,
) -> ArrivalReport:
    """Staff confirm the proposed measure or pick another (or none), with a reason when they
    depart from the proposal. A person not yet registered is registered in the host household."""
    from wangge.people.services import PersonData, person_create

    if not ArrivalReport.objects.restrict(by, Action.EDIT).filter(pk=report.pk).exists():
        raise PermissionDenied("您无权处理该报备 / you may not decide on this report")
    report = ArrivalReport.objects.select_for_update().get(pk=report.pk)
    if report.status != ArrivalReport.Status.PENDING:
        raise ValidationError("该报备已处理 / this report has been decided already")
    reason = (reason or "").strip()
    if measure_type != report.proposed_type and not reason:
        raise ValidationError(
            {"reason": "未采用建议措施，请说明理由 / say why you depart from the proposal"}
        )
    now = timezone.now()
    if measure_type is None:
        report.status = ArrivalReport.Status.NO_MEASURE
    else:
        person = report.person
        if person is None:
            household = household or report.host_household
            if household is None:
                raise ValidationError({"household": "请选择落脚户 / choose the host household"})
            person = person_create(
                by=by,
                household=household,
                data=PersonData(
                    name=report.name,
                    id_type=report.id_type,
                    id_number=crypto.unseal(report.id_number_sealed),
                    phone=crypto.unseal(report.phone_sealed),
                ),
                origin=origin,
            )
        why = f"返乡报备：自{report.origin_label}返回（{timezone.localtime(report.arrived_at):%m-%d}抵达）"
        (measure,) = measure_assign(
            by=by,
            persons=[person],
            measure_type=measure_type,
            start=start or timezone.localdate(report.arrived_at),
            reason=f"{why}；{reason}" if reason else why,
            team=team,
            origin=origin,
        )
        report.person = person
        report.measure = measure
        report.status = ArrivalReport.Status.CONFIRMED
    report.decision_reason = reason
    report.decided_by = by
    report.decided_at = now
    report.save()
    audit_record(
        actor=by,
        action="update",
        target=report,
        changes={
            "status": report.status,
            "measure_type": measure_type.name if measure_type else None,
            "proposed": report.proposed_type.name if report.proposed_type else None,
        },
        reason=reason,
        origin=origin,
    )
    return report
