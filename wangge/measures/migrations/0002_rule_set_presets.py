"""Dated rule-set presets: national editions one after another, and the local variants of the
seeds. The source of every rule is in docs/measures.md; admins edit them or add their own."""

from datetime import date

from django.db import migrations

TWICE = ["08:00", "16:00"]
CHECK_SOURCE = "（检测日为本系统默认，请按当地要求核对）"

# (name, kind, from, until, source, [types]); a type is
# (key, name, category, colour, applies_to, days, test days, follow-on key, needs negative, note)
PRESETS = [
    (
        "第八版防控方案",
        "national",
        date(2021, 5, 11),
        date(2022, 6, 28),
        "《新型冠状病毒肺炎防控方案（第八版）》，国务院联防联控机制综合组，2021年5月",
        [
            ("c8", "密接14天集中隔离医学观察", "centralised", "red", "close_contact", 14, [1, 4, 7, 14], "m8", True, ""),
            ("m8", "解除集中隔离后7天居家健康监测", "health_monitoring", "yellow", "", 7, [2, 7], None, True, ""),
            ("cc8", "密接的密接7天居家隔离医学观察", "home_isolation", "orange", "contact_of_contact", 7, [1, 4, 7], None, True, ""),
            ("h8", "高风险区来返14天集中隔离", "centralised", "orange", "high_risk_area", 14, [1, 4, 7, 14], "m8", True, CHECK_SOURCE),
            ("md8", "中风险区来返14天居家隔离", "home_isolation", "orange", "medium_risk_area", 14, [1, 7, 14], None, True, CHECK_SOURCE),
        ],
    ),
    (
        "第九版防控方案",
        "national",
        date(2022, 6, 28),
        date(2022, 11, 11),
        "《新型冠状病毒肺炎防控方案（第九版）》，国务院联防联控机制综合组，2022年6月28日起施行",
        [
            ("c9", "密接7天集中隔离", "centralised", "red", "close_contact", 7, [1, 2, 3, 5, 7], "m9", True, ""),
            ("m9", "密接解除集中隔离后3天居家健康监测", "health_monitoring", "yellow", "", 3, [3], None, True, ""),
            ("cc9", "密接的密接7天居家隔离", "home_isolation", "orange", "contact_of_contact", 7, [1, 4, 7], None, True, ""),
            ("h9", "高风险区来返7天集中隔离", "centralised", "orange", "high_risk_area", 7, [1, 2, 3, 5, 7], None, True, ""),
            ("md9", "中风险区来返7天居家隔离", "home_isolation", "orange", "medium_risk_area", 7, [1, 4, 7], None, True, ""),
        ],
    ),
    (
        "二十条",
        "national",
        date(2022, 11, 11),
        date(2022, 12, 7),
        "《关于进一步优化新冠肺炎疫情防控措施 科学精准做好防控工作的通知》（二十条），2022年11月11日",
        [
            ("c20", "密接5天集中隔离", "centralised", "red", "close_contact", 5, [1, 2, 3, 5], "m20", True, CHECK_SOURCE),
            ("m20", "密接解除集中隔离后3天居家隔离", "home_isolation", "red", "", 3, [1, 3], None, True, CHECK_SOURCE),
            ("h20", "高风险区外溢人员7天居家隔离", "home_isolation", "orange", "high_risk_area", 7, [1, 2, 3, 5, 7], None, True, CHECK_SOURCE),
        ],
    ),
    (
        "新十条",
        "national",
        date(2022, 12, 7),
        date(2023, 1, 8),
        "《关于进一步优化落实新冠肺炎疫情防控措施的通知》（新十条），2022年12月7日",
        [
            ("i10", "感染者居家隔离7天", "home_isolation", "red", "case", 7, [6, 7], None, True, ""),
            ("c10", "密接5天居家隔离", "home_isolation", "red", "close_contact", 5, [5], None, True, ""),
        ],
    ),
    (
        "乙类乙管",
        "national",
        date(2023, 1, 8),
        None,
        "国家卫生健康委公告2022年第7号：自2023年1月8日起对新型冠状病毒感染实施“乙类乙管”，不再实行隔离措施",
        [],
    ),
    (
        "本地：2+14",
        "local",
        None,
        None,
        "种子文档004（东阳江北街道：“解除‘2+14’管控”）；文中未定义，按2天集中观察+14天居家隔离预置，可修改",
        [
            ("l2", "2+14：2天集中观察", "centralised", "orange", "", 2, [1, 2], "l14", True, CHECK_SOURCE),
            ("l14", "2+14：14天居家隔离", "home_isolation", "orange", "", 14, [7, 14], None, True, CHECK_SOURCE),
        ],
    ),
    (
        "本地：14天居家隔离",
        "local",
        None,
        None,
        "种子文档002（衢化街道返衢人员居家隔离）与003（五色：疫区返回为橙、非疫区返回为黄）",
        [
            ("h14o", "14天居家隔离（疫区返回）", "home_isolation", "orange", "", 14, [], None, False, ""),
            ("h14y", "14天居家隔离（非疫区返回）", "home_isolation", "yellow", "", 14, [], None, False, ""),
        ],
    ),
]


def create_presets(apps, schema_editor):
    RuleSet = apps.get_model("measures", "RuleSet")
    MeasureType = apps.get_model("measures", "MeasureType")
    for name, kind, start, until, source, types in PRESETS:
        rule_set = RuleSet.objects.create(
            name=name, kind=kind, effective_from=start, effective_until=until, source=source, builtin=True
        )
        created = {}
        for key, type_name, category, colour, applies_to, days, tests, _, negative, note in types:
            created[key] = MeasureType.objects.create(
                rule_set=rule_set,
                name=type_name,
                category=category,
                household_colour=colour,
                applies_to=applies_to,
                duration_days=days,
                test_days=tests,
                checkin_times=TWICE,
                release_needs_negative=negative,
                note=note,
            )
        for key, *_, follow_on, _negative, _note in types:
            if follow_on:
                created[key].follow_on = created[follow_on]
                created[key].save(update_fields=["follow_on"])


def remove_presets(apps, schema_editor):
    RuleSet = apps.get_model("measures", "RuleSet")
    MeasureType = apps.get_model("measures", "MeasureType")
    builtin = RuleSet.objects.filter(builtin=True)
    MeasureType.objects.filter(rule_set__in=builtin).update(follow_on=None)
    MeasureType.objects.filter(rule_set__in=builtin).delete()
    builtin.delete()


class Migration(migrations.Migration):
    dependencies = [("measures", "0001_initial")]
    operations = [migrations.RunPython(create_presets, remove_presets)]
