"""The kinds of venue and their checklists, as the issue names them (ADR 0006: presets as data
migrations). Both stay editable; a later edit is not undone by this migration."""

from django.db import migrations

KINDS = [
    ("餐饮店", ["饭店", "餐馆", "饭馆", "餐厅", "小吃店", "快餐店"]),
    ("商超", ["超市", "商场", "便利店", "百货"]),
    ("农贸市场", ["菜市场", "农贸", "集贸市场"]),
    ("市场摊位", ["摊位", "摊点", "档口"]),
    ("药店", ["药房", "大药房"]),
    ("诊所", ["卫生室", "门诊部", "医务室"]),
    ("物流寄递", ["快递", "物流", "快递站", "驿站", "寄递"]),
    ("建筑工地", ["工地", "施工工地"]),
    ("冷链经营", ["冷链", "冷库", "冻品"]),
    ("养老机构", ["养老院", "敬老院", "老年公寓"]),
    ("学校/托育", ["学校", "幼儿园", "托育", "托儿所", "培训机构"]),
    ("宾馆", ["酒店", "旅馆", "招待所", "民宿"]),
    ("企业", ["公司", "工厂", "厂"]),
    ("其他", []),
]
COMMON = ["进门测温", "扫码/亮码", "佩戴口罩", "限流", "消杀记录", "从业人员登记与核酸"]
COLD_CHAIN = "冷链产品溯源"
WITH_COLD_CHAIN = {"商超", "农贸市场", "市场摊位", "冷链经营", "餐饮店"}


def add(apps, schema_editor):
    VenueKind = apps.get_model("venues", "VenueKind")
    ChecklistItem = apps.get_model("venues", "ChecklistItem")
    for order, (name, synonyms) in enumerate(KINDS):
        kind, _ = VenueKind.objects.get_or_create(
            name=name, defaults={"synonyms": synonyms, "order": order}
        )
        texts = COMMON + ([COLD_CHAIN] if name in WITH_COLD_CHAIN else [])
        for position, text in enumerate(texts):
            ChecklistItem.objects.get_or_create(kind=kind, text=text, defaults={"order": position})


class Migration(migrations.Migration):
    dependencies = [("venues", "0001_initial")]

    operations = [migrations.RunPython(add, migrations.RunPython.noop)]
