"""The English catalogue holds each message once: a message defined twice makes `msgfmt --check`
fail, and which of the two translations wins is left to the compiler."""

import ast
from collections import Counter
from pathlib import Path

CATALOGUE = Path(__file__).resolve().parent.parent / "wangge/locale/en/LC_MESSAGES/django.po"


def messages(text: str) -> list[tuple[str, str]]:
    """(context, message id) of every entry, in order; a value may continue on "…" lines."""
    entries: list[tuple[str, str]] = []
    parts, field = {"msgctxt": "", "msgid": ""}, ""
    for line in text.splitlines():
        keyword, _, rest = line.partition(" ")
        if keyword == "msgctxt" or (keyword == "msgid" and field != "msgctxt"):
            parts = {"msgctxt": "", "msgid": ""}
        if keyword in parts:
            field = keyword
            parts[field] += ast.literal_eval(rest)
        elif keyword.startswith("msgstr") and field:  # msgstr[1] … of a plural adds nothing
            entries.append((parts["msgctxt"], parts["msgid"]))
            field = ""
        elif keyword == "msgid_plural":
            field = "plural"
        elif line.startswith('"') and field in parts:
            parts[field] += ast.literal_eval(line)
    return entries


def test_every_message_is_defined_once():
    twice = [key for key, count in Counter(messages(CATALOGUE.read_text())).items() if count > 1]
    assert twice == []


def test_the_reader_sees_contexts_and_continued_lines():
    text = (
        'msgctxt "a"\nmsgid "x"\nmsgstr "1"\n\nmsgid ""\n"x"\nmsgstr "2"\n\n'
        'msgid "%(n)s"\nmsgid_plural "%(n)ss"\nmsgstr[0] "1"\nmsgstr[1] "2"\n'
    )
    assert messages(text) == [("a", "x"), ("", "x"), ("", "%(n)s")]
    assert messages(CATALOGUE.read_text())[0] == ("", "")  # the header
