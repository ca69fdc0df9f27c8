"""Services take `by` and `origin`, never the request: no services module (`services.py`, or a
module of a `services/` package) imports HttpRequest or has a parameter named `request`, and no
other module below the views (selectors, importers, colour decisions, tasks, …) has a parameter
named `request`, so a view, an API view, a task and a command call every write the same way."""

import ast
from pathlib import Path

import pytest

WANGGE = Path(__file__).resolve().parent.parent / "wangge"


# Modules that speak HTTP, or whose functions Django calls with the request.
HTTP_FOLDERS = {"views", "api", "browse", "templatetags", "tests", "migrations"}
HTTP_FILES = {
    "admin.py",  # ModelAdmin hooks: Django passes the request (has_add_permission, …)
    "middleware.py",
    "decorators.py",
    "context_processors.py",
    "http.py",
    "origin.py",  # builds the Origin from the request
    "htmx.py",
    "csp.py",
    "shortcuts.py",
}

# Further modules allowed a `request` parameter, each with its reason.
EXCEPTIONS = {
    "core/pdf.py": "renders a template as Django's render() does, with the request's context",
    "accounts/signals.py": "receivers of Django's user_logged_in/out signals, sent with the request",
    "devices/hook.py": "the cameras' HTTP hook: a view under another name",
    "people/area_api.py": "an API module (people's area endpoints)",
    "residents/auth.py": "the portal's cookie: read from the request, set on the response",
}


def _relative(path: Path) -> str:
    return path.relative_to(WANGGE).as_posix()


def services_modules() -> list[Path]:
    found = set(WANGGE.rglob("services.py")) | set(WANGGE.rglob("services/**/*.py"))
    return sorted(
        path
        for path in found
        if "tests" not in path.relative_to(WANGGE).parts and _relative(path) not in EXCEPTIONS
    )


def below_the_views() -> list[Path]:
    """Every module but the ones that speak HTTP, the exceptions and the services modules (which
    the stricter check covers)."""
    found, services = [], set(services_modules())
    for path in WANGGE.rglob("*.py"):
        folders, name = path.relative_to(WANGGE).parts[:-1], path.name
        if HTTP_FOLDERS.intersection(folders) or name in HTTP_FILES:
            continue
        if name.startswith(("views", "api")) or name.endswith("_views.py"):
            continue
        if _relative(path) in EXCEPTIONS or path in services:
            continue
        found.append(path)
    return sorted(found)


def request_parameters(source: str) -> list[str]:
    """The lines of the functions that take a parameter called `request`."""
    return [line for line in request_uses(source) if line.endswith("a parameter named request")]


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


@pytest.mark.parametrize("path", services_modules(), ids=_relative)
def test_no_services_module_takes_the_request(path):
    assert request_uses(path.read_text(encoding="utf-8")) == []


def test_the_modules_below_the_views_are_found():
    modules = {_relative(path) for path in below_the_views()}
    assert {"colours/overrides.py", "colours/zones.py", "testing/selectors/coverage.py"} <= modules
    assert "testing/services/lab/importing.py" in {_relative(p) for p in services_modules()}
    assert not modules & {"core/admin.py", "core/views.py", "testing/views/rounds.py"}


@pytest.mark.parametrize("path", below_the_views(), ids=_relative)
def test_no_module_below_the_views_takes_the_request(path):
    assert request_parameters(path.read_text(encoding="utf-8")) == []


@pytest.mark.parametrize("module", sorted(EXCEPTIONS))
def test_each_exception_is_still_needed(module):
    assert request_parameters((WANGGE / module).read_text(encoding="utf-8"))


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
