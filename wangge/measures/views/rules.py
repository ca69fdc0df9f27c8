"""防控方案: the rule sets and their measure types, configured by an admin."""

from dataclasses import fields

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from wangge.accounts.http import SignedInRequest
from wangge.core.htmx import redirect_after_post
from wangge.measures.forms import MeasureTypeForm, RuleSetForm
from wangge.measures.models import MeasureType, RuleSet
from wangge.measures.services.rules import (
    MeasureTypeData,
    may_configure,
    measure_type_save,
    rule_set_create,
)

TYPE_FIELDS = [field.name for field in fields(MeasureTypeData)]


def _require(request: SignedInRequest) -> None:
    if not may_configure(request.user):
        raise PermissionDenied


@login_required
@require_http_methods(["GET", "POST"])
def rule_sets(request: SignedInRequest) -> HttpResponse:
    _require(request)
    form = RuleSetForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            rule_set = rule_set_create(by=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("已新增本地方案"))
            return redirect_after_post(request, reverse("measures:rule_set", args=[rule_set.pk]))
    context = {"rule_sets": RuleSet.objects.prefetch_related("measure_types"), "form": form}
    return render(request, "measures/rule_sets.html", context, status=422 if form.errors else 200)


@login_required
@require_http_methods(["GET", "POST"])
def rule_set(request: SignedInRequest, pk: int, type_pk: int | None = None) -> HttpResponse:
    """A rule set and its types; the form adds a type, or edits the one named in the URL."""
    _require(request)
    rule_set = get_object_or_404(RuleSet, pk=pk)
    editing = get_object_or_404(MeasureType, pk=type_pk, rule_set=rule_set) if type_pk else None
    initial = {name: getattr(editing, name) for name in TYPE_FIELDS} if editing else {}
    if editing:
        initial["test_days"] = ",".join(str(day) for day in editing.test_days)
        initial["checkin_times"] = ",".join(editing.checkin_times)
    form = MeasureTypeForm(request.POST or None, initial=initial, rule_set=rule_set)
    if request.method == "POST" and form.is_valid():
        data = MeasureTypeData(**{name: form.cleaned_data[name] for name in TYPE_FIELDS})
        try:
            measure_type_save(by=request.user, rule_set=rule_set, data=data, measure_type=editing)
        except ValidationError as error:
            form.add_error(None, error.messages)
        else:
            messages.success(request, _("已保存"))
            return redirect_after_post(request, reverse("measures:rule_set", args=[pk]))
    context = {
        "rule_set": rule_set,
        "types": rule_set.measure_types.select_related("follow_on"),
        "form": form,
        "editing": editing,
    }
    return render(request, "measures/rule_set.html", context, status=422 if form.errors else 200)
