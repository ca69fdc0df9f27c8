"""The roster's columns: canonical Chinese headers, the synonyms people type, and finding the header row.

A roster may start with a title row ("江南街道人员花名册") or a watermark row (our own exports); the
header row is the first row in which enough cells name known columns (core.spreadsheets finds it;
reader.py says what is enough). A 序号 column is recognised so that it is not mistaken for data,
and then ignored, as is any column we do not know.
"""

from dataclasses import dataclass

# (field, canonical header, synonyms). The order is the order of the template and of exports.
COLUMNS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("name", "姓名", ()),
    ("sex", "性别", ()),
    ("id_number", "身份证号", ("身份证号码", "证件号码", "证件号", "公民身份号码")),
    ("id_type", "证件类型", ()),
    ("phone", "联系电话", ("手机号", "电话", "手机号码", "手机", "联系方式")),
    ("community", "社区", ("村", "社区/村", "社区(村)", "所属社区")),
    ("grid", "网格", ("所属网格", "网格名称")),
    ("compound", "小区", ("楼院", "小区/楼院", "小区名称")),
    ("building", "楼栋", ("楼号", "幢", "栋", "幢号")),
    ("unit", "单元", ()),
    ("floor", "楼层", ()),
    ("room", "房号", ("门牌号", "室", "房间号")),
    ("relation", "与户主关系", ("关系",)),
    ("residence_type", "人员类型", ("居住类型",)),
    ("party_member", "是否党员", ("党员",)),
    ("tags", "标签", ("人员标签",)),
    ("native_place", "户籍地", ("户籍地址",)),
    ("birth_date", "出生日期", ("出生年月日",)),
    ("ethnicity", "民族", ()),
    ("note", "备注", ()),
)
# Accepted on import but not part of the template: a one-column address, the landlord, a row number.
EXTRA_COLUMNS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("address", "地址", ("住址", "现住址", "居住地址")),
    ("landlord", "房东身份证号", ("房东", "房东证件号码", "房东身份证号码")),
    ("serial", "序号", ("编号",)),
)
CANONICAL_HEADERS: tuple[str, ...] = tuple(header for _, header, _ in COLUMNS)
HEADER_OF: dict[str, str] = {field: header for field, header, _ in COLUMNS + EXTRA_COLUMNS}

# Header text → field, for core.spreadsheets' header search (which also drops asterisks, blanks
# and a closing note in brackets: "*身份证号码(必填)").
SYNONYMS: dict[str, str] = {
    text: field
    for field, header, synonyms in COLUMNS + EXTRA_COLUMNS
    for text in (header, *synonyms)
}
HEADER_SCAN_ROWS = 20


@dataclass(frozen=True)
class HeaderRow:
    index: int  # 0-based position among the sheet's rows
    labels: list[str]  # the header cells as the file has them
    columns: dict[str, int]  # field → column position (the first column naming it wins)

    def label(self, field: str) -> str:
        """The header as the user wrote it, for error messages; the canonical one if absent."""
        position = self.columns.get(field)
        return self.labels[position] if position is not None else HEADER_OF.get(field, field)


REQUIRED_FIELDS = ("name", "id_number", "community", "grid")


def missing_columns(header: HeaderRow) -> list[str]:
    """Canonical headers of the required columns the file lacks (a place needs 楼栋+房号 or 地址)."""
    missing = [HEADER_OF[field] for field in REQUIRED_FIELDS if field not in header.columns]
    has_dwelling = {"building", "room"} <= set(header.columns)
    if not has_dwelling and "address" not in header.columns:
        missing.append(f"{HEADER_OF['building']}+{HEADER_OF['room']} / {HEADER_OF['address']}")
    return missing
