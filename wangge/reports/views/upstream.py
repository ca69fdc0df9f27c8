"""The upstream tables' pages (docs/reports.md "Enter once"): the street's command uploads the
district's templates, maps their cells, and fills one for a day from the approved communities;
every community reads what upstream received about it ("back down")."""

from datetime import date, timedelta
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.forms import Form
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from wangge.accounts.authority import areas_held
from wangge.accounts.http import SignedInRequest
from wangge.core.origin import Origin
from wangge.core.roles import Action
from wangge.core.shortcuts import xlsx_response
from wangge.regions.models import Street
from wangge.reports.filling import mapping as cells
from wangge.reports.filling.workbook import WorkbookError
from wangge.reports.forms import FillForm, MappingForm, TemplateForm
from wangge.reports.models import UpstreamFill
from wangge.reports.selectors.approvals import approval_rows
from wangge.reports.selectors.upstream import received_for, received_tables, templates_for
from wangge.reports.services.upstream import (
    template_create,
    template_limits,
    template_update,
    upstream_fill,
)


def _errors_to(form: Form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, problems in error.message_dict.items():
            form.add_error(field if field in form.fields else None, problems)
    else:
        form.add_error(None, error.messages)


@login_required
def templates(request: SignedInRequest) -> HttpResponse:
    streets = list(areas_held(request.user, Action.EDIT, Street).order_by("pk"))
    if not streets:  # a community's staff read what was sent about them
        return redirect("reports:received")
    form = TemplateForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            template = template_create(
                by=request.user,
                street=streets[0],
                name=form.cleaned_data["name"],
                recipient=form.cleaned_data["recipient"],
                file_name=upload.name,
                content=upload.read(),
                mapping=form.cleaned_data["mapping"],
                origin=Origin.from_request(request),
            )
        except ValidationError as error:
            _errors_to(form, error)
        else:
            messages.success(request, _("模板“%(name)s”已保存") % {"name": template.name})
            return redirect("reports:template", template.pk)
    context = {"form": form, "templates": templates_for(request.user), "street": streets[0]}
    return render(request, "reports/templates.html", context, status=422 if form.errors else 200)


@login_required
def template(request: SignedInRequest, pk: int) -> HttpResponse:
    chosen = get_object_or_404(templates_for(request.user), pk=pk)
    mapping_form = MappingForm(
        request.POST if "mapping" in request.POST else None,
        initial={"mapping": chosen.mapping, "active": chosen.active},
    )
    fill_form = FillForm(
        request.POST if "day" in request.POST else None,
        initial={"day": timezone.localdate() - timedelta(days=1)},
    )
    origin = Origin.from_request(request)
    try:
        if request.method == "POST" and mapping_form.is_bound and mapping_form.is_valid():
            template_update(
                by=request.user, template=chosen, origin=origin, **mapping_form.cleaned_data
            )
            messages.success(request, _("单元格对应已保存"))
            return redirect("reports:template", chosen.pk)
        if request.method == "POST" and fill_form.is_bound and fill_form.is_valid():
            fill = upstream_fill(
                by=request.user, template=chosen, day=fill_form.cleaned_data["day"], origin=origin
            )
            messages.success(request, _("已生成上报表 %(name)s") % {"name": fill.file_name})
            return redirect("reports:template", chosen.pk)
    except ValidationError as error:
        _errors_to(mapping_form if mapping_form.is_bound else fill_form, error)
    day: date = (
        fill_form.cleaned_data["day"]
        if fill_form.is_bound and fill_form.is_valid()
        else fill_form.initial["day"]
    )
    context: dict[str, Any] = {
        "template": chosen,
        "mapping_form": mapping_form,
        "fill_form": fill_form,
        "rows": _row_match(chosen),
        "approvals": approval_rows(request.user, day, chosen.street.communities.order_by("pk")),
        "day": day,
        "fills": chosen.fills.select_related("made_by")[:30],
    }
    return render(
        request,
        "reports/template.html",
        context,
        status=422 if mapping_form.errors or fill_form.errors else 200,
    )


def _row_match(chosen: Any) -> list[tuple[str, int | None]]:
    """Each community of the street with its row in the template (None: the template has none)."""
    try:
        names = cells.row_names(bytes(chosen.content), chosen.mapping, limits=template_limits())
    except WorkbookError:  # a name in two rows: the fill says so when asked
        names = {}
    return [(c.name, names.get(c.name)) for c in chosen.street.communities.order_by("pk")]


@login_required
def template_file(request: SignedInRequest, pk: int) -> HttpResponse:
    chosen = get_object_or_404(templates_for(request.user), pk=pk)
    return xlsx_response(bytes(chosen.content), chosen.file_name)


@login_required
def fill_file(request: SignedInRequest, pk: int) -> HttpResponse:
    fill = get_object_or_404(
        UpstreamFill.objects.filter(template__in=templates_for(request.user)), pk=pk
    )
    return xlsx_response(bytes(fill.content), fill.file_name)


@login_required
def received(request: SignedInRequest) -> HttpResponse:
    tables = received_tables(received_for(request.user))
    return render(request, "reports/received.html", {"tables": tables})
