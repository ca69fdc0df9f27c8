"""Persons: search, the person page, edit forms, status, residence verification and reveal.

Every person is looked up through `Person.objects.restrict(request.user, "view")` (404 outside
scope); writes go through `people.services`, which check `edit`/`reveal` again and audit.
"""

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from wangge.accounts.authority import user_can
from wangge.accounts.http import SignedInRequest
from wangge.core.decorators import register_required
from wangge.core.htmx import is_htmx, redirect_after_post
from wangge.core.origin import Origin
from wangge.core.replica import replica_view
from wangge.core.selectors import person_audit_trail
from wangge.core.shortcuts import get_visible_or_404
from wangge.people import services
from wangge.people.area_selectors import trail_for
from wangge.people.forms import PersonForm, RevealForm, StatusForm, add_service_errors
from wangge.people.models import Person
from wangge.regions.models import Household

SEARCH_LIMIT = 50


@register_required
@replica_view
def search(request: SignedInRequest) -> HttpResponse:
    """The search box: name, pinyin ("zs", "zhangsan"), ID or phone tail, address — in scope."""
    query = request.GET.get("q", "").strip()
    results: list[Person] = []
    if query:
        rows = (
            Person.objects.restrict(request.user)
            .search(query)
            .select_related("household__building__compound", "household__grid")
            .order_by("name_pinyin", "pk")
        )
        results = list(rows[: SEARCH_LIMIT + 1])
    return render(
        request,
        "people/search.html",
        {
            "query": query,
            "results": results[:SEARCH_LIMIT],
            "more": len(results) > SEARCH_LIMIT,
            "limit": SEARCH_LIMIT,
        },
    )


def _detail_context(request: HttpRequest, person: Person, **extra: Any) -> dict[str, Any]:
    user = request.user
    context = {
        "person": person,
        "history": person.status_changes.select_related("by")[:20],
        "rented": Household.objects.restrict(user)
        .filter(landlord=person)
        .select_related("building__compound"),
        "can_edit": user_can(user, "edit", person),
        "can_reveal": user_can(user, "reveal", person),
        "audit_trail": person_audit_trail(person) if user_can(user, "audit", person) else None,
        "status_form": StatusForm(initial={"status": person.status}),
        "reveal_forms": {field: RevealForm(prefix=field) for field in services.REVEALABLE},
        "revealed": {},
        "crumbs": trail_for(user, person),
    }
    context.update(extra)
    return context


def _person(request: HttpRequest, pk: int) -> Person:
    queryset = Person.objects.select_related(
        "household__building__compound",
        "household__grid__community__street",
        "household__grid__parent",
        "residence_verified_by",
    ).prefetch_related("tags")
    person = queryset.restrict(request.user).filter(pk=pk).first()
    if person is None:
        raise Http404
    return person


@register_required
def person_detail(request: SignedInRequest, pk: int) -> HttpResponse:
    person = _person(request, pk)
    return render(request, "people/person_detail.html", _detail_context(request, person))


def _person_form_page(
    request: HttpRequest, form: PersonForm, household: Household | None, person: Person | None
) -> HttpResponse:
    return render(
        request,
        "people/person_form.html",
        {
            "form": form,
            "household": household,
            "person": person,
            "crumbs": trail_for(request.user, person or household),
        },
        status=422 if form.is_bound and form.errors else 200,
    )


@register_required
def person_create(request: SignedInRequest, household_pk: int) -> HttpResponse:
    """Add a person to a household (户进人)."""
    household = get_visible_or_404(Household, request.user, household_pk)
    if not user_can(request.user, "edit", household):
        raise PermissionDenied
    form = PersonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            person = services.person_create(
                by=request.user,
                household=household,
                origin=Origin.from_request(request),
                **form.person_arguments(),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("已登记 %(name)s") % {"name": person.name})
            return redirect_after_post(request, reverse("people:person_detail", args=[person.pk]))
    return _person_form_page(request, form, household, None)


@register_required
def person_edit(request: SignedInRequest, pk: int) -> HttpResponse:
    person = _person(request, pk)
    if not user_can(request.user, "edit", person):
        raise PermissionDenied
    form = PersonForm(request.POST or None, person=person)
    if request.method == "POST" and form.is_valid():
        try:
            services.person_update(
                by=request.user,
                person=person,
                origin=Origin.from_request(request),
                **form.person_arguments(),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("已保存"))
            return redirect_after_post(request, reverse("people:person_detail", args=[pk]))
    return _person_form_page(request, form, person.household, person)


@register_required
@require_POST
def person_status(request: SignedInRequest, pk: int) -> HttpResponse:
    person = _person(request, pk)
    form = StatusForm(request.POST)
    if form.is_valid():
        try:
            services.person_set_status(
                by=request.user,
                person=person,
                status=form.cleaned_data["status"],
                note=form.cleaned_data["note"],
                origin=Origin.from_request(request),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("状态已更新"))
            return redirect("people:person_detail", pk)
    context = _detail_context(request, person, status_form=form)
    return render(request, "people/person_detail.html", context, status=422)


@register_required
@require_POST
def person_verify(request: SignedInRequest, pk: int) -> HttpResponse:
    """确认在住: the worker confirms that the person really lives here."""
    person = _person(request, pk)
    services.person_verify_residence(
        by=request.user, person=person, origin=Origin.from_request(request)
    )
    messages.success(request, _("已确认在住"))
    return redirect("people:person_detail", pk)


@never_cache
@register_required
@require_POST
def person_reveal(request: SignedInRequest, pk: int, field: str) -> HttpResponse:
    """Show one full ID number or phone (audited by the service); htmx swaps it into the page."""
    if field not in services.REVEALABLE:
        raise Http404
    person = _person(request, pk)
    if not user_can(request.user, "reveal", person):
        raise PermissionDenied
    form = RevealForm(request.POST, prefix=field)
    valid = form.is_valid()
    value = ""
    if valid:
        value = services.person_reveal(
            by=request.user,
            person=person,
            field=field,
            reason=form.cleaned_data["reason"],
            origin=Origin.from_request(request),
        )
    status = 200 if valid else 422
    if is_htmx(request):
        context = {
            "person": person,
            "field": field,
            "value": value,
            "masked": getattr(person, f"{field}_masked"),
            "can_reveal": True,
            "reveal_form": form,
        }
        return render(request, "people/_reveal.html", context, status=status)
    context = _detail_context(request, person, revealed={field: value} if valid else {})
    context["reveal_forms"][field] = form
    return render(request, "people/person_detail.html", context, status=status)
