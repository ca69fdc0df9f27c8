"""报名: the public sign-up page, for anyone without an account (a QR on a notice leads here). It
lists the teams that take sign-ups by community; the community confirms each sign-up."""

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from wangge.core.masking import mask_phone
from wangge.core.origin import Origin, client_address
from wangge.teams.forms import SignupForm
from wangge.teams.services import Signup, SignupLimited, member_signup, open_teams
from wangge.teams.views.common import refusal_add

SESSION_KEY = "team_signup"


@require_http_methods(["GET", "POST"])
def join(request: HttpRequest) -> HttpResponse:
    teams = open_teams()
    chosen = request.GET.get("team", "")
    form = SignupForm(
        request.POST or None,
        teams=teams,
        initial={"team": chosen} if chosen.isdigit() else None,
    )
    status = 200
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            member, _created = member_signup(
                team=data["team"],
                data=Signup(
                    name=data["name"],
                    phone=data["phone"],
                    skills=data["skills"],
                    availability=data["availability"],
                    note=data["note"],
                ),
                address=client_address(request),
                origin=Origin(
                    ip=client_address(request) or None, agent=Origin.from_request(request).agent
                ),
            )
        except SignupLimited as refused:
            form.add_error(None, str(refused))
            status = 429
        except ValidationError as error:
            refusal_add(form, error)
        else:
            request.session[SESSION_KEY] = {
                "team": str(member.team),
                "status": member.get_status_display(),
                "phone": mask_phone(member.phone) if member.phone_sealed else "",
            }
            return redirect("teams:join_thanks")
    if form.errors and status == 200:
        status = 422
    return render(request, "teams/join.html", {"form": form, "teams": teams}, status=status)


@require_GET
def join_thanks(request: HttpRequest) -> HttpResponse:
    signed = request.session.get(SESSION_KEY)
    if not signed:
        return redirect("teams:join")
    return render(request, "teams/join_thanks.html", {"signed": signed})
