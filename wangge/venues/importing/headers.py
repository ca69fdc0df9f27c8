"""The venue file's columns: canonical Chinese headers (the order of the export) and the synonyms
people type. Header cells are looked up by core.spreadsheets.header_map, which folds full-width
characters and drops blanks, asterisks and a closing note in brackets ("*场所名称(必填)")."""

# (field, canonical header, synonyms)
COLUMNS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("name", "场所名称", ("名称", "店名", "单位名称", "场所")),
    ("kind", "类别", ("类型", "行业", "场所类别", "场所类型")),
    ("community", "社区", ("村", "社区/村", "社区(村)", "所属社区")),
    ("grid", "网格", ("所属网格", "网格名称")),
    ("address", "地址", ("详细地址", "经营地址", "场所地址")),
    ("uscc", "统一社会信用代码", ("信用代码", "USCC", "社会信用代码", "营业执照号")),
    ("responsible_name", "负责人", ("法人", "联系人", "负责人姓名")),
    ("responsible_phone", "负责人电话", ("联系电话", "电话", "手机", "手机号", "联系方式")),
    ("staff_count", "从业人数", ("员工数", "员工人数", "从业人员数")),
    ("longitude", "经度", ("lng", "lon", "longitude")),
    ("latitude", "纬度", ("lat", "latitude")),
)
EXTRA_COLUMNS: tuple[tuple[str, str, tuple[str, ...]], ...] = (("serial", "序号", ("编号",)),)
CANONICAL_HEADERS: tuple[str, ...] = tuple(header for _, header, _ in COLUMNS)
HEADER_OF: dict[str, str] = {field: header for field, header, _ in COLUMNS + EXTRA_COLUMNS}
SYNONYMS: dict[str, str] = {
    text: field
    for field, header, synonyms in COLUMNS + EXTRA_COLUMNS
    for text in (
        header,
        *synonyms,
        *(c for s in synonyms if s.isascii() for c in (s.upper(), s.lower())),
    )
}
REQUIRED_FIELDS = ("name", "kind", "community", "grid")
HEADER_SCAN_ROWS = 20
