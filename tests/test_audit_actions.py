"""Every audit action written in the code fits the audit log's column: PostgreSQL refuses a longer
one where SQLite would store it, so a change could pass the quick suite and fail the street."""

import ast
from pathlib import Path

from wangge.core.models import AuditEntry

ROOT = Path(__file__).resolve().parent.parent / "wangge"


def literal_actions() -> list[tuple[str, str]]:
    """(file, action) of every `action="…"` keyword given to a call named audit_record."""
    found = []
    for path in ROOT.rglob("*.py"):
        if "migrations" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if not isinstance(node, ast.Call):
                continue
            name = getattr(node.func, "id", getattr(node.func, "attr", ""))
            if name != "audit_record":
                continue
            for keyword in node.keywords:
                value = keyword.value
                if keyword.arg == "action" and isinstance(value, ast.Constant):
                    found.append((str(path.relative_to(ROOT)), str(value.value)))
    return found


def test_every_audit_action_fits_its_column():
    limit = AuditEntry._meta.get_field("action").max_length
    actions = literal_actions()
    assert len(actions) > 100
    assert [(path, action) for path, action in actions if len(action) > limit] == []
