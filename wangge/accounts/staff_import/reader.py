"""Staff accounts and role assignments from a spreadsheet: read and check the rows.

One row is one role assignment: 用户名/账号, 姓名, 手机号, 角色, 社区, 网格 (the same username on
several rows holds several roles). The area is the grid when 网格 is filled, else the community,
else the importer's street; names are resolved inside that street (grid names are unique within a
community). Passwords are never read from the file: each new account gets a one-time password,
handed out once in a credentials workbook (a file of passwords passed around chat groups is how
accounts leak), and must be changed at first login.
"""

import tempfile
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import translation

from wangge.accounts.grants import Area, can_grant, check_level
from wangge.accounts.models import User
from wangge.accounts.services import clean_staff_phone, clean_username
from wangge.core.identity import normalise_text
from wangge.core.roles import Role
from wangge.core.sheet_process import TableError
from wangge.core.spreadsheets import NoHeaderRow, read_table
from wangge.regions.models import Community, Grid, Street

COLUMNS: dict[str, tuple[str, ...]] = {
    "username": ("用户名/账号", "用户名", "账号", "登录名"),
    "full_name": ("姓名",),
    "phone": ("手机号", "手机", "联系电话", "电话"),
    "role": ("角色",),
    "community": ("社区", "社区/村", "村"),
    "grid": ("网格",),
}
REQUIRED = ("username", "full_name", "role")
HEADER_LABELS = {key: names[0] for key, names in COLUMNS.items()}
SYNONYMS = {name: key for key, names in COLUMNS.items() for name in names}
PASSWORD_HEADERS = {"初始密码", "密码", "password"}
HEADER_SEARCH_ROWS = 5


class StaffImportError(ValueError):
    """The file as a whole cannot be imported; the message says why, in Chinese and English."""


@dataclass
class StaffRow:
    row: int
    username: str
    full_name: str
    phone: str
    role: str
    area: Area


@dataclass
class CheckedRows:
    valid: list[StaffRow] = field(default_factory=list)
    errors: list[dict[str, Any]] = field(default_factory=list)
    existing: dict[str, User] = field(default_factory=dict)

    def reject(self, row: int, column: str, reason: str) -> None:
        self.errors.append(
            {"row": row, "column": HEADER_LABELS.get(column, column), "reason": reason}
        )


def read_staff_sheet(content: bytes) -> list[dict[str, Any]]:
    """The data rows of the first sheet as [{"row": n, "values": {column: text}}] (n as Excel shows),
    read by core.spreadsheets; the header row is the first of the top rows naming 用户名/账号. The
    file has no trusted name: the parser tells .xlsx from .xls by content."""
    with tempfile.NamedTemporaryFile(suffix=".xlsx") as handle:
        handle.write(content)
        handle.flush()
        try:
            table = read_table(
                handle.name,
                SYNONYMS,
                required=1,
                needs=("username",),
                search_rows=HEADER_SEARCH_ROWS,
                kind="staff",
            )
        except NoHeaderRow as error:
            raise StaffImportError(
                "找不到表头“用户名/账号” / no header row with 用户名/账号 in the first rows"
            ) from error
        except TableError as error:
            raise StaffImportError(
                f"无法读取文件，请上传 .xlsx 或 .xls 工作簿（{error}） / cannot read the file: "
                f"upload an .xlsx or .xls workbook ({error})"
            ) from error
    if PASSWORD_HEADERS & {normalise_text(text).lower() for text in table.headers}:
        raise StaffImportError(
            "请删除“初始密码”列：初始密码由系统生成并只提供一次 / remove the password column: "
            "one-time passwords are generated and handed out once"
        )
    missing = [HEADER_LABELS[key] for key in REQUIRED if not table.has(key)]
    if missing:
        names = "、".join(missing)
        raise StaffImportError(f"缺少列：{names} / missing columns: {names}")
    return [
        {
            "row": row.number,
            "values": {key: normalise_text(text) for key, text in row.values.items()},
        }
        for row in table.rows
    ]


def role_from_text(text: str) -> str | None:
    """A role from its Chinese name (网格员) or its code (grid_worker)."""
    if text in Role.values:
        return text
    with translation.override("zh-hans"):
        return {str(label): value for value, label in Role.choices}.get(text)


class _Areas:
    """Community and grid names of one street, looked up once."""

    def __init__(self, street: Street) -> None:
        self.street = street
        self.communities = {c.name: c for c in Community.objects.filter(street=street)}
        self.grids = {
            (g.community.name, g.name): g
            for g in Grid.objects.filter(community__street=street).select_related(
                "community__street", "parent"
            )
        }

    def resolve(self, community: str, grid: str, role: str) -> tuple[Area, str, str]:
        """(area, column, reason): the area, or the column and reason why none was found."""
        if grid and not community:
            return None, "community", "填写网格时须同时填写社区 / a grid needs its community"
        if community and community not in self.communities:
            return (
                None,
                "community",
                (
                    f"社区“{community}”不在{self.street.name} / "
                    f"community '{community}' is not in {self.street.name}"
                ),
            )
        if grid:
            found = self.grids.get((community, grid))
            if found is None:
                return (
                    None,
                    "grid",
                    (f"网格“{grid}”不在{community} / grid '{grid}' is not in {community}"),
                )
            return found, "", ""
        if community:
            return self.communities[community], "", ""
        return (None if role == Role.ADMIN else self.street), "", ""


def _error_text(error: ValidationError) -> str:
    return " ".join(error.messages)


def _check_row(
    by: Any, areas: _Areas, entry: dict[str, Any], existing: dict[str, User], checked: CheckedRows
) -> StaffRow | None:
    number, values = entry["row"], entry["values"]
    try:
        username = clean_username(values.get("username"))
        phone = clean_staff_phone(values.get("phone"))
    except ValidationError as error:
        column = next(iter(error.message_dict))
        checked.reject(number, column, _error_text(error))
        return None
    full_name = values.get("full_name", "")
    user = existing.get(username)
    if user is None and not full_name:
        checked.reject(number, "full_name", "新账号须填写姓名 / a new account needs a name")
        return None
    if user is not None and full_name and user.full_name and user.full_name != full_name:
        checked.reject(
            number,
            "full_name",
            f"账号{username}已登记为“{user.full_name}”，姓名不符 / "
            f"username {username} belongs to '{user.full_name}': the name differs",
        )
        return None
    if user is not None and not user.is_active:
        checked.reject(number, "username", "该账号已停用 / this account is deactivated")
        return None
    if user is not None and getattr(by, "pk", None) == user.pk:
        checked.reject(number, "username", "不能修改自己的角色 / you cannot change your own roles")
        return None
    role = role_from_text(values.get("role", ""))
    if role is None:
        checked.reject(
            number,
            "role",
            f"未知角色“{values.get('role', '')}” / unknown role '{values.get('role', '')}'",
        )
        return None
    area, column, reason = areas.resolve(values.get("community", ""), values.get("grid", ""), role)
    if reason:
        checked.reject(number, column, reason)
        return None
    try:
        check_level(role, area)
    except ValidationError as error:
        checked.reject(number, "grid" if values.get("grid") else "community", _error_text(error))
        return None
    if not can_grant(by, role, area):
        checked.reject(
            number, "role", "您无权在该区域授予该角色 / you may not grant this role on this area"
        )
        return None
    return StaffRow(number, username, full_name, phone, role, area)


def check_staff_rows(*, by: Any, street: Street, rows: list[dict[str, Any]]) -> CheckedRows:
    """Every row either becomes a StaffRow or an error naming its row, column and reason."""
    checked = CheckedRows()
    usernames = {normalise_text(entry["values"].get("username")) for entry in rows}
    checked.existing = {u.username: u for u in User.objects.filter(username__in=usernames)}
    areas = _Areas(street)
    candidates = [
        row for entry in rows if (row := _check_row(by, areas, entry, checked.existing, checked))
    ]
    by_username: dict[str, list[StaffRow]] = defaultdict(list)
    for row in candidates:
        by_username[row.username].append(row)
    for username, group in by_username.items():
        names = {row.full_name for row in group if row.full_name}
        phones = {row.phone for row in group if row.phone}
        if len(names) > 1 or len(phones) > 1:
            for row in group:
                checked.reject(
                    row.row,
                    "username",
                    f"账号{username}在多行中姓名或手机号不一致 / "
                    f"username {username} has different names or phones on different rows",
                )
            continue
        checked.valid.extend(group)
    checked.errors.sort(key=lambda error: error["row"])
    return checked
