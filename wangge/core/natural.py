"""Natural order for the names people number: 2幢 before 10幢, 2单元 before 10单元, 302 before 1101,
十二幢 after 九幢.

`natural_sort_key` turns a name into a string whose plain order is the natural order, so that it can
be stored beside the name, indexed, and ordered by the database (paginated lists, SQLite and
PostgreSQL alike). The key holds only the characters 0-9 and a-f, which every collation orders as
ASCII does. Each run of digits (full-width too) or of Chinese numerals becomes "0" and the number in
ten digits (larger numbers count as 9,999,999,999); every other character becomes "1" and its code
point in six hex digits, after NFKC and case folding (Ａ座 and a座 sort together). A number sorts
before a letter or a character at the same place.

`NaturalKeyField` stores the key of another field of the same row, computed whenever Django writes
the row (save, create, bulk_create: the field's pre_save); code that writes rows without the ORM
computes it with `natural_sort_key`.
"""

import re
import unicodedata
from collections.abc import Sequence
from typing import Any

from django.db import models

_WIDTH = 10
_LARGEST = 10**_WIDTH - 1
_DIGITS = {
    ch: n
    for n, chars in enumerate(["〇零", "一", "二两", "三", "四", "五", "六", "七", "八", "九"])
    for ch in chars
}
_UNITS = {"十": 10, "百": 100, "千": 1000}
_RUN = re.compile(rf"(\d+|[{''.join(_DIGITS)}{''.join(_UNITS)}]+)")
KEY_CHARS_PER_CHAR = 7  # the longest key of a name of n characters is 7 n


def chinese_number(text: str) -> int:
    """一 → 1, 十二 → 12, 二十 → 20, 一百零五 → 105; digits without units read digit by digit
    (二〇二 → 202)."""
    if not any(ch in _UNITS for ch in text):
        return int("".join(str(_DIGITS[ch]) for ch in text))
    total = current = 0
    for ch in text:
        if ch in _UNITS:
            total += (current or 1) * _UNITS[ch]
            current = 0
        else:
            current = _DIGITS[ch]
    return total + current


def natural_sort_key(text: str | None) -> str:
    """The key whose plain string order is the natural order of `text`."""
    normal = unicodedata.normalize("NFKC", text or "").strip().casefold()
    parts: list[str] = []
    for index, run in enumerate(_RUN.split(normal)):
        if index % 2:
            number = int(run) if run.isdigit() else chinese_number(run)
            parts.append(f"0{min(number, _LARGEST):0{_WIDTH}d}")
        else:
            parts.extend(f"1{ord(ch):06x}" for ch in run)
    return "".join(parts)


class NaturalKeyField(models.CharField):
    """The natural sort key of the field named `source`, kept current on every ORM write."""

    def __init__(self, *args: Any, source: str = "", **kwargs: Any) -> None:
        self.source = source
        kwargs.setdefault("editable", False)
        kwargs.setdefault("default", "")
        super().__init__(*args, **kwargs)

    def deconstruct(self) -> tuple[str, str, Sequence[Any], dict[str, Any]]:
        name, path, args, kwargs = super().deconstruct()
        kwargs["source"] = self.source
        return name, path, args, kwargs

    def pre_save(self, model_instance: models.Model, add: bool) -> str:
        key = natural_sort_key(getattr(model_instance, self.source))
        setattr(model_instance, self.attname, key)
        return key


class NaturalKeysMixin(models.Model):
    """A model with natural keys: `save(update_fields=[...])` naming a key's source writes the key
    too."""

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        fields = kwargs.get("update_fields")
        if fields is not None:
            keys = [
                field.name
                for field in self._meta.concrete_fields
                if isinstance(field, NaturalKeyField) and field.source in fields
            ]
            kwargs["update_fields"] = [*fields, *keys]
        super().save(*args, **kwargs)
