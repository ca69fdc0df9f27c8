"""Presets: task kinds (1510, routine, whistle), street departments, event kinds and playbooks."""

from django.db import migrations

TASK_KINDS = [
    # code, name, acknowledge, start, first feedback, completion (seconds)
    ("1510", "紧急（1510）", 60, 300, 600, 24 * 3600),
    ("routine", "常规", 1800, 4 * 3600, 24 * 3600, 3 * 24 * 3600),
    ("whistle", "吹哨报到", 1800, 2 * 3600, 6 * 3600, 24 * 3600),
]
DEPARTMENTS = [
    ("police", "派出所"),
    ("market", "市场监管所"),
    ("law_enforcement", "综合行政执法队"),
    ("health", "社区卫生服务中心"),
]
EVENT_KINDS = [
    ("hotline_12345", "12345热线"),
    ("grid_report", "网格上报"),
    ("positive_test", "核酸阳性"),
    ("checkpoint_fever", "卡点发热"),
    ("other", "其他"),
]
PLAYBOOKS = [
    (
        "positive_case",
        "positive_test",
        "阳性病例处置",
        "楼栋内发现阳性：封控、通知、检测、流调、保障、消杀同时启动。",
        [
            ("封控楼栋，划定封控区", "设置封控点位，张贴告示，落实24小时值守。", "1510", "critical", "grid", ""),
            ("通知楼内住户足不出户", "逐户电话或上门告知，登记特殊需求。", "1510", "critical", "grid_worker", ""),
            ("楼内人员全员核酸", "安排上门采样，日清日结。", "1510", "high", "community", ""),
            ("流调排查密接和次密接", "形成协查名单推送各网格。", "1510", "critical", "tracers", ""),
            ("保障封控户生活物资", "统计需求，配送到门。", "routine", "high", "community", ""),
            ("楼道、电梯消杀", "电梯每日两次，楼道每日一次。", "routine", "high", "department", "health"),
        ],
    ),
    (
        "checkpoint_fever",
        "checkpoint_fever",
        "卡点发热人员处置",
        "卡点测温异常：核实身份、就医转运、排查同户。",
        [
            ("核实发热人员身份并登记", "", "1510", "critical", "grid_worker", ""),
            ("联系片医，安排就医或转运", "", "1510", "critical", "department", "health"),
            ("排查同户人员健康状况", "", "routine", "high", "grid", ""),
        ],
    ),
    (
        "hotline_12345",
        "hotline_12345",
        "12345诉求办理",
        "接诉即办：先联系诉求人，办结后回访满意度。",
        [("联系诉求人并核实办理", "", "routine", "normal", "grid", "")],
    ),
    (
        "hidden_returnee",
        "grid_report",
        "未报备返乡人员处置",
        "网格上报发现未报备人员：上门核实、落实管控、追查行程。",
        [
            ("上门核实并落实管控措施", "", "1510", "high", "grid_worker", ""),
            ("流调排查行程轨迹", "", "routine", "high", "tracers", ""),
            ("派出所协查身份与轨迹", "", "routine", "normal", "department", "police"),
        ],
    ),
]


def add_presets(apps, schema_editor):
    TaskKind = apps.get_model("command", "TaskKind")
    Department = apps.get_model("command", "Department")
    EventKind = apps.get_model("command", "EventKind")
    Playbook = apps.get_model("command", "Playbook")
    PlaybookStep = apps.get_model("command", "PlaybookStep")
    kinds = {}
    for code, name, ack, start, feedback, completion in TASK_KINDS:
        kinds[code], _ = TaskKind.objects.get_or_create(
            code=code,
            defaults={
                "name": name,
                "ack_seconds": ack,
                "start_seconds": start,
                "feedback_seconds": feedback,
                "completion_seconds": completion,
                "builtin": True,
            },
        )
    departments = {}
    for code, name in DEPARTMENTS:
        departments[code], _ = Department.objects.get_or_create(
            code=code, defaults={"name": name, "builtin": True}
        )
    event_kinds = {}
    for code, name in EVENT_KINDS:
        event_kinds[code], _ = EventKind.objects.get_or_create(
            code=code, defaults={"name": name, "builtin": True}
        )
    for code, kind, name, description, steps in PLAYBOOKS:
        playbook, created = Playbook.objects.get_or_create(
            code=code,
            defaults={
                "event_kind": event_kinds[kind],
                "name": name,
                "description": description,
                "builtin": True,
            },
        )
        if not created:
            continue
        for position, (title, text, task_kind, priority, assignee, department) in enumerate(
            steps, start=1
        ):
            PlaybookStep.objects.create(
                playbook=playbook,
                position=position,
                title=title,
                description=text,
                task_kind=kinds[task_kind],
                priority=priority,
                assignee=assignee,
                department=departments.get(department),
            )


def remove_presets(apps, schema_editor):
    apps.get_model("command", "Playbook").objects.filter(builtin=True).delete()
    apps.get_model("command", "EventKind").objects.filter(builtin=True).delete()
    apps.get_model("command", "Department").objects.filter(builtin=True).delete()
    apps.get_model("command", "TaskKind").objects.filter(builtin=True).delete()


class Migration(migrations.Migration):
    dependencies = [("command", "0001_initial")]

    operations = [migrations.RunPython(add_presets, remove_presets)]
