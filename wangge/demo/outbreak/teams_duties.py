"""The street's duty list (职责清单) as seed 001 describes 南星街道's: 16 positions over four levels
(community, compound, property company, owners' committee) with 80 duties, held by the demo staff;
three 党员先锋岗 of the first community, held by party members of its 党员先锋队, with five days
of their service; and four co-building units (共建单位), each of one community, with their signed
letters and the buildings each took (六包一), as seed 003 tells of 花园路街道's 61 units. Everything
goes through the services, as staff would enter it."""

import random
from datetime import timedelta
from decimal import Decimal

from wangge.demo.outbreak.cast import Cast
from wangge.demo.outbreak.clock import moment
from wangge.people.models import Person
from wangge.regions.models import Community
from wangge.teams.models import Member, MemberStatus, Team, TeamColour, TeamKind, UnitKind
from wangge.teams.selectors.duties import buildings_free
from wangge.teams.services import duties, units

# (position, duties): four levels as the seed names them, five duties each.
POSITIONS: list[tuple[str, list[str]]] = [
    (
        "社区党委书记",
        [
            "统筹社区疫情防控工作，是社区防控第一责任人",
            "组织召开每日防控碰头会，研究解决存在问题",
            "落实“四级包保”“五包一”责任，分包到楼到户到人",
            "调度社区党员、志愿者、共建单位力量支援一线",
            "向街道报告防控进展，督促问题即查即改",
        ],
    ),
    (
        "社区居委会主任",
        [
            "组织居民开展核酸检测和疫苗接种动员",
            "负责社区通知、告知书的发布与张贴",
            "组织居家隔离户生活物资保障和代购代配",
            "受理居民诉求，协调解决就医、用药等困难",
            "做好社区防控台账的整理和报送",
        ],
    ),
    (
        "社区网格长",
        [
            "统筹本网格人员排查和信息核实",
            "组织网格员开展扫楼清村，做到一户不漏、一人不缺",
            "对接协查名单，24小时内完成核查反馈",
            "督促落实居家隔离、健康监测人员管控措施",
            "每日汇总网格防控数据上报社区",
        ],
    ),
    (
        "专职网格员",
        [
            "逐户排查外来人员和返乡人员，登记行程",
            "通知重点人员按时核酸检测并跟踪结果",
            "每日两次电话回访居家隔离人员体温和健康状况",
            "张贴温馨提示条，联系家中无人住户",
            "发现异常情况第一时间报告网格长",
        ],
    ),
    (
        "社区卫生服务站片医",
        [
            "负责居家隔离、健康监测人员的健康随访",
            "指导隔离家庭做好消毒和个人防护",
            "上门为行动不便人员采样",
            "对发热等异常症状人员及时转运就诊",
            "开展防护知识和疫苗接种健康宣教",
        ],
    ),
    (
        "社区民警",
        [
            "协助流调专班开展轨迹核查",
            "维护核酸检测点和卡口秩序",
            "依法处置拒不配合防控措施的人员",
            "核查出租房屋和流动人口登记",
            "协助转运隔离人员，保障途中安全",
        ],
    ),
    (
        "小区综合党委书记",
        [
            "检查物业消杀记录，督促公共区域每日消杀",
            "摸排小区居民信息，核实户籍与实际居住情况",
            "组织小区党员亮身份、当先锋，参与值守服务",
            "协调物业、业委会落实小区封控、管控要求",
            "每日向社区报告小区防控情况",
        ],
    ),
    (
        "楼道长",
        [
            "掌握本楼栋住户底数，动态更新住户名单",
            "在楼道张贴防控通知和核酸检测安排",
            "提醒居民规范佩戴口罩、减少聚集",
            "发现外来人员和异常情况及时报告网格员",
            "协助为楼内老人、独居人员代购代送",
        ],
    ),
    (
        "卡口值守员",
        [
            "对进出人员逐一扫码、测温、查验健康码",
            "对外来人员和车辆登记信息",
            "劝返不符合进入条件的人员",
            "管理外来物品接收点，做好物品消毒",
            "填写卡口值守记录并做好交接班",
        ],
    ),
    (
        "居民服务点负责人",
        [
            "受理居民代购、配药等服务需求",
            "组织志愿者分拣、配送生活物资",
            "为老人、残疾人等特殊群体提供上门服务",
            "登记服务台账，回访服务满意度",
            "收集居民意见建议并反馈社区",
        ],
    ),
    (
        "物业项目经理",
        [
            "落实小区出入口管控，只保留一个进出口",
            "安排保安、保洁人员排班，保障值守力量",
            "建立物业人员健康监测台账，每日报告",
            "配合社区做好居家隔离户垃圾清运",
            "保障隔离期间小区水电、电梯正常运行",
        ],
    ),
    (
        "物业保洁主管",
        [
            "电梯、楼道、门把手等公共部位每日两次消杀",
            "出现居家隔离户的楼栋加密消杀频次",
            "规范设置废弃口罩专用回收桶",
            "做好消杀记录和消毒剂领用登记",
            "对保洁人员开展防护培训",
        ],
    ),
    (
        "物业秩序维护主管",
        [
            "组织保安在小区门岗执行扫码测温",
            "开展小区内巡查，劝散聚集人员",
            "管理快递外卖无接触配送点",
            "协助社区张贴封条、设置隔离标识",
            "遇突发情况按预案处置并报告社区",
        ],
    ),
    (
        "业委会主任",
        [
            "动员业主支持配合小区防控措施",
            "监督物业落实消杀、值守等防控职责",
            "协调业主群做好防控信息发布",
            "组织业主志愿者参与值守和服务",
            "收集业主诉求并与社区、物业沟通",
        ],
    ),
    (
        "业委会委员",
        [
            "分片联系业主，宣传防控政策",
            "参与小区卡口值守轮班",
            "协助统计业主核酸检测和疫苗接种情况",
            "监督防控物资使用和公开",
            "及时反映居民困难和意见",
        ],
    ),
    (
        "党员志愿者",
        [
            "到社区报到，服从统一调配",
            "参与核酸检测点引导、扫码和秩序维护",
            "参与扫楼入户排查和信息录入",
            "为隔离家庭代购代送生活物资",
            "带头宣传防疫知识，带动身边群众",
        ],
    ),
]

# Each position's staff holders, by the cast's roles.
HOLDERS = {
    "社区党委书记": ["community_worker"],
    "社区居委会主任": ["community_worker"],
    "社区网格长": ["grid_worker"],
    "专职网格员": ["grid_worker"],
    "社区卫生服务站片医": ["doctor"],
    "社区民警": ["police"],
    "卡口值守员": ["checkpoint"],
}

PARTY_POSTS = [
    ("党员先锋岗（东门卡口）", "小区东门", ["带头值守卡口，扫码测温", "劝导外来人员和车辆"]),
    ("党员先锋岗（核酸检测点）", "社区广场", ["引导居民有序排队", "协助扫码录入"]),
    ("党员先锋岗（居民服务点）", "社区服务站", ["代购代配生活物资", "为独居老人上门服务"]),
]

UNITS = [
    ("区卫生健康局", UnitKind.AGENCY, "11330783002609123M", "陈国平"),
    ("国网东阳市供电公司", UnitKind.ENTERPRISE, "91330783MA2E7B3K1G", "吴立新"),
    ("东阳市第二实验小学", UnitKind.SCHOOL, "12330783470000123H", "楼晓燕"),
    ("东阳市人民医院", UnitKind.HOSPITAL, "", "王建华"),
]
BUILDINGS_PER_UNIT = 3
SERVICE_DAYS = 5


def _staff(cast: Cast, role: str) -> object:
    if role in ("doctor", "police"):
        return getattr(cast.team, role)
    return getattr(cast, role)


def duty_list_create(cast: Cast) -> None:
    for name, texts in POSITIONS:
        position = duties.position_create(
            by=cast.commander,
            street=cast.street,
            data=duties.PositionData(name=name),
            duties=texts,
        )
        for role in HOLDERS.get(name, []):
            duties.holder_assign(
                by=cast.commander,
                position=position,
                user=_staff(cast, role),
                started=cast.calendar.day(1),
            )


def _party_team(cast: Cast, rng: random.Random) -> list[Member]:
    team = Team.objects.create(
        name="党员先锋队",
        kind=TeamKind.PARTY,
        colour=TeamColour.RED,
        street=cast.street,
        community=cast.community,
    )
    persons = list(
        Person.objects.filter(
            household__grid__community=cast.community,
            status=Person.Status.PRESENT,
            tags__code="party_member",
        ).order_by("pk")[:9]
    )
    members = []
    for person in persons:
        member = Member(
            team=team,
            person=person,
            name=person.name,
            party_member=True,
            status=MemberStatus.CONFIRMED,
        )
        member.set_phone(person.phone)
        member.save()
        members.append(member)
    rng.shuffle(members)
    return members


def party_posts_create(cast: Cast, rng: random.Random) -> None:
    members = _party_team(cast, rng)
    start = cast.calendar.day(1)
    for number, (name, place, texts) in enumerate(PARTY_POSTS):
        post = duties.position_create(
            by=cast.commander,
            street=cast.street,
            community=cast.community,
            data=duties.PositionData(name=name, is_party_post=True, place=place),
            duties=texts,
        )
        for member in members[number * 3 : number * 3 + 3]:
            duties.holder_assign(by=cast.commander, position=post, member=member, started=start)
            for day in range(1, SERVICE_DAYS + 1):
                duties.post_service_record(
                    by=cast.community_worker,
                    position=post,
                    member=member,
                    day=start + timedelta(days=day - 1),
                    hours=Decimal(rng.choice([2, 3, 4, 4, 6, 8])),
                    activity=texts[day % len(texts)],
                )


def units_create(cast: Cast, rng: random.Random) -> None:
    """Each unit serves one community of the street in turn and takes up to three of its
    buildings that no other unit holds."""
    communities = list(Community.objects.filter(street=cast.street).order_by("pk"))
    contacts = list(cast.residents()[: 10 * len(UNITS) : 10])
    for number, (name, kind, uscc, contact) in enumerate(UNITS):
        community = communities[number % len(communities)]
        unit = units.unit_create(
            by=cast.commander,
            street=cast.street,
            data=units.UnitData(
                name=name,
                kind=kind,
                community=community,
                uscc=uscc,
                contact_name=contact,
                contact_phone=f"1390579{1000 + number * 137:04d}",
                contact_person=contacts[number] if number < len(contacts) else None,
                contact_user=None if number < len(contacts) else cast.commander,
            ),
        )
        units.letter_add(by=cast.commander, unit=unit, signed_on=cast.calendar.day(1))
        free = list(buildings_free(unit))
        for building in rng.sample(free, min(BUILDINGS_PER_UNIT, len(free))):
            units.building_take(
                by=cast.commander, unit=unit, building=building, started=cast.calendar.day(2)
            )


def teams_duties_seed(cast: Cast, rng: random.Random) -> None:
    with moment(cast.calendar.now):
        duty_list_create(cast)
        party_posts_create(cast, rng)
        units_create(cast, rng)
