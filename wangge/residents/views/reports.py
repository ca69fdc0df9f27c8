"""The resident's reports for a member of their household: 返乡报备, 打卡 under a measure and
抗原自测. Each member is resolved through the account (another household's id is 404); the
writes are the residents' services, which go through the measures capability's own."""

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from wangge.core.origin import Origin
from wangge.measures.forms import CheckInForm
from wangge.measures.models import PersonMeasure
from wangge.measures.services import ClientIdConflict, new_client_id
from wangge.measures.services.risk_areas import Origin as Place
from wangge.residents import report_selectors, selectors, services
from wangge.residents.auth import account_of, resident_required
from wangge.residents.forms import ArrivalForm, SelfTestForm, form_errors_add
from wangge.residents.models import ArrivalFiling, SelfTest
from wangge.residents.services.reports import active_measure, reading


@require_http_methods(["GET"])
@resident_required
def checkins(request: HttpRequest) -> HttpResponse:
    account = request.resident  # type: ignore[attr-defined]
    rows = report_selectors.checkins_today(account)
    return render(request, "residents/reports/checkins.html", {"rows": rows})


@require_http_methods(["GET", "POST"])
@resident_required
def checkin(request: HttpRequest, person_id: int) -> HttpResponse:
    """One member's check-in: the form the signed link shows, through the same service."""
    account = request.resident  # type: ignore[attr-defined]
    person = selectors.member_or_404(account, person_id)
    measure = active_measure(person)
    form = CheckInForm(request.POST or None, initial={"client_id": new_client_id()})
    done = None
    if request.method == "POST" and measure is not None and form.is_valid():
        data = form.cleaned_data
        try:
            done, _created = services.checkin_file(
                account=account, person=person, origin=Origin.from_request(request), **reading(data)
            )
        except ClientIdConflict as conflict:
            form.refuse_client_id(conflict)
        except ValidationError as error:
            form_errors_add(form, error)
    rows = [row for row in report_selectors.checkins_today(account) if row.person.pk == person.pk]
    context = {
        "form": form,
        "done": done,
        "person": person,
        "measure": measure,
        "row": rows[0] if rows else None,
    }
    return render(
        request, "residents/reports/checkin.html", context, status=422 if form.errors else 200
    )


def portal_checkin_page(request: HttpRequest, measure: PersonMeasure) -> str | None:
    """The portal's check-in page for the signed link's measure, when the visitor is signed in to
    the portal with the household of the measure's person (registered with measures at start-up)."""
    account = account_of(request)
    if account is None or account.household_id is None:
        return None
    if measure.person.household_id != account.household_id:
        return None
    return reverse("residents:checkin", args=[measure.person_id])


@require_http_methods(["GET", "POST"])
@resident_required
def arrival(request: HttpRequest) -> HttpResponse:
    account = request.resident  # type: ignore[attr-defined]
    form = ArrivalForm(request.POST or None, members=selectors.members(account))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.arrival_file(
                account=account,
                person=data["person"],
                data=services.ArrivalInput(
                    origin=Place(
                        province=data["origin_province"],
                        city=data["origin_city"],
                        district=data["origin_district"],
                        street=data["origin_street"],
                    ),
                    departed_on=data["departed_on"],
                    arrived_at=data["arrived_at"],
                    transport=data["transport"],
                    transport_detail=data["transport_detail"],
                    test_result=data["test_result"],
                    test_on=data["test_on"],
                ),
                origin=Origin.from_request(request),
            )
            return HttpResponseRedirect(reverse("residents:arrival") + "?done=1")
        except ValidationError as error:
            form_errors_add(form, error)
    filings = ArrivalFiling.objects.filter(person__in=selectors.members(account)).select_related(
        "person", "report__proposed_type"
    )
    context = {"form": form, "filings": filings[:10], "done": request.GET.get("done") == "1"}
    return render(
        request, "residents/reports/arrival.html", context, status=422 if form.errors else 200
    )


@require_http_methods(["GET", "POST"])
@resident_required
def self_test(request: HttpRequest) -> HttpResponse:
    account = request.resident  # type: ignore[attr-defined]
    form = SelfTestForm(
        request.POST or None,
        request.FILES or None,
        members=selectors.members(account),
        initial={"client_id": new_client_id()},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.self_test_record(
                account=account,
                person=data["person"],
                data=services.SelfTestInput(
                    client_id=data["client_id"],
                    result=data["result"],
                    photo=data["photo"],
                    tested_at=data["tested_at"],
                ),
                origin=Origin.from_request(request),
            )
            return HttpResponseRedirect(reverse("residents:self_test") + "?done=1")
        except ValidationError as error:
            form_errors_add(form, error)
    tests = SelfTest.objects.filter(person__in=selectors.members(account)).select_related("person")
    context = {"form": form, "tests": tests[:10], "done": request.GET.get("done") == "1"}
    return render(
        request, "residents/reports/self_test.html", context, status=422 if form.errors else 200
    )
