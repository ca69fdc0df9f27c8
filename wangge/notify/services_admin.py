"""What staff keep for notify beside messages: residents' opt-outs, a street's templates, saved
lists, and the grids' robots. One transaction and one audit entry per write."""

from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from wangge.accounts.authority import areas_held, holds, user_can
from wangge.core.models import AuditEntry
from wangge.core.origin import Origin
from wangge.core.roles import Action
from wangge.core.services import audit_record
from wangge.notify.models import OptOut, Robot, SavedList, Template
from wangge.notify.models.messages import OPTIONAL_KINDS
from wangge.notify.rendering import template_errors
from wangge.people.models import Person
from wangge.regions.models import Community, Grid, Street


def street_ids(user: Any) -> set[int]:
    """The streets a user works in (the streets of the grids they may view)."""
    return set(areas_held(user, Action.VIEW, Grid).values_list("community__street", flat=True))


def templates_editable(user: Any, street: Street) -> bool:
    """A street's commanders and its community workers keep its templates (grid workers use them)."""
    return areas_held(user, Action.EDIT, Community).filter(street=street).exists()


def opt_out_set(*, by: Any, origin: Origin, person: Person, kind: str, on: bool) -> bool:
    """Record that `person` does (on) or no longer does (not on) want messages of `kind`; never
    for emergencies. Whether anything changed."""
    if kind not in OPTIONAL_KINDS:
        raise ValidationError("紧急通知不能退订 / emergency messages cannot be opted out of")
    if not user_can(by, Action.EDIT, person):
        raise PermissionDenied
    with transaction.atomic():
        if on:
            _, changed = OptOut.objects.get_or_create(person=person, kind=kind)
        else:
            changed = OptOut.objects.filter(person=person, kind=kind).delete()[0] > 0
        if changed:
            audit_record(
                actor=by,
                action=AuditEntry.Action.UPDATE,
                target=person,
                changes={f"opt_out_{kind}": [not on, on]},
                reason="通知退订 / message opt-out",
                origin=origin,
            )
    return bool(changed)


def template_save(
    *,
    by: Any,
    origin: Origin,
    street: Street,
    name: str,
    kind: str,
    text: str,
    template: Template | None = None,
) -> Template:
    if not templates_editable(by, street):
        raise PermissionDenied
    errors = template_errors(text)
    if errors:
        raise ValidationError({"text": errors})
    name = name.strip()
    with transaction.atomic():
        row = template or Template(street=street, created_by=by)
        before = {"name": row.name, "kind": row.kind, "text": row.text}
        row.name, row.kind, row.text = name, kind, text.strip()
        try:
            with transaction.atomic():
                row.save()
        except IntegrityError as error:
            raise ValidationError(
                {"name": f"已有名为“{name}”的模板 / a template named '{name}' exists"}
            ) from error
        audit_record(
            actor=by,
            action=AuditEntry.Action.UPDATE if template else AuditEntry.Action.CREATE,
            target=row,
            changes={k: [v, getattr(row, k)] for k, v in before.items() if v != getattr(row, k)},
            origin=origin,
        )
    return row


def template_delete(*, by: Any, origin: Origin, template: Template) -> None:
    if not templates_editable(by, template.street):
        raise PermissionDenied
    with transaction.atomic():
        audit_record(actor=by, action=AuditEntry.Action.DELETE, target=template, origin=origin)
        template.delete()


def saved_list_delete(*, by: Any, origin: Origin, saved_list: SavedList) -> None:
    if not user_can(by, Action.EDIT, saved_list):
        raise PermissionDenied
    with transaction.atomic():
        audit_record(actor=by, action=AuditEntry.Action.DELETE, target=saved_list, origin=origin)
        saved_list.delete()


def robot_register(
    *, by: Any, origin: Origin, grid: Grid, kind: str, name: str, token: str, secret: str = ""
) -> Robot:
    """A grid's DingTalk or WeCom robot, its token and secret sealed (replaces an inactive one of
    the same kind), allowed settings.WANGGE["ROBOT_PER_MINUTE"] messages a minute."""
    if not holds(by, Action.EDIT, grid):
        raise PermissionDenied
    if not token.strip():
        raise ValidationError({"token": "请填写令牌 / the token is required"})
    with transaction.atomic():
        robot = Robot.objects.select_for_update().filter(grid=grid, kind=kind).first()
        if robot is not None and robot.active:
            raise ValidationError(
                {"kind": "该网格已有此类机器人 / the grid already has a robot of this kind"}
            )
        robot = robot or Robot(grid=grid, kind=kind)
        robot.name, robot.active, robot.parked_until = name.strip(), True, None
        robot.per_minute = settings.WANGGE["ROBOT_PER_MINUTE"]
        robot.set_token(token.strip())
        robot.set_secret(secret.strip())
        robot.save()
        audit_record(
            actor=by,
            action=AuditEntry.Action.CREATE,
            target=robot,
            changes={"grid": grid.pk, "kind": kind},
            origin=origin,
        )
    return robot


def robot_deactivate(*, by: Any, origin: Origin, robot: Robot) -> Robot:
    if not holds(by, Action.EDIT, robot.grid):
        raise PermissionDenied
    with transaction.atomic():
        Robot.objects.filter(pk=robot.pk).update(active=False)
        audit_record(
            actor=by,
            action=AuditEntry.Action.UPDATE,
            target=robot,
            changes={"active": [True, False]},
            origin=origin,
        )
    robot.refresh_from_db()
    return robot
