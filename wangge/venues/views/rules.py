"""规则设置: the street's card rules (dated) and disinfection requirements, for staff who edit the
street's register; the services decide who may."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from wangge.accounts.http import SignedInRequest
from wangge.core.origin import Origin
from wangge.venues.forms import CardRulesForm, DisinfectionRuleForm
from wangge.venues.models import CardRules, DisinfectionRule
from wangge.venues.services.cards import REPEAT_DAYS, YELLOW_DAYS, rules_on
from wangge.venues.services.rules import (
    card_rules_set,
    disinfection_rule_save,
    streets_ruled_by,
)


def _save(request: SignedInRequest, streets: list) -> Any:
    """The posted form, saved through its service; the form with its errors when it is not."""
    form_class = CardRulesForm if request.POST.get("op") == "card" else DisinfectionRuleForm
    form = form_class(request.POST, streets=streets)
    if form.is_valid():
        values = dict(form.cleaned_data)
        street = next(s for s in streets if s.pk == values.pop("street"))
        common = {"by": request.user, "street": street, "origin": Origin.from_request(request)}
        try:
            if form_class is CardRulesForm:
                card_rules_set(**common, **values)
            else:
                disinfection_rule_save(**common, **values)
        except ValidationError as error:
            for field, errors in error.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
            return form
        messages.success(request, _("已保存"))
        return None
    return form


@login_required
@require_http_methods(["GET", "POST"])
def rules(request: SignedInRequest) -> HttpResponse:
    streets = streets_ruled_by(request.user)
    if not streets:
        raise PermissionDenied
    today = timezone.localdate()
    card_form = CardRulesForm(
        streets=streets,
        initial={"valid_from": today, "yellow_days": YELLOW_DAYS, "repeat_days": REPEAT_DAYS},
    )
    rule_form = DisinfectionRuleForm(
        streets=streets, initial={"times_per_day": 2, "alert_hour": 18, "active": True}
    )
    if request.method == "POST":
        failed = _save(request, streets)
        if failed is None:
            return redirect("venues:rules")
        if isinstance(failed, CardRulesForm):
            card_form = failed
        else:
            rule_form = failed
    context = {
        "streets": [
            {
                "street": street,
                "in_force": rules_on(street.pk, today),
                "card_rules": CardRules.objects.filter(street=street).select_related("created_by"),
                "disinfection_rules": DisinfectionRule.objects.filter(street=street),
            }
            for street in streets
        ],
        "today": today,
        "card_form": card_form,
        "rule_form": rule_form,
    }
    status = 422 if card_form.errors or rule_form.errors else 200
    return render(request, "venues/rules.html", context, status=status)
