"""Tasks: issue, the task page with each assignee's progress, transitions, feedback, whistle."""

from uuid import uuid4

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from wangge.accounts.http import SignedInRequest
from wangge.command import units
from wangge.command.forms import FeedbackForm, NoteForm, TaskForm, WhistleForm
from wangge.command.lifecycle import ASSIGNEE, ISSUER, TRANSITIONS, allowed_actions
from wangge.command.models import Task, TaskAssignment, TaskAttachment
from wangge.command.permissions import issuer_side
from wangge.command.selectors import drill_result
from wangge.command.services.playbooks import whistle_blow
from wangge.command.services.progress import task_cancel, task_feedback_submit, task_transition
from wangge.command.services.tasks import may_issue, task_issue
from wangge.command.views.common import error_text, form_error
from wangge.core.form_fields import model_choice
from wangge.core.htmx import redirect_after_post
from wangge.core.origin import Origin


@login_required
def task_create(request: SignedInRequest) -> HttpResponse:
    if not may_issue(request.user):
        raise PermissionDenied
    form = TaskForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            task = task_issue(
                by=request.user,
                kind=data["kind"],
                title=data["title"],
                assignees=form.assignees(),
                description=data["description"],
                priority=data["priority"],
                due_at=data["due_at"],
                drill=data["drill"],
                files=data["files"],
                origin=Origin.from_request(request),
            )
        except (ValidationError, PermissionDenied) as error:
            form_error(form, error)
        else:
            messages.success(request, f"已交办：{task.title}")
            return redirect_after_post(request, reverse("command:task_detail", args=[task.pk]))
    status = 422 if request.method == "POST" else 200
    return render(request, "command/task_form.html", {"form": form}, status=status)


def _task_for(request: HttpRequest, pk: int) -> Task:
    return get_object_or_404(
        Task.objects.restrict(request.user).select_related("kind", "issuer", "street", "event"),
        pk=pk,
    )


@login_required
def task_detail(request: SignedInRequest, pk: int) -> HttpResponse:
    task = _task_for(request, pk)
    assignments = list(
        task.assignments.select_related("community", "grid", "department", "user").prefetch_related(
            "feedback__attachments", "feedback__by"
        )
    )
    members = units.member_ids(units.unit_of(a) for a in assignments)
    issuer = issuer_side(request.user, task)
    for assignment in assignments:
        mine = request.user.is_superuser or request.user.pk in members.get(
            units.unit_of(assignment), []
        )
        actions = allowed_actions(assignment.state, ASSIGNEE) if mine else []
        if issuer:
            actions += [a for a in allowed_actions(assignment.state, ISSUER) if a != "cancel"]
        assignment.actions = [(a, TRANSITIONS[a].label) for a in actions if a != "feedback"]
        assignment.may_feedback = "feedback" in actions
    now = timezone.now()
    for assignment in assignments:
        assignment.stages = [
            (label, due, at, at is None and due is not None and due < now)
            for label, due, at in (
                (_("接单"), assignment.ack_due_at, assignment.acknowledged_at),
                (_("启动"), assignment.start_due_at, assignment.started_at),
                (_("反馈"), assignment.feedback_due_at, assignment.feedback_at),
                (_("办结"), assignment.due_at, assignment.completed_at),
            )
        ]
    done = sum(1 for a in assignments if a.state == TaskAssignment.State.COMPLETED)
    return render(
        request,
        "command/task_detail.html",
        {
            "task": task,
            "assignments": assignments,
            "done": done,
            "may_cancel": issuer and task.status == Task.Status.OPEN,
            "drill": drill_result(task) if task.drill else None,
            "log": task.log.select_related(
                "by",
                "assignment__community",
                "assignment__grid",
                "assignment__department",
                "assignment__user",
            ),
            "attachments": task.attachments.filter(feedback=None),
        },
    )


def _assignment_for(request: HttpRequest, pk: int, assignment_pk: int) -> TaskAssignment:
    task = _task_for(request, pk)
    return get_object_or_404(task.assignments.select_related("task"), pk=assignment_pk)


@login_required
@require_POST
def task_action(request: SignedInRequest, pk: int, assignment_pk: int, action: str) -> HttpResponse:
    assignment = _assignment_for(request, pk, assignment_pk)
    form = NoteForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    try:
        task_transition(
            assignment=assignment,
            action=action,
            by=request.user,
            note=note,
            origin=Origin.from_request(request),
        )
    except (ValidationError, PermissionDenied) as error:
        messages.error(request, error_text(error))
    return redirect_after_post(request, reverse("command:task_detail", args=[pk]))


@login_required
def task_feedback(request: SignedInRequest, pk: int, assignment_pk: int) -> HttpResponse:
    assignment = _assignment_for(request, pk, assignment_pk)
    form = FeedbackForm(
        request.POST or None, request.FILES or None, initial={"client_id": uuid4().hex}
    )
    if request.method == "POST" and form.is_valid():
        try:
            task_feedback_submit(
                assignment=assignment,
                by=request.user,
                text=form.cleaned_data["text"],
                figures=form.figures(),
                files=form.cleaned_data["files"],
                client_id=form.cleaned_data["client_id"],
                origin=Origin.from_request(request),
            )
        except (ValidationError, PermissionDenied) as error:
            form_error(form, error)
        else:
            messages.success(request, "反馈已提交")
            return redirect_after_post(request, reverse("command:task_detail", args=[pk]))
    status = 422 if request.method == "POST" else 200
    return render(
        request,
        "command/feedback_form.html",
        {"form": form, "assignment": assignment, "task": assignment.task},
        status=status,
    )


@login_required
@require_POST
def task_cancel_view(request: SignedInRequest, pk: int) -> HttpResponse:
    task = _task_for(request, pk)
    form = NoteForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    try:
        task_cancel(task=task, by=request.user, note=note, origin=Origin.from_request(request))
    except (ValidationError, PermissionDenied) as error:
        messages.error(request, error_text(error))
    return redirect_after_post(request, reverse("command:task_detail", args=[pk]))


@login_required
def attachment(request: SignedInRequest, pk: int) -> FileResponse:
    """A task's file, for whoever may see the task."""
    found = get_object_or_404(
        TaskAttachment.objects.filter(task__in=Task.objects.restrict(request.user).values("pk")),
        pk=pk,
    )
    return FileResponse(
        found.file.open("rb"), content_type=found.content_type, filename=found.original_name
    )


@login_required
def whistle_create(request: SignedInRequest) -> HttpResponse:
    form = WhistleForm(request.POST or None, user=request.user)
    communities = model_choice(form, "community").queryset
    if communities is None or not communities.exists():
        raise PermissionDenied
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            task = whistle_blow(
                community=data["community"],
                departments=list(data["departments"]),
                title=data["title"],
                description=data["description"],
                priority=data["priority"],
                by=request.user,
                origin=Origin.from_request(request),
            )
        except (ValidationError, PermissionDenied) as error:
            form_error(form, error)
        else:
            messages.success(request, f"已吹哨：{task.title}")
            return redirect_after_post(request, reverse("command:task_detail", args=[task.pk]))
    status = 422 if request.method == "POST" else 200
    return render(request, "command/whistle_form.html", {"form": form}, status=status)
