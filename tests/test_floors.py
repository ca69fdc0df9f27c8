"""The floors (docs/adr/0010-floors.md): an app imports only the apps on the floors below its own.

The floor table is the layers contract in pyproject.toml, read here too, so there is one table.
import-linter checks the imports; it cannot see `apps.get_model("regions", …)`, a string naming a
model, so the second test reads every production module's syntax tree for those and fails on one
that names an app on a higher floor than the module's own. Tests inside the apps are outside both
checks: they build worlds across floors on purpose.
"""

import ast
import re
import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "wangge"


def floors() -> dict[str, int]:
    """App label → floor (0 is the bottom), from the layers contract: top first, siblings on one
    line joined by | or :, an optional layer in parentheses."""
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]
    (contract,) = [c for c in config["contracts"] if c["id"] == "floors"]
    layers = contract["layers"]
    table = {}
    for depth, layer in enumerate(layers):
        for app in re.split(r"[|:]", layer.strip("() ")):
            table[app.strip()] = len(layers) - 1 - depth
    return table


def _named_app(call: ast.Call) -> str | None:
    """The app label of `….get_model("app", "Model")` or `….get_model("app.Model")`."""
    if not (isinstance(call.func, ast.Attribute) and call.func.attr == "get_model"):
        return None
    if not call.args or not isinstance(call.args[0], ast.Constant):
        return None
    value = call.args[0].value
    return value.split(".")[0] if isinstance(value, str) else None


def _production_modules() -> list[Path]:
    return [
        path
        for path in sorted(PACKAGE.rglob("*.py"))
        if not {"migrations", "tests"} & set(path.relative_to(PACKAGE).parts)
    ]


def get_model_calls_above() -> set[tuple[str, str]]:
    """(module path, app) for every get_model() naming an app above the module's own floor."""
    table = floors()
    found = set()
    for path in _production_modules():
        parts = path.relative_to(PACKAGE).parts
        own = table.get(parts[0]) if len(parts) > 1 else None
        if own is None:
            continue  # settings, urls: the composition root, on no floor
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            app = _named_app(node) if isinstance(node, ast.Call) else None
            if app in table and table[app] > own:
                found.add((str(path.relative_to(ROOT)), app))
    return found


def test_the_floor_table_names_every_app():
    apps = {p.parent.name for p in PACKAGE.glob("*/apps.py")}
    assert apps <= set(floors()), apps - set(floors())
    assert floors()["core"] == 0
    assert floors()["front"] == floors()["demo"] > floors()["measures"] > floors()["command"]


def test_the_import_contracts_are_kept():
    lint = Path(sys.executable).parent / "lint-imports"
    done = subprocess.run(
        [str(lint), "--no-cache"], cwd=ROOT, capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stdout + done.stderr


def test_no_get_model_names_an_app_on_a_higher_floor():
    assert get_model_calls_above() == set()


def test_the_get_model_check_sees_a_call_naming_a_higher_floor():
    call = ast.parse('apps.get_model("measures", "PersonMeasure")').body[0].value
    assert _named_app(call) == "measures"
    call = ast.parse('apps.get_model("people.Person")').body[0].value
    assert _named_app(call) == "people"
    assert floors()["measures"] > floors()["people"]
