"""The risk-area list: edits and spreadsheet imports, each kept in the area's history, and the
match of an origin against the list as it stood on given dates."""

import re
from dataclasses import asdict, dataclass
from datetime import date
from pathlib import Path
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q

from wangge.accounts.authority import user_can
from wangge.accounts.models import User
from wangge.core.identity import normalise_text
from wangge.core.services import audit_record
from wangge.core.spreadsheets import Row, TableError, read_table
from wangge.measures.models import RISK_RANK, RiskArea, RiskAreaChange, RiskLevel


@dataclass(frozen=True)
class AreaData:
    province: str
    level: str
    effective_from: date
    city: str = ""
    district: str = ""
    street: str = ""
    detail: str = ""
    division_code: str = ""
    effective_until: date | None = None
    source_note: str = ""


FIELDS = tuple(AreaData.__dataclass_fields__)


def _snapshot(area: RiskArea) -> dict[str, Any]:
    data = {name: getattr(area, name) for name in FIELDS}
    for name in ("effective_from", "effective_until"):
        data[name] = data[name].isoformat() if data[name] else None
    return data


def _require_editor(by: User) -> None:
    if not user_can(by, "import"):
        raise PermissionDenied("您无权维护风险地区 / you may not maintain the risk-area list")


def _validate(data: AreaData) -> AreaData:
    errors = {}
    if not normalise_text(data.province):
        errors["province"] = "请填写省份 / province is required"
    if data.level not in RiskLevel.values:
        errors["level"] = "风险等级应为高、中、低 / risk level must be high, medium or low"
    code = normalise_text(data.division_code)
    if code and not re.fullmatch(r"\d{2}|\d{4}|\d{6}|\d{9}|\d{12}", code):
        errors["division_code"] = (
            "区划代码应为2、4、6、9或12位数字 / division code must be 2–12 digits"
        )
    if data.effective_until and data.effective_until <= data.effective_from:
        errors["effective_until"] = "解除日期应晚于生效日期 / the end must come after the start"
    if errors:
        raise ValidationError(errors)
    cleaned = {name: getattr(data, name) for name in FIELDS}
    for name in ("province", "city", "district", "street", "detail", "source_note"):
        cleaned[name] = normalise_text(cleaned[name])
    cleaned["division_code"] = code
    return AreaData(**cleaned)


@transaction.atomic
def risk_area_create(*, by: User, data: AreaData, note: str = "") -> RiskArea:
    _require_editor(by)
    area = RiskArea.objects.create(**asdict(_validate(data)))
    RiskAreaChange.objects.create(
        area=area, action=RiskAreaChange.Action.CREATE, after=_snapshot(area), by=by, note=note
    )
    audit_record(actor=by, action="create", target=area, changes=_snapshot(area))
    return area


@transaction.atomic
def risk_area_update(*, by: User, area: RiskArea, data: AreaData, note: str = "") -> RiskArea:
    """Change an area (typically: set the date it stopped being high risk); the old values stay
    in its history."""
    _require_editor(by)
    area = RiskArea.objects.select_for_update().get(pk=area.pk)
    before = _snapshot(area)
    for name, value in asdict(_validate(data)).items():
        setattr(area, name, value)
    area.save()
    after = _snapshot(area)
    if after != before:
        RiskAreaChange.objects.create(
            area=area,
            action=RiskAreaChange.Action.UPDATE,
            before=before,
            after=after,
            by=by,
            note=note,
        )
        audit_record(
            actor=by, action="update", target=area, changes={"before": before, "after": after}
        )
    return area


HEADERS = {
    **dict.fromkeys(["省", "省份", "省(区、市)", "省（区、市）", "province"], "province"),
    **dict.fromkeys(["市", "城市", "地市", "地级市", "city"], "city"),
    **dict.fromkeys(
        ["区", "县", "区县", "区(县)", "区（县）", "县(市、区)", "district"], "district"
    ),
    **dict.fromkeys(
        ["街道", "乡镇", "街道/乡镇", "乡镇(街道)", "乡镇（街道）", "street"], "street"
    ),
    **dict.fromkeys(["具体范围", "具体地址", "范围", "区域", "风险区域", "detail"], "detail"),
    **dict.fromkeys(["区划代码", "行政区划代码", "代码", "division_code"], "division_code"),
    **dict.fromkeys(["风险等级", "等级", "风险级别", "level"], "level"),
    **dict.fromkeys(
        ["生效日期", "开始日期", "起始日期", "划定日期", "effective_from"], "effective_from"
    ),
    **dict.fromkeys(["解除日期", "截止日期", "结束日期", "effective_until"], "effective_until"),
    **dict.fromkeys(["来源", "备注", "依据", "source"], "source_note"),
}
LEVELS = {
    **dict.fromkeys(["高", "高风险", "高风险区", "高风险地区", "high"], RiskLevel.HIGH),
    **dict.fromkeys(["中", "中风险", "中风险区", "中风险地区", "medium"], RiskLevel.MEDIUM),
    **dict.fromkeys(["低", "低风险", "低风险区", "低风险地区", "low"], RiskLevel.LOW),
}
_DATE = re.compile(r"^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?(?:[ T]\d{1,2}:\d{2}(?::\d{2})?)?$")


def parse_date(text: str) -> date | None:
    """2022-06-28, 2022/6/28, 2022年6月28日, or a spreadsheet date; None when blank."""
    text = normalise_text(text)
    if not text:
        return None
    match = _DATE.match(text)
    if not match:
        raise ValueError(text)
    return date(*(int(part) for part in match.groups()))


def _row_data(row: Row) -> AreaData:
    values = row.values
    level = LEVELS.get(normalise_text(values.get("level", "")).lower())
    if level is None:
        raise ValidationError({"level": "风险等级应为高、中、低 / risk level must be 高, 中 or 低"})
    try:
        start = parse_date(values.get("effective_from", ""))
        until = parse_date(values.get("effective_until", ""))
    except ValueError as error:
        raise ValidationError(
            {"effective_from": f"无法识别的日期“{error}” / cannot read the date '{error}'"}
        ) from error
    if start is None:
        raise ValidationError({"effective_from": "缺少生效日期 / the start date is missing"})
    text = {name: values.get(name, "") for name in ("province", "city", "district", "street")}
    return _validate(
        AreaData(
            level=level,
            effective_from=start,
            effective_until=until,
            detail=values.get("detail", ""),
            division_code=values.get("division_code", ""),
            source_note=values.get("source_note", ""),
            **text,
        )
    )


@transaction.atomic
def risk_area_import(
    *, by: User, path: Path | str, original_name: str = ""
) -> tuple[int, int, list[str]]:
    """Import a list (.xlsx/.xls/.csv). All or nothing: any bad row → nothing written, every
    problem reported with its row and column. A row that matches an area already listed (same
    region, level and start) updates it — typically with the date the risk was lifted.
    Returns (created, updated, errors)."""
    _require_editor(by)
    try:
        table = read_table(path, HEADERS, original_name=original_name)
    except TableError as error:
        return 0, 0, [str(error)]
    missing = [name for name in ("province", "level", "effective_from") if not table.has(name)]
    if missing:
        return 0, 0, [f"缺少必填列 / required columns missing: {', '.join(missing)}"]
    parsed: list[AreaData] = []
    errors: list[str] = []
    for row in table.rows:
        try:
            parsed.append(_row_data(row))
        except ValidationError as error:
            for field, messages in error.message_dict.items():
                errors += [f"第{row.number}行 {field}：{message}" for message in messages]
    if errors:
        return 0, 0, errors
    created = updated = 0
    note = f"导入 {original_name}"[:200]
    for data in parsed:
        same = RiskArea.objects.filter(
            province=data.province,
            city=data.city,
            district=data.district,
            street=data.street,
            detail=data.detail,
            level=data.level,
            effective_from=data.effective_from,
        ).first()
        if same is None:
            area = RiskArea.objects.create(**asdict(data))
            RiskAreaChange.objects.create(
                area=area,
                action=RiskAreaChange.Action.IMPORT,
                after=_snapshot(area),
                by=by,
                note=note,
            )
            created += 1
        elif _snapshot(same) != _snapshot(RiskArea(**asdict(data))):
            before = _snapshot(same)
            for name, value in asdict(data).items():
                setattr(same, name, value)
            same.save()
            RiskAreaChange.objects.create(
                area=same,
                action=RiskAreaChange.Action.IMPORT,
                before=before,
                after=_snapshot(same),
                by=by,
                note=note,
            )
            updated += 1
    audit_record(
        actor=by,
        action="import",
        target_type="measures.riskarea",
        target_label=original_name[:200],
        changes={"created": created, "updated": updated},
    )
    return created, updated, []


@dataclass(frozen=True)
class Origin:
    province: str
    city: str = ""
    district: str = ""
    street: str = ""
    code: str = ""


def _code_prefix(code: str) -> str:
    """The significant part of a division code: 330100 → 3301, 330102001000 → 330102001."""
    code = normalise_text(code)
    if len(code) == 12 and code.endswith("000"):
        code = code[:9]
    if len(code) == 9 and code.endswith("000"):
        code = code[:6]
    while len(code) > 2 and len(code) <= 6 and code.endswith("00"):
        code = code[:-2]
    return code


def _same_name(a: str, b: str) -> bool:
    return a.startswith(b) or b.startswith(a)


def origin_matches(origin: Origin, area: RiskArea) -> bool:
    """An origin lies in (or may lie in) an area: one division code is a prefix of the other, or,
    by names, every level both name agrees (浙江 = 浙江省)."""
    if origin.code and area.division_code:
        mine, theirs = _code_prefix(origin.code), _code_prefix(area.division_code)
        return mine.startswith(theirs) or theirs.startswith(mine)
    pairs = (
        (origin.province, area.province),
        (origin.city, area.city),
        (origin.district, area.district),
        (origin.street, area.street),
    )
    if not (origin.province and area.province):
        return False
    return all(_same_name(mine, theirs) for mine, theirs in pairs if mine and theirs)


def risk_areas_for(origin: Origin, since: date, until: date) -> list[RiskArea]:
    """The areas matching `origin` that were designated at some time between the two dates
    (inclusive), highest level first."""
    candidates = RiskArea.objects.filter(effective_from__lte=until).filter(
        Q(effective_until__isnull=True) | Q(effective_until__gt=since)
    )
    found = [area for area in candidates if origin_matches(origin, area)]
    return sorted(
        found, key=lambda area: (-RISK_RANK[area.level], -area.effective_from.toordinal())
    )
