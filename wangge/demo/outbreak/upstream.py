"""The demo street's approvals and upstream tables (docs/reports.md "Approval", "Enter once"): the
district's two daily tables registered by the commander; every community approving its figures
the next morning, each by its own 社区书记 (the demo community by 演示社工); the tables filled and
sent at eleven. Approvals stand in every state: the days before the day before yesterday all
approved and sent; the day before yesterday one community sent back by the commander (the first
table went up without it); yesterday the demo community and every second one still to approve."""

from datetime import date, datetime, time, timedelta

from django.utils import timezone

from wangge.accounts.models import RoleAssignment, User
from wangge.core.roles import Role
from wangge.demo.outbreak.cast import Cast
from wangge.demo.outbreak.clock import moment
from wangge.demo.outbreak.upstream_templates import epidemic_table, testing_table
from wangge.regions.models import Community
from wangge.reports.services import CATCH_UP_DAYS
from wangge.reports.services.approvals import report_approve, report_unapprove
from wangge.reports.services.upstream import template_create, upstream_fill

SENT_BACK = "核酸未检人数与采样点名单不符，请核对后重新审批"


def _secretary(community: Community) -> User:
    """The community's 社区书记, who approves its figures (no demo login)."""
    user, _ = User.objects.get_or_create(
        username=f"shuji-{community.pk}", defaults={"full_name": f"{community.name}书记"}
    )
    user.set_unusable_password()
    user.save()
    RoleAssignment.objects.get_or_create(user=user, role=Role.COMMUNITY_WORKER, community=community)
    return user


def _at(cast: Cast, day: date, hour: int, minute: int = 0) -> datetime:
    """A moment of the morning after `day`, never later than now."""
    at = timezone.make_aware(datetime.combine(day + timedelta(days=1), time(hour, minute)))
    return min(at, cast.calendar.now)


def upstream_seed(cast: Cast) -> int:
    """Runs after the snapshots are built; answers the number of tables sent."""
    communities = list(cast.street.communities.order_by("pk"))
    approvers = {
        c.pk: cast.community_worker if c.pk == cast.community.pk else _secretary(c)
        for c in communities
    }
    names = [c.name for c in communities]
    first_day = cast.calendar.today - timedelta(days=CATCH_UP_DAYS)
    templates = []
    with moment(_at(cast, first_day - timedelta(days=1), 9)):
        for name, recipient, build in (
            ("疫情防控工作日报表", "区疫情防控指挥部办公室", epidemic_table),
            ("核酸检测及疫苗接种情况统计表", "区卫生健康局", testing_table),
        ):
            content, mapping = build(names)
            templates.append(
                template_create(
                    by=cast.commander,
                    street=cast.street,
                    name=name,
                    recipient=recipient,
                    file_name=f"{name}.xlsx",
                    content=content,
                    mapping=mapping,
                )
            )
    sent = 0
    for back in range(CATCH_UP_DAYS, 0, -1):
        day = cast.calendar.today - timedelta(days=back)
        for index, community in enumerate(communities):
            if back == 1 and (community == cast.community or index % 2):
                continue
            with moment(_at(cast, day, 8, 30 + index)):
                report_approve(by=approvers[community.pk], community=community, day=day)
        if back == 2:
            with moment(_at(cast, day, 10)):
                report_unapprove(
                    by=cast.commander, community=communities[-1], day=day, reason=SENT_BACK
                )
        if back >= 2:
            for template in templates[: 1 if back == 2 else None]:
                with moment(_at(cast, day, 11)):
                    upstream_fill(by=cast.commander, template=template, day=day)
                    sent += 1
    return sent
