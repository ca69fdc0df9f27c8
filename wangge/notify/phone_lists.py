"""A list of phones imported from a sheet (.xlsx, .xls or .csv) for an SMS: read, check, keep.

The sheet has a column 手机/手机号/电话/phone and may have 姓名/name. Each phone is read with
phonenumbers as people type them (178-3401-9904, full-width digits, Excel's 17834019904.0, +86);
only mobiles can take an SMS. A row that cannot be read is reported with its number and not
saved; a phone met twice is kept once (with the first name given). Phones are stored sealed,
blind-indexed and masked like the register's. The file is parsed in a child process under
limits (ADR 0009), so a hostile file ends with a message, never with a crashed worker.
"""

import re
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.core.files import File
from django.db import transaction

from wangge.core import crypto
from wangge.core.identity import IdentityError, normalise_text, parse_phones
from wangge.core.masking import mask_phone
from wangge.core.origin import Origin
from wangge.core.services import audit_record
from wangge.core.sheet_process import TableError
from wangge.core.spreadsheets import NoHeaderRow, read_table
from wangge.notify.models import SavedList, SavedListEntry
from wangge.notify.places import own_place, street_choose
from wangge.regions.models import Street

KIND = "notify_phones"
COLUMNS = {
    "phone": ("手机", "手机号", "手机号码", "电话", "电话号码", "联系电话", "phone", "mobile"),
    "name": ("姓名", "name"),
}
SYNONYMS = {
    variant: key
    for key, names in COLUMNS.items()
    for name in names
    for variant in (name, name.title(), name.upper())
}
MOBILE = re.compile(r"^1\d{10}$")
REPORTED_ERRORS = 200


class PhoneListError(ValueError):
    """The file gives no list: unreadable, no phone column, or no valid phone; bilingual."""

    def __init__(self, message: str, errors: list[dict[str, Any]] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.errors = errors or []


@dataclass
class PhoneSheet:
    """What a sheet gives: phones (normalised → name), rows refused (row, column, reason), and
    how many repeats were merged."""

    phones: dict[str, str] = field(default_factory=dict)
    errors: list[dict[str, Any]] = field(default_factory=list)
    merged: int = 0


def _read(path: Path, original_name: str) -> Any:
    try:
        return read_table(
            path, SYNONYMS, required=1, needs=("phone",), original_name=original_name, kind=KIND
        )
    except NoHeaderRow as error:
        raise PhoneListError(
            "找不到“手机号”列 / no column named 手机号 (phone) in the first rows"
        ) from error
    except TableError as error:
        raise PhoneListError(f"无法读取文件（{error}） / cannot read the file ({error})") from error


def phone_list_read(upload: File | Path) -> PhoneSheet:
    """Read and check a sheet of phones without writing anything."""
    name = Path(upload).name if isinstance(upload, Path) else Path(upload.name or "").name
    suffix = Path(name).suffix.lower() or ".xlsx"
    with tempfile.NamedTemporaryFile(suffix=suffix) as handle:
        if isinstance(upload, Path):
            handle.write(upload.read_bytes())
        else:
            upload.seek(0)
            for chunk in upload.chunks():
                handle.write(chunk)
        handle.flush()
        table = _read(Path(handle.name), name or f"upload{suffix}")
    sheet = PhoneSheet()
    for row in table.rows:
        text = row.values.get("phone", "")
        try:
            found = parse_phones(text)
        except IdentityError as error:
            sheet.errors.append({"row": row.number, "column": "手机号", "reason": str(error)})
            continue
        label = normalise_text(row.values.get("name", ""))[:50]
        for phone in filter(None, (found.first, found.second)):
            if not MOBILE.match(phone):
                sheet.errors.append(
                    {
                        "row": row.number,
                        "column": "手机号",
                        "reason": f"“{phone}”不是手机号，无法接收短信 / '{phone}' is not a "
                        "mobile number and cannot take an SMS",
                    }
                )
            elif phone in sheet.phones:
                sheet.merged += 1
                sheet.phones[phone] = sheet.phones[phone] or label
            else:
                sheet.phones[phone] = label
    return sheet


@transaction.atomic
def phone_list_import(
    *, by: Any, origin: Origin, name: str, upload: File | Path, street: Street | str | None
) -> SavedList:
    """Keep the valid phones of a sheet as a saved list of the importer's own area (their grid,
    community or street; the street for the system), audited with the rows refused.
    PhoneListError when the file gives no phone at all; AudienceError when `by` holds no area."""
    name = normalise_text(name)[:80]
    if not name:
        raise PhoneListError("请填写名单名称 / the list needs a name")
    chosen = street if isinstance(street, Street) else street_choose(street, by)
    place = own_place(by, chosen)
    sheet = phone_list_read(upload)
    if not sheet.phones:
        raise PhoneListError(
            "文件中没有可用的手机号 / the file holds no usable mobile number", sheet.errors
        )
    community, grid = place.narrowest
    saved = SavedList.objects.create(
        street=chosen,
        community_id=community,
        grid_id=grid,
        name=name,
        owner=by if getattr(by, "pk", None) else None,
    )
    SavedListEntry.objects.bulk_create(
        (
            SavedListEntry(
                saved_list=saved,
                label=label,
                phone_sealed=crypto.seal(phone),
                phone_hash=crypto.blind_index(phone),
                phone_masked=mask_phone(phone),
            )
            for phone, label in sheet.phones.items()
        ),
        batch_size=1000,
    )
    audit_record(
        actor=by,
        action="import",
        target=saved,
        changes={
            "saved": len(sheet.phones),
            "merged": sheet.merged,
            "rejected": len(sheet.errors),
            "rejected_rows": [error["row"] for error in sheet.errors[:REPORTED_ERRORS]],
        },
        origin=origin,
    )
    return saved
