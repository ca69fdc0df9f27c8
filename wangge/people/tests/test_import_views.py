"""The roster pages through the Django test client: upload → preview → confirm → result → undo."""

from collections.abc import Iterator
from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from huey.contrib.djhuey import HUEY
from openpyxl import load_workbook

from wangge.core.jobs.models import Job
from wangge.core.jobs.services import job_create
from wangge.core.models import AuditEntry
from wangge.people.importing.headers import CANONICAL_HEADERS
from wangge.people.models import ImportBatch, Person
from wangge.people.tests.roster_files import person_row, write_roster


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def immediate_tasks() -> Iterator[None]:
    before = HUEY.immediate
    HUEY.immediate = True
    yield
    HUEY.immediate = before


def login(client, user):
    client.force_login(user)
    return client


def upload(client, path, street="江南街道"):
    with path.open("rb") as handle:
        file = SimpleUploadedFile(path.name, handle.read())
    return client.post(reverse("imports:upload"), {"street": street, "file": file})


def roster(tmp_path):
    rows = [person_row(101, "周一"), person_row(102, "吴二"), person_row(103, "郑三", 联系电话="1")]
    return write_roster(tmp_path / "花名册.xlsx", rows)


def test_carol_uploads_previews_and_confirms(client, world, tmp_path):
    # given
    login(client, world.users["carol"])

    # when she uploads, the preview counts but writes nothing
    response = upload(client, roster(tmp_path))
    batch = ImportBatch.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("imports:detail", args=[batch.pk])
    page = client.get(response["Location"])
    assert page.context["batch"].status == ImportBatch.Status.PREVIEWED
    assert page.context["batch"].counts == {
        "created": 2,
        "updated": 0,
        "unchanged": 0,
        "rejected": 1,
        "warnings": 0,
    }
    assert "确认导入" in page.text and "联系电话" in page.text
    assert not Person.objects.filter(name="周一").exists()

    # when she confirms
    response = client.post(reverse("imports:confirm", args=[batch.pk]))

    # then
    assert response.status_code == 302
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.DONE
    assert Person.objects.filter(name__in=["周一", "吴二"]).count() == 2
    page = client.get(reverse("imports:detail", args=[batch.pk]))
    assert 'data-testid="undo-import"' in page.text
    assert AuditEntry.objects.filter(action="import", actor=world.users["carol"]).exists()


def test_error_report_lists_rejected_rows_with_row_number_and_reason(client, world, tmp_path):
    login(client, world.users["carol"])
    upload(client, roster(tmp_path))
    batch = ImportBatch.objects.get()

    response = client.get(reverse("imports:report", args=[batch.pk]))

    sheet = load_workbook(BytesIO(b"".join(response.streaming_content))).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("行号", "错误原因", "姓名")
    assert rows[1][0] == "4" and "联系电话" in rows[1][1] and rows[1][2] == "郑三"
    assert len(rows) == 2


def test_a_confirmed_batch_cannot_be_confirmed_twice(client, world, tmp_path):
    login(client, world.users["carol"])
    upload(client, roster(tmp_path))
    batch = ImportBatch.objects.get()
    client.post(reverse("imports:confirm", args=[batch.pk]))

    client.post(reverse("imports:confirm", args=[batch.pk]))

    assert Person.objects.filter(name="周一").count() == 1


def test_undo_from_the_result_page(client, world, tmp_path):
    login(client, world.users["carol"])
    upload(client, roster(tmp_path))
    batch = ImportBatch.objects.get()
    client.post(reverse("imports:confirm", args=[batch.pk]))

    client.post(reverse("imports:undo", args=[batch.pk]))

    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.UNDONE
    assert not Person.objects.filter(name__in=["周一", "吴二"]).exists()


def test_large_files_run_as_tasks_with_a_progress_part(
    client, world, tmp_path, settings, immediate_tasks
):
    # given files above one row run in the task worker
    settings.WANGGE = {
        **settings.WANGGE,
        "JOB_INLINE_MAX": {
            **settings.WANGGE["JOB_INLINE_MAX"],
            "roster.preview": 1,
            "roster.import": 1,
        },
    }
    login(client, world.users["carol"])

    upload(client, roster(tmp_path))
    batch = ImportBatch.objects.get()
    progress = client.get(reverse("imports:progress", args=[batch.pk]))
    assert progress.context["batch"].status == ImportBatch.Status.PREVIEWED
    client.post(reverse("imports:confirm", args=[batch.pk]))

    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.DONE
    assert batch.counts["created"] == 2


def test_the_progress_part_polls_while_the_batch_runs(client, world, tmp_path):
    login(client, world.users["carol"])
    upload(client, roster(tmp_path))
    batch = ImportBatch.objects.get()
    job = job_create(kind="roster.import", owner=world.users["carol"], total=4)
    Job.objects.filter(pk=job.pk).update(done=1)
    ImportBatch.objects.filter(pk=batch.pk).update(status=ImportBatch.Status.IMPORTING, job=job)

    part = client.get(reverse("imports:progress", args=[batch.pk]))

    assert 'hx-trigger="every 1s"' in part.text
    assert reverse("imports:progress", args=[batch.pk]) in part.text
    assert 'value="25"' in part.text


def test_an_unreadable_file_is_refused_on_the_form(client, world, tmp_path):
    login(client, world.users["carol"])
    path = tmp_path / "notes.xlsx"
    path.write_bytes(b"not a spreadsheet")

    response = upload(client, path)

    assert response.status_code == 422
    assert "无法读取" in response.text
    assert not ImportBatch.objects.exists()


def test_someone_elses_batch_is_not_found(client, world, tmp_path):
    login(client, world.users["carol"])
    upload(client, roster(tmp_path))
    batch = ImportBatch.objects.get()
    status = batch.status
    client.logout()
    login(client, world.users["alice"])

    assert client.get(reverse("imports:detail", args=[batch.pk])).status_code == 404
    assert client.post(reverse("imports:confirm", args=[batch.pk])).status_code == 404

    # and the batch is where it was: nobody of the roster was written
    batch.refresh_from_db()
    assert batch.status == status != ImportBatch.Status.DONE
    assert not Person.objects.filter(name__in=["周一", "吴二"]).exists()


@pytest.mark.parametrize("name", ["imports:upload", "imports:template", "imports:export"])
def test_a_grid_worker_can_neither_import_nor_export(client, world, name):
    login(client, world.users["gavin"])

    assert client.get(reverse(name)).status_code == 403


def test_a_grid_worker_cannot_post_an_upload(client, world, tmp_path):
    login(client, world.users["gavin"])

    response = upload(client, roster(tmp_path))

    assert response.status_code == 403
    assert not ImportBatch.objects.exists()


def test_template_has_the_canonical_headers_and_an_example_row(client, world):
    login(client, world.users["carol"])

    response = client.get(reverse("imports:template"))

    sheet = load_workbook(BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[0]) == list(CANONICAL_HEADERS)
    assert rows[1][0] == "张三"
    assert len(rows) == 2


def test_an_import_run_by_the_worker_is_audited_with_the_confirming_requests_origin(
    client, world, tmp_path, settings, immediate_tasks
):
    settings.WANGGE = {
        **settings.WANGGE,
        "JOB_INLINE_MAX": {**settings.WANGGE["JOB_INLINE_MAX"], "roster.import": 0},
    }
    login(client, world.users["carol"])
    upload(client, roster(tmp_path))
    batch = ImportBatch.objects.get()

    client.post(
        reverse("imports:confirm", args=[batch.pk]),
        REMOTE_ADDR="203.0.113.9",
        HTTP_USER_AGENT="Firefox/140",
    )

    entry = AuditEntry.objects.get(action="import", target_id=str(batch.pk))
    assert (entry.ip, entry.user_agent) == ("203.0.113.9", "Firefox/140")
