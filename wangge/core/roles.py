"""Staff roles and what each may do. The one table that the scoping mechanism reads.

A role is held on an area (street, community or grid); doctor and police see the persons assigned to
them (people.Assignment); checkpoint staff and inspectors see no register at all, only what their own
screens show.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    ADMIN = "admin", _("系统管理员")
    COMMANDER = "commander", _("街道指挥")
    COMMUNITY_WORKER = "community_worker", _("社区工作者")
    GRID_WORKER = "grid_worker", _("网格员")
    CHECKPOINT = "checkpoint", _("卡点值守")
    INSPECTOR = "inspector", _("检查员")
    DOCTOR = "doctor", _("片医")
    POLICE = "police", _("片警")
    TRACER = "tracer", _("流调专班")


class Action(models.TextChoices):
    VIEW = "view", _("查看")
    EDIT = "edit", _("修改")
    REVEAL = "reveal", _("查看完整证件号和电话")
    EXPORT = "export", _("导出")
    IMPORT = "import", _("导入")
    AUDIT = "audit", _("查看审计日志")
    MANAGE_STAFF = "manage_staff", _("管理工作人员")
    INSPECT = "inspect", _("检查场所")


_ALL = frozenset(Action)
ROLE_ACTIONS: dict[str, frozenset[str]] = {
    Role.ADMIN: _ALL,
    Role.COMMANDER: _ALL,
    Role.COMMUNITY_WORKER: frozenset(
        {
            Action.VIEW,
            Action.EDIT,
            Action.REVEAL,
            Action.EXPORT,
            Action.IMPORT,
            Action.MANAGE_STAFF,
            Action.INSPECT,
        }
    ),
    Role.GRID_WORKER: frozenset({Action.VIEW, Action.EDIT, Action.REVEAL, Action.INSPECT}),
    Role.TRACER: frozenset({Action.VIEW, Action.REVEAL, Action.EXPORT}),
    Role.DOCTOR: frozenset({Action.VIEW, Action.REVEAL}),
    Role.POLICE: frozenset({Action.VIEW, Action.REVEAL}),
    Role.CHECKPOINT: frozenset(),
    Role.INSPECTOR: frozenset({Action.INSPECT}),
}

# Roles whose area gives them the register of that area; the others see only assigned persons.
AREA_ROLES = frozenset(
    {Role.ADMIN, Role.COMMANDER, Role.COMMUNITY_WORKER, Role.GRID_WORKER, Role.TRACER}
)
PERSON_ROLES = frozenset({Role.DOCTOR, Role.POLICE})
