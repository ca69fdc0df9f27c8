"""小区码 cards and 出入证 passes: issue them for a building, print them, reissue or revoke one."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from wangge.accounts.authority import user_can
from wangge.accounts.http import SignedInRequest
from wangge.checkpoints import tokens
from wangge.checkpoints.forms import PassIssueForm, ReasonForm
from wangge.checkpoints.models import Pass
from wangge.checkpoints.services import (
    pass_revoke,
    passes_issue,
    personal_code_reissue,
    personal_codes_issue,
)
from wangge.checkpoints.views.common import error_text
from wangge.core.decorators import register_required
from wangge.core.origin import Origin
from wangge.core.roles import Action
from wangge.people.models import Person, PersonQuerySet
from wangge.regions.models import Building, Household


def _people_of(request: SignedInRequest, building: Building) -> PersonQuerySet:
    return (
        Person.objects.restrict(request.user, Action.VIEW)
        .filter(household__building=building)
        .exclude(status__in=[Person.Status.MOVED_OUT, Person.Status.DECEASED])
        .select_related("household", "personal_code")
        .order_by("household__unit_key", "household__room_key", "pk")
    )


@register_required
def codes_index(request: SignedInRequest) -> HttpResponse:
    """Buildings of the user's area, with how many residents hold a personal code."""
    buildings = (
        Building.objects.restrict(request.user, Action.VIEW)
        .select_related("compound")
        .annotate(
            persons=Count("households__members", distinct=True),
            coded=Count(
                "households__members",
                filter=Q(households__members__personal_code__revoked_at__isnull=True)
                & Q(households__members__personal_code__isnull=False),
                distinct=True,
            ),
        )
        .order_by("compound__name", "sort_key", "pk")
    )
    return render(request, "checkpoints/codes_index.html", {"buildings": buildings})


@register_required
@require_http_methods(["GET", "POST"])
def codes_building(request: SignedInRequest, pk: int) -> HttpResponse:
    """The cards of a building's residents, ready to print; issue the missing ones first."""
    building = get_object_or_404(
        Building.objects.restrict(request.user, Action.VIEW).select_related("compound"), pk=pk
    )
    persons = _people_of(request, building)
    if request.method == "POST":
        missing = [p for p in persons if not hasattr(p, "personal_code")]
        try:
            issued = personal_codes_issue(
                by=request.user, persons=missing, origin=Origin.from_request(request)
            )
        except ValidationError as error:
            messages.error(request, error_text(error))
        else:
            messages.success(request, f"已为{issued}人发放小区码")
        return redirect("checkpoints:codes_building", building.pk)
    cards: list[tuple[Person, str]] = []
    uncoded = 0
    for person in persons:
        code = getattr(person, "personal_code", None)
        if code is None or not code.active:
            uncoded += 1
            continue
        cards.append((person, tokens.qr_svg(tokens.payload(tokens.PERSON, code.token_sealed), 4)))
    context = {
        "building": building,
        "cards": cards,
        "missing": uncoded,
        "may_edit": user_can(request.user, Action.EDIT, building),
        "crumbs": [("小区码", reverse("checkpoints:codes")), (str(building), "")],
    }
    return render(request, "checkpoints/codes_building.html", context)


@register_required
@require_POST
def code_reissue(request: SignedInRequest, pk: int) -> HttpResponse:
    """A lost card: a new code, the old one stops working."""
    person = get_object_or_404(Person.objects.restrict(request.user, Action.VIEW), pk=pk)
    code = personal_code_reissue(
        by=request.user,
        person=person,
        reason=request.POST.get("reason", ""),
        origin=Origin.from_request(request),
    )
    messages.success(request, f"已为 {person.name} 重新发码（第{code.version}版），旧码作废")
    return redirect("checkpoints:codes_building", person.household.building_id)


@register_required
@require_http_methods(["GET", "POST"])
def passes(request: SignedInRequest) -> HttpResponse:
    """出入证: the passes of the user's area, and issuing them building by building."""
    form = PassIssueForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        values = dict(form.cleaned_data)
        building = values.pop("building")
        households = Household.objects.restrict(request.user, Action.EDIT).filter(building=building)
        try:
            cards = passes_issue(
                by=request.user,
                households=households,
                origin=Origin.from_request(request),
                **values,
            )
        except ValidationError as error:
            form.add_error(None, error_text(error))
        else:
            messages.success(request, f"已为{building}的{len(cards)}户发放出入证")
            return redirect("checkpoints:passes_print", building.pk)
    listed = (
        Pass.objects.restrict(request.user, Action.VIEW)
        .filter(revoked_at__isnull=True)
        .select_related("household__building__compound")
        .order_by(
            "household__building__compound__name", "household__building__name", "household__room"
        )
    )
    context = {
        "form": form,
        "passes": listed[:500],
        "may_issue": user_can(request.user, Action.EDIT),
        "today": timezone.localdate(),
    }
    return render(request, "checkpoints/passes.html", context, status=422 if form.errors else 200)


@register_required
def passes_print(request: SignedInRequest, pk: int) -> HttpResponse:
    building = get_object_or_404(
        Building.objects.restrict(request.user, Action.VIEW).select_related("compound"), pk=pk
    )
    cards = [
        (card, tokens.qr_svg(tokens.payload(tokens.PASS, card.token_sealed), 4))
        for card in Pass.objects.restrict(request.user, Action.VIEW)
        .filter(household__building=building, revoked_at__isnull=True)
        .select_related("household__building__compound")
        .order_by("household__unit_key", "household__room_key", "pk")
    ]
    context = {
        "building": building,
        "cards": cards,
        "crumbs": [("出入证", reverse("checkpoints:passes")), (str(building), "")],
    }
    return render(request, "checkpoints/passes_print.html", context)


@register_required
@require_POST
def pass_revoke_view(request: SignedInRequest, pk: int) -> HttpResponse:
    card = get_object_or_404(Pass.objects.restrict(request.user, Action.VIEW), pk=pk)
    form = ReasonForm(request.POST)
    if not form.is_valid():
        messages.error(request, "请填写作废原因 / give a reason")
        return redirect("checkpoints:passes")
    pass_revoke(
        by=request.user,
        card=card,
        reason=form.cleaned_data["reason"],
        origin=Origin.from_request(request),
    )
    messages.success(request, f"已作废 {card.household} 的出入证")
    return redirect("checkpoints:passes")
