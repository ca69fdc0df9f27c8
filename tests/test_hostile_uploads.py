"""Every import path meets a sparse sheet, a zip bomb and a parser that dies: each answers with a
clear message, writes nothing, keeps no stored upload, and the server goes on serving."""

from collections.abc import Callable, Iterator
from io import StringIO
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import Client
from django.urls import reverse
from huey.contrib.djhuey import HUEY
from rest_framework.test import APIClient

from wangge.accounts.models import StaffImport
from wangge.command.models import VerificationList
from wangge.core import sheet_process
from wangge.core.tests.hostile_files import bomb_xlsx, sparse_xlsx
from wangge.people.models import ImportBatch, Person
from wangge.testing.models import LabResult, ResultImport

KINDS = ["sparse", "bomb", "abort"]
MESSAGES = {"sparse": "超过上限256列", "bomb": "超过上限1 MB", "abort": "信号SIGABRT"}


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def hostile(request, settings, monkeypatch, tmp_path) -> Callable[[], Path]:
    """hostile() → the path of a fresh hostile .xlsx of the kind the test is parametrised with."""
    kind = request.param
    if kind == "abort":
        if connection.vendor != "postgresql":
            pytest.skip("tests that kill processes run on PostgreSQL only")
        monkeypatch.setattr(sheet_process, "CHILD_MODULE", "wangge.core.tests.aborting_parser")
    if kind == "bomb":
        settings.WANGGE = {**settings.WANGGE, "SHEET_MAX_MEMBER_BYTES": 1024 * 1024}
    counter = iter(range(100))

    def make() -> Path:
        path = tmp_path / f"upload{next(counter)}.xlsx"
        if kind == "sparse":
            return sparse_xlsx(path)
        if kind == "bomb":
            return bomb_xlsx(path, 2 * 1024 * 1024)
        return sparse_xlsx(path)  # any file: the parser dies before reading it

    make.message = MESSAGES[kind]  # type: ignore[attr-defined]
    return make


@pytest.fixture
def immediate_tasks() -> Iterator[None]:
    before = HUEY.immediate
    HUEY.immediate = True
    yield
    HUEY.immediate = before


def upload_of(path: Path) -> SimpleUploadedFile:
    return SimpleUploadedFile(path.name, path.read_bytes())


def stored_files(settings) -> list[Path]:
    root = Path(settings.MEDIA_ROOT)
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def still_serving(client: Client, world) -> None:
    client.force_login(world.users["alice"])
    assert client.get(reverse("front:home")).status_code == 200


parametrise = pytest.mark.parametrize("hostile", KINDS, indirect=True)


@parametrise
def test_roster_upload_page(client, world, hostile, settings):
    client.force_login(world.users["carol"])
    answer = client.post(
        reverse("imports:upload"), {"street": "江南街道", "file": upload_of(hostile())}
    )

    assert answer.status_code == 422
    assert hostile.message in answer.content.decode()
    assert not ImportBatch.objects.exists() and stored_files(settings) == []
    still_serving(client, world)


@parametrise
def test_roster_command(client, world, hostile, settings):
    persons = Person.objects.count()

    with pytest.raises(CommandError, match=hostile.message):
        call_command("import_roster", str(hostile()), "--street", "江南街道", stdout=StringIO())

    assert Person.objects.count() == persons and not ImportBatch.objects.exists()
    assert stored_files(settings) == []
    still_serving(client, world)


@parametrise
def test_staff_import_page(client, world, hostile, settings):
    client.force_login(world.users["carol"])
    answer = client.post(
        reverse("accounts:staff_import"), {"street": world.street.pk, "file": upload_of(hostile())}
    )

    assert answer.status_code == 422
    assert hostile.message in answer.content.decode()
    assert not StaffImport.objects.exists()
    still_serving(client, world)


@parametrise
def test_lab_result_upload_page(client, world, hostile, settings):
    client.force_login(world.users["carol"])
    answer = client.post(reverse("testing:import_upload"), {"file": upload_of(hostile())})

    assert answer.status_code == 422
    assert hostile.message in answer.content.decode()
    assert not LabResult.objects.exists() and not ResultImport.objects.exists()
    still_serving(client, world)


@parametrise
def test_lab_result_api_inline(client, world, hostile, settings):
    api = APIClient()
    api.force_authenticate(world.users["carol"])
    answer = api.post(
        "/api/testing/results/import/", {"file": upload_of(hostile())}, format="multipart"
    )

    assert answer.status_code == 400
    assert hostile.message in answer.json()["file"][0]
    assert not LabResult.objects.exists() and not ResultImport.objects.exists()
    still_serving(client, world)


@parametrise
def test_lab_result_api_through_the_task_worker(client, world, hostile, settings, immediate_tasks):
    # given a file large enough to go to the task worker
    settings.WANGGE = {
        **settings.WANGGE,
        "JOB_INLINE_MAX": {**settings.WANGGE["JOB_INLINE_MAX"], "lab.import": 0},
    }
    api = APIClient()
    api.force_authenticate(world.users["carol"])

    answer = api.post(
        "/api/testing/results/import/", {"file": upload_of(hostile())}, format="multipart"
    )

    # then the worker marks the import failed, with why, and deletes the upload
    assert answer.status_code == 202
    batch = ResultImport.objects.get()
    assert batch.status == ResultImport.Status.FAILED and hostile.message in batch.message
    assert not batch.file and stored_files(settings) == []
    assert not LabResult.objects.exists()
    still_serving(client, world)


@parametrise
def test_lab_result_command(client, world, hostile, settings):
    with pytest.raises(CommandError, match=hostile.message):
        call_command("import_results", str(hostile()), stdout=StringIO())

    assert not LabResult.objects.exists() and not ResultImport.objects.exists()
    still_serving(client, world)


@parametrise
def test_verification_list_upload_page(client, world, hostile, settings):
    client.force_login(world.users["alice"])
    answer = client.post(
        reverse("command:verification_upload"),
        {"file": upload_of(hostile()), "street": world.street.pk},
    )

    assert answer.status_code == 422
    assert hostile.message in answer.content.decode()
    assert not VerificationList.objects.exists() and stored_files(settings) == []
    still_serving(client, world)


@parametrise
def test_verification_list_command(client, world, hostile, settings):
    with pytest.raises(CommandError, match=hostile.message):
        call_command(
            "import_verification_list", str(hostile()), "--street", "江南街道", stdout=StringIO()
        )

    assert not VerificationList.objects.exists() and stored_files(settings) == []
    still_serving(client, world)


def test_a_verification_list_larger_than_its_kind_allows_is_refused(
    client, world, settings, tmp_path
):
    # given a plain list of 30 rows × 3 columns, and verification lists capped at 60 cells
    from openpyxl import Workbook

    workbook = Workbook()
    workbook.active.append(["姓名", "身份证号", "备注"])
    for number in range(30):
        workbook.active.append([f"人员{number}", f"33010219800517{number:04d}", ""])
    path = tmp_path / "list.xlsx"
    workbook.save(path)
    settings.WANGGE = {**settings.WANGGE, "SHEET_MAX_CELLS_BY_KIND": {"verification": 60}}

    # when it is imported, then it is refused by its size before anything is written
    with pytest.raises(CommandError, match="超过上限60个单元格"):
        call_command(
            "import_verification_list", str(path), "--street", "江南街道", stdout=StringIO()
        )
    assert not VerificationList.objects.exists()

    # and under the general limit alone the same file is read
    settings.WANGGE = {**settings.WANGGE, "SHEET_MAX_CELLS_BY_KIND": {}}
    call_command("import_verification_list", str(path), "--street", "江南街道", stdout=StringIO())
    assert VerificationList.objects.count() == 1
