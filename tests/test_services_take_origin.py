"""Services take `by` and `origin`, never the request: no services module (`services.py`, or a
module of a `services/` package) imports HttpRequest or has a parameter named `request`, so a
view, an API view, a task and a command call every write the same way."""

import ast
from pathlib import Path

import pytest

WANGGE = Path(__file__).resolve().parent.parent / "wangge"


def services_modules() -> list[Path]:
    found = set(WANGGE.rglob("services.py")) | set(WANGGE.rglob("services/*.py"))
    return sorted(path for path in found if "tests" not in path.relative_to(WANGGE).parts)


def request_uses(source: str) -> list[str]:
    """Where a module reaches for the request: HttpRequest imported or named, or a parameter
    called `request`; one line per finding."""
    findings = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.ImportFrom) and any(
            alias.name == "HttpRequest" for alias in node.names
        ):
            findings.append(f"line {node.lineno}: imports HttpRequest")
        elif isinstance(node, ast.Attribute) and node.attr == "HttpRequest":
            findings.append(f"line {node.lineno}: names HttpRequest")
        elif isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda):
            arguments = node.args
            names = [
                argument.arg
                for argument in (
                    *arguments.posonlyargs,
                    *arguments.args,
                    *arguments.kwonlyargs,
                    *(extra for extra in (arguments.vararg, arguments.kwarg) if extra),
                )
            ]
            if "request" in names:
                findings.append(f"line {node.lineno}: a parameter named request")
    return findings


def test_the_services_modules_are_found():
    modules = {path.relative_to(WANGGE).as_posix() for path in services_modules()}
    assert "core/services.py" in modules
    assert "checkpoints/services/scans.py" in modules
    assert len(modules) > 20


@pytest.mark.parametrize(
    "path", services_modules(), ids=lambda path: path.relative_to(WANGGE).as_posix()
)
def test_no_services_module_takes_the_request(path):
    assert request_uses(path.read_text(encoding="utf-8")) == []


@pytest.mark.parametrize(
    "source",
    [
        "from django.http import HttpRequest\n",
        "import django.http\ndef f(*, r: django.http.HttpRequest) -> None: ...\n",
        "def person_update(*, by, person, request=None): ...\n",
        "def f(request, /): ...\n",
        "class A:\n    def m(self, request): ...\n",
    ],
)
def test_the_check_sees_a_request_however_it_is_written(source):
    assert request_uses(source)


def test_the_check_lets_by_and_origin_pass():
    source = (
        "from wangge.core.origin import Origin\n"
        "def person_update(*, by, person, origin: Origin = Origin.SYSTEM): ...\n"
    )
    assert request_uses(source) == []
