"""小区码 on the resident's phone: each member's code full-screen with the state a checkpoint
judges, its age and a running clock; the state refreshes every 60 s from `code_state`. Both are
served no-store: a cached page would show an old state as if it were live.

The QR carries the same payload as the printed card (`tokens.payload` of the active code), drawn
at a phone's size: 9 px a module, 261 px for the 29 modules of a code with its border."""

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from wangge.checkpoints import tokens
from wangge.checkpoints.models import PersonalCode
from wangge.core.origin import Origin
from wangge.residents import selectors
from wangge.residents.auth import resident_required
from wangge.residents.code_state import code_state
from wangge.residents.services.code import member_code_ensure

QR_SCALE = 9


@require_GET
@never_cache
@resident_required
def code_entry(request: HttpRequest) -> HttpResponse:
    """The account's own person's code, else the first member's; a notice without a household."""
    account = request.resident  # type: ignore[attr-defined]
    members = list(selectors.members(account))
    if not members:
        return render(request, "residents/code.html", {"members": []})
    own = next((person for person in members if person.pk == account.person_id), members[0])
    return HttpResponseRedirect(reverse("residents:code", args=[own.pk]))


@require_GET
@never_cache
@resident_required
def code(request: HttpRequest, person_id: int) -> HttpResponse:
    account = request.resident  # type: ignore[attr-defined]
    person = selectors.member_or_404(account, person_id)
    member_code_ensure(account=account, person=person, origin=Origin.from_request(request))
    active = PersonalCode.objects.filter(person=person, revoked_at__isnull=True).first()
    payload = tokens.payload(tokens.PERSON, active.token_sealed) if active is not None else ""
    context = {
        "person": person,
        "members": selectors.members(account),
        "qr": tokens.qr_svg(payload, QR_SCALE) if payload else "",
        "place": person.household.building if person.household else "",
        "state": code_state(person, timezone.now()),
        "own_payload": "" if selectors.acting_for(account, person) else payload,
        "time_zone": settings.TIME_ZONE,
    }
    return render(request, "residents/code.html", context)


@require_GET
@never_cache
@resident_required
def code_state_json(request: HttpRequest, person_id: int) -> JsonResponse:
    person = selectors.member_or_404(request.resident, person_id)  # type: ignore[attr-defined]
    return JsonResponse(code_state(person, timezone.now()))
