"""The district's upstream tables (一表通, docs/reports.md "Enter once"): the street's command keeps
templates (the district's .xlsx and the mapping of its cells to figures) and fills one for a day
from the approved communities only; each fill keeps exactly what it told upstream about every
community, for the community to see ("back down")."""

import tempfile
from datetime import date
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from wangge.accounts.authority import holds
from wangge.accounts.models import User
from wangge.core.origin import Origin
from wangge.core.roles import Action
from wangge.core.services import audit_record
from wangge.core.sheet_process import TableError, read_sheets
from wangge.regions.models import Street
from wangge.reports.catalogue import figure_groups
from wangge.reports.filling import mapping as cells
from wangge.reports.filling import workbook
from wangge.reports.models import (
    Approval,
    AreaFigures,
    Level,
    UpstreamFill,
    UpstreamFillArea,
    UpstreamTemplate,
)

KIND = "upstream_template"


def template_limits() -> workbook.PackageLimits:
    return workbook.limits_from(settings.WANGGE["REPORT_TEMPLATE_LIMITS"])


def figure_keys() -> set[str]:
    return {key for _label, items in figure_groups() for key, _name in items}


def may_manage(user: User, street: Street) -> bool:
    """The street's command keeps the templates and sends the tables upward."""
    return holds(user, Action.EDIT, street)


def template_read(content: bytes) -> workbook.TemplateInfo:
    """What the template holds, or ValidationError: the file is first parsed in a child process
    with the upload limits (core.sheet_process), so that a hostile file fails there, and only a
    file that passed is opened here to learn its sheets, formulas and merged cells."""
    with tempfile.NamedTemporaryFile(suffix=".xlsx") as upload:
        upload.write(content)
        upload.flush()
        try:
            for _sheet in read_sheets(upload.name, first_only=False, kind=KIND):
                pass
        except TableError as error:
            raise ValidationError({"file": [str(error)]}) from error
    try:
        return workbook.inspect(content, limits=template_limits())
    except workbook.WorkbookError as error:
        raise ValidationError({"file": [str(error)]}) from error


def _checked(mapping: Any, info: workbook.TemplateInfo) -> dict[str, Any]:
    problems = cells.check_mapping(mapping, info, figure_keys())
    if problems:
        raise ValidationError({"mapping": problems})
    return mapping


@transaction.atomic
def template_create(
    *,
    by: User,
    street: Street,
    name: str,
    recipient: str,
    file_name: str,
    content: bytes,
    mapping: Any,
    origin: Origin = Origin.SYSTEM,
) -> UpstreamTemplate:
    if not may_manage(by, street):
        raise PermissionDenied
    limit = settings.WANGGE["UPLOAD_MAX_BYTES"][KIND]
    if len(content) > limit:
        raise ValidationError(
            {
                "file": [
                    _("模板文件不能超过 %(mb)s MB / the template may not exceed %(mb)s MB")
                    % {"mb": limit // 1024**2}
                ]
            }
        )
    name = name.strip()
    if UpstreamTemplate.objects.filter(street=street, name=name).exists():
        raise ValidationError({"name": [_("已有同名模板 / a template of this name exists")]})
    info = template_read(content)
    template = UpstreamTemplate.objects.create(
        street=street,
        name=name,
        recipient=recipient.strip(),
        file_name=file_name,
        content=content,
        mapping=_checked(mapping, info),
        created_at=timezone.now(),
        created_by=by,
    )
    audit_record(
        actor=by,
        action="template_create",
        target=template,
        changes={"name": name, "file": file_name},
        origin=origin,
    )
    return template


@transaction.atomic
def template_update(
    *,
    by: User,
    template: UpstreamTemplate,
    mapping: Any,
    active: bool,
    origin: Origin = Origin.SYSTEM,
) -> UpstreamTemplate:
    """A new mapping (checked against the template again) and whether the template is in use."""
    if not may_manage(by, template.street):
        raise PermissionDenied
    template.mapping = _checked(mapping, template_read(bytes(template.content)))
    template.active = active
    template.save(update_fields=["mapping", "active"])
    audit_record(
        actor=by,
        action="template_update",
        target=template,
        changes={"mapping": mapping, "active": active},
        origin=origin,
    )
    return template


@transaction.atomic
def upstream_fill(
    *, by: User, template: UpstreamTemplate, day: date, origin: Origin = Origin.SYSTEM
) -> UpstreamFill:
    """Fill the template with the figures of `day` of the communities that approved them and keep
    the table with what it said about each; a community not approved gets empty cells, and the
    street's own cells are filled only when every community has approved."""
    street = template.street
    if not may_manage(by, street):
        raise PermissionDenied
    if not template.active:
        raise ValidationError(_("模板已停用 / the template is not in use"))
    approvals = {
        a.community_id: a
        for a in Approval.objects.filter(community__street=street, day=day).select_related(
            "community"
        )
    }
    if not approvals:
        raise ValidationError(
            _("%(day)s 没有已审批的社区，不能上报 / no community has approved %(day)s yet")
            % {"day": day.isoformat()}
        )
    rows = dict(
        AreaFigures.objects.filter(
            day=day, level=Level.COMMUNITY, area_id__in=list(approvals)
        ).values_list("area_id", "figures")
    )
    everyone = street.communities.count() == len(approvals)
    street_row = AreaFigures.objects.filter(day=day, level=Level.STREET, area_id=street.pk).first()
    content = bytes(template.content)
    limits = template_limits()
    now = timezone.now()
    try:
        names = cells.row_names(content, template.mapping, limits=limits)
        values = cells.plan(
            template.mapping,
            names,
            street=street.name,
            day=day,
            made_at=now,
            community_figures={approvals[pk].community.name: f for pk, f in rows.items()},
            street_figures=street_row.figures if everyone and street_row else None,
        )
        filled = workbook.fill(content, values, limits=limits)
    except workbook.WorkbookError as error:
        raise ValidationError(str(error)) from error
    fill = UpstreamFill.objects.create(
        template=template,
        day=day,
        content=filled,
        file_name=f"{template.name}_{day:%Y%m%d}.xlsx",
        street_filled=everyone,
        made_at=now,
        made_by=by,
    )
    keys = cells.row_keys(template.mapping)
    UpstreamFillArea.objects.bulk_create(
        UpstreamFillArea(
            fill=fill,
            community_id=pk,
            figures={key: figures.get(key, 0) for key in keys},
            approved_at=approvals[pk].approved_at,
        )
        for pk, figures in rows.items()
        if approvals[pk].community.name in names
    )
    audit_record(
        actor=by,
        action="upstream_fill",
        target=fill,
        changes={"template": template.name, "day": day.isoformat(), "communities": len(rows)},
        origin=origin,
    )
    return fill
