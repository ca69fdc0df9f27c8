"""Events: the list with the street's three rates, raising one, its page, handling, playbooks."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from wangge.accounts.http import SignedInRequest
from wangge.command.forms import EventActionForm, EventForm, HandOverForm
from wangge.command.models import Event, Playbook, PlaybookRun, TaskAssignment
from wangge.command.reports import event_rates
from wangge.command.services.events import (
    EVENT_TRANSITIONS,
    event_hand_over,
    event_raise,
    event_transition,
    may_handle,
)
from wangge.command.services.playbooks import may_run, playbook_instantiate
from wangge.command.views.common import error_text, form_error
from wangge.core.htmx import redirect_after_post
from wangge.core.origin import Origin


def _events(request: HttpRequest) -> QuerySet:
    return Event.objects.restrict(request.user).select_related(
        "kind",
        "community",
        "grid",
        "owner_street",
        "owner_community",
        "owner_grid",
        "owner_department",
    )


@login_required
def event_index(request: SignedInRequest) -> HttpResponse:
    events = _events(request)
    status = request.GET.get("status", "")
    listed = events.filter(status=status) if status in Event.Status.values else events
    page = Paginator(listed, 30).get_page(request.GET.get("page"))
    return render(
        request,
        "command/events.html",
        {
            "page": page,
            "events": page.object_list,
            "status": status,
            "statuses": Event.Status.choices,
            "by_community": event_rates(events, "community"),
            "by_grid": event_rates(events, "grid"),
        },
    )


@login_required
def event_create(request: SignedInRequest) -> HttpResponse:
    form = EventForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            event = event_raise(
                kind=data["kind"].code,
                title=data["title"],
                description=data["description"],
                source=data["source"],
                persons=data["person_query"],
                grid=data["grid"],
                reporter_name=data["reporter_name"],
                reporter_phone=data["reporter_phone"],
                by=request.user,
                origin=Origin.from_request(request),
            )
        except (ValidationError, PermissionDenied) as error:
            form_error(form, error)
        else:
            messages.success(request, f"已登记事件：{event.title}")
            return redirect_after_post(request, reverse("command:event_detail", args=[event.pk]))
    status = 422 if request.method == "POST" else 200
    return render(request, "command/event_form.html", {"form": form}, status=status)


@login_required
def event_detail(request: SignedInRequest, pk: int) -> HttpResponse:
    event = get_object_or_404(
        _events(request).select_related("household", "building", "street"), pk=pk
    )
    handles = may_handle(request.user, event)
    actions = [a for a, (sources, _target) in EVENT_TRANSITIONS.items() if event.status in sources]
    return render(
        request,
        "command/event_detail.html",
        {
            "event": event,
            "may_handle": handles,
            "actions": actions if handles else [],
            "action_form": EventActionForm(),
            "handover_form": HandOverForm(event=event) if handles else None,
            "playbooks": Playbook.objects.filter(event_kind=event.kind, active=True)
            if may_run(request.user, event)
            else [],
            "runs": event.runs.select_related("playbook"),
            "tasks": event.tasks.select_related("kind").order_by("issued_at"),
            "log": event.log.select_related("by"),
            "persons": event.persons.all(),
        },
    )


@login_required
@require_POST
def event_action(request: SignedInRequest, pk: int, action: str) -> HttpResponse:
    event = get_object_or_404(_events(request), pk=pk)
    form = EventActionForm(request.POST)
    form.is_valid()
    data = form.cleaned_data
    try:
        event_transition(
            event=event,
            action=action,
            by=request.user,
            note=data.get("note", ""),
            satisfaction=data.get("satisfaction", ""),
            origin=Origin.from_request(request),
        )
    except (ValidationError, PermissionDenied) as error:
        messages.error(request, error_text(error))
    return redirect_after_post(request, reverse("command:event_detail", args=[pk]))


@login_required
@require_POST
def event_handover(request: SignedInRequest, pk: int) -> HttpResponse:
    event = get_object_or_404(_events(request), pk=pk)
    form = HandOverForm(request.POST, event=event)
    if form.is_valid():
        try:
            event_hand_over(
                event=event,
                to=form.target_unit(),
                by=request.user,
                note=form.cleaned_data["note"],
                origin=Origin.from_request(request),
            )
        except (ValidationError, PermissionDenied) as error:
            messages.error(request, error_text(error))
    else:
        messages.error(request, "请选择转交单位 / choose whom to hand the event to")
    return redirect_after_post(request, reverse("command:event_detail", args=[pk]))


@login_required
@require_POST
def playbook_run(request: SignedInRequest, pk: int, playbook_pk: int) -> HttpResponse:
    event = get_object_or_404(_events(request), pk=pk)
    playbook = get_object_or_404(Playbook.objects.filter(active=True), pk=playbook_pk)
    try:
        run = playbook_instantiate(
            playbook=playbook, event=event, by=request.user, origin=Origin.from_request(request)
        )
    except (ValidationError, PermissionDenied) as error:
        messages.error(request, error_text(error))
        return redirect_after_post(request, reverse("command:event_detail", args=[pk]))
    messages.success(request, f"已启动预案：{playbook.name}")
    return redirect_after_post(request, reverse("command:bundle_detail", args=[run.pk]))


@login_required
def bundle_detail(request: SignedInRequest, pk: int) -> HttpResponse:
    """A playbook's tasks for one event, tracked as one bundle."""
    run = get_object_or_404(
        PlaybookRun.objects.restrict(request.user).select_related("playbook", "event"), pk=pk
    )
    assignments = list(
        TaskAssignment.objects.filter(task__bundle=run)
        .select_related("task", "community", "grid", "department", "user")
        .order_by("task_id", "pk")
    )
    done = sum(1 for a in assignments if a.state == TaskAssignment.State.COMPLETED)
    return render(
        request,
        "command/bundle_detail.html",
        {
            "run": run,
            "assignments": assignments,
            "done": done,
            "percent": round(100 * done / len(assignments)) if assignments else 0,
        },
    )


@login_required
def playbook_index(request: SignedInRequest) -> HttpResponse:
    playbooks = (
        Playbook.objects.filter(active=True)
        .select_related("event_kind")
        .prefetch_related("steps__task_kind", "steps__department")
    )
    return render(request, "command/playbooks.html", {"playbooks": playbooks})
