"""The main menu: groups of pages, each shown to the users whose roles allow its action.

An empty action means any signed-in staff member (checkpoint staff hold no register action yet
need their scan page); an entry for a whole street (the big screen) is shown only to those who
hold its action on a street. The pages themselves check permissions again.
"""

from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from wangge.core.scoping import scope_of


@dataclass(frozen=True)
class Entry:
    url_name: str
    label: Any
    action: str = ""
    whole_street: bool = False


MENU: list[tuple[Any, list[Entry]]] = [
    (
        _("底册"),
        [
            Entry("regions:index", _("辖区"), "view"),
            Entry("residents:join_posters", _("小区登记码"), "view"),
            Entry("imports:upload", _("导入"), "import"),
            Entry("imports:export", _("导出"), "export"),
            Entry("residents:registrations", _("居民防疫登记"), "view"),
            Entry("sweeps:proposals", _("走访发现"), "view"),
        ],
    ),
    (
        _("防控"),
        [
            Entry("measures:mine", _("我的管控对象"), "view"),
            Entry("measures:list", _("管控对象"), "view"),
            Entry("measures:cases", _("病例"), "view"),
            Entry("tracing:cases", _("流调溯源"), "view"),
            Entry("tracing:candidates", _("我的流调对象"), "view"),
            Entry("measures:arrivals", _("返乡报备")),
            Entry("measures:health_codes", _("健康码"), "view"),
            Entry("measures:risk_areas", _("风险地区"), "view"),
            Entry("colours:index", _("五色图"), "view"),
            Entry("colours:zones", _("三区"), "view"),
            Entry("devices:index", _("居家设备"), "view"),
            Entry("residents:staff_self_tests", _("居民抗原自测"), "view"),
            Entry("residents:requests", _("居民诉求"), "view"),
        ],
    ),
    (
        _("核酸与疫苗"),
        [
            Entry("testing:index", _("核酸检测"), "view"),
            Entry("testing:keygroups", _("重点人群"), "view"),
            Entry("testing:vaccination", _("疫苗接种"), "view"),
        ],
    ),
    (_("卡点"), [Entry("checkpoints:index", _("卡点"))]),
    (
        _("队伍"),
        [
            Entry("teams:hub", _("队伍"), "view"),
            Entry("teams:calls", _("召集令"), "view"),
            Entry("teams:duties", _("职责清单"), "view"),
            Entry("teams:party", _("党员先锋岗"), "view"),
            Entry("teams:units", _("共建单位"), "view"),
            Entry("teams:baobao", _("包保"), "view"),
            Entry("teams:care", _("一对一关爱"), "view"),
        ],
    ),
    (_("扫楼"), [Entry("sweeps:index", _("扫楼清村"), "view")]),
    (
        _("物资"),
        [
            Entry("supplies:dashboard", _("物资看板"), "view"),
            Entry("supplies:places", _("库点与库存"), "view"),
            Entry("supplies:needs", _("物资需求"), "view"),
            Entry("supplies:deliveries", _("我的配送"), "view"),
            Entry("supplies:donations", _("捐赠"), "view"),
            Entry("supplies:counts", _("盘点"), "view"),
            Entry("supplies:items", _("物资目录"), "view"),
            Entry("supplies:thresholds", _("低库存预警线"), "view"),
        ],
    ),
    (
        _("场所"),
        [
            Entry("venues:index", _("场所登记"), "inspect"),
            Entry("venues:cards", _("红黄牌"), "inspect"),
            Entry("venues:checklists", _("场所类别与检查项"), "edit"),
            Entry("venues:rules", _("红黄牌与消杀规则"), "edit"),
            Entry("venues:disinfection", _("消杀记录"), "inspect"),
            Entry("venues:disinfection_requirements", _("今日消杀要求"), "edit"),
        ],
    ),
    (
        _("通知"),
        [
            Entry("notify:compose", _("发通知"), "edit"),
            Entry("notify:messages", _("通知记录"), "view"),
            Entry("notify:calls", _("待拨电话"), "view"),
            Entry("notify:templates", _("通知模板"), "edit"),
            Entry("notify:lists", _("名单"), "edit"),
            Entry("notify:robots", _("群机器人"), "edit"),
            Entry("residents:staff_notices", _("居民信息发布"), "view"),
        ],
    ),
    (
        _("指挥"),
        [
            Entry("command:board", _("指挥中心")),
            Entry("command:events", _("事件")),
            Entry("command:verification_lists", _("协查名单"), "view"),
            Entry("command:reviews", _("每日研判"), "audit"),
            Entry("reports:daily", _("疫情日报"), "view"),
            Entry("reports:approvals", _("日报审批"), "edit"),
            Entry("reports:templates", _("一表通上报"), "edit", whole_street=True),
            Entry("reports:received", _("上报回看"), "manage_staff"),
            Entry("reports:screen", _("指挥大屏"), "view", whole_street=True),
        ],
    ),
    (
        _("管理"),
        [
            Entry("accounts:staff_list", _("工作人员"), "manage_staff"),
            Entry("front:audit", _("审计日志"), "audit"),
            Entry("measures:rule_sets", _("防控方案"), "manage_staff"),
            Entry("api-docs", _("API 文档"), "view"),
        ],
    ),
]


def menu_for(user: AbstractBaseUser | AnonymousUser, path: str) -> list[dict[str, Any]]:
    """The groups and links `user` may use, with the current page marked; empty groups left out."""
    groups = []
    for label, entries in MENU:
        links = []
        for entry in entries:
            if entry.action:
                scope = scope_of(user, entry.action)
                if scope.empty or (
                    entry.whole_street and not (scope.everything or scope.street_ids)
                ):
                    continue
            url = reverse(entry.url_name)
            links.append({"url": url, "label": entry.label, "active": path.startswith(url)})
        if links:
            groups.append(
                {"label": label, "links": links, "active": any(link["active"] for link in links)}
            )
    return groups
