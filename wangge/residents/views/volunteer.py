"""报名志愿者 in the portal: a resident signs up themself or a member of their household to a team
of their street that takes sign-ups (the member's person is linked), and sees the household's
sign-ups and where they stand. Another household's member is 404; the sign-up is the teams'
service, which the community confirms."""

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from wangge.core import crypto
from wangge.core.origin import Origin, client_address
from wangge.residents import selectors
from wangge.residents.auth import resident_required
from wangge.residents.forms import VolunteerForm, form_errors_add
from wangge.residents.models import Account
from wangge.teams.models import Member, MemberSource
from wangge.teams.services import Signup, SignupLimited, member_signup, open_teams


def _teams(account: Account) -> object:
    household = account.household
    if household is None:
        return open_teams().none()
    community = household.grid.community
    return open_teams().filter(
        Q(community=community.pk) | Q(community__isnull=True, street=community.street_id)
    )


@require_http_methods(["GET", "POST"])
@resident_required
def volunteer(request: HttpRequest) -> HttpResponse:
    account = request.resident  # type: ignore[attr-defined]
    members = selectors.members(account)
    if request.method == "POST" and request.POST.get("person", "").isdigit():
        selectors.member_or_404(account, int(request.POST["person"]))
    form = VolunteerForm(request.POST or None, members=members, teams=_teams(account))
    status = 200
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        person = data["person"]
        phone = data["phone"] or (person.phone if person.phone_sealed else "")
        phone = phone or crypto.unseal(account.phone_sealed)
        try:
            member_signup(
                team=data["team"],
                data=Signup(
                    name=person.name,
                    phone=phone,
                    skills=data["skills"],
                    availability=data["availability"],
                    note=data["note"],
                ),
                person=person,
                source=MemberSource.RESIDENT,
                address=client_address(request),
                actor_label=f"居民 {account.phone_masked}",
                origin=Origin.from_request(request),
            )
        except SignupLimited as refused:
            form.add_error(None, str(refused))
            status = 429
        except ValidationError as error:
            form_errors_add(form, error)
        else:
            return redirect("residents:volunteer")
    if form.errors and status == 200:
        status = 422
    signups = (
        Member.objects.filter(person__in=members.values("pk"))
        .select_related("team", "person")
        .order_by("-joined_at")
    )
    context = {"form": form, "signups": signups, "household": account.household}
    return render(request, "residents/volunteer.html", context, status=status)
