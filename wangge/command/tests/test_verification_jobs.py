"""A verification list too large for the upload is read by the worker as a job; the page and the API
call the same service, and a job run twice reads the list once."""

import pytest
from django.db.models import Count
from django.urls import reverse
from huey.contrib.djhuey import HUEY
from rest_framework.test import APIClient

from wangge.command.models import VerificationList, VerificationRow
from wangge.command.services.verification_jobs import verification_list_job, verification_list_start
from wangge.command.tests.lists import standard_rows, write_list
from wangge.core.jobs.models import Job
from wangge.core.models import AuditEntry
from wangge.core.origin import Origin


@pytest.fixture
def to_the_worker(settings):
    settings.WANGGE = {
        **settings.WANGGE,
        "JOB_INLINE_MAX": {**settings.WANGGE["JOB_INLINE_MAX"], "verification.import": 0},
    }
    before = HUEY.immediate
    HUEY.immediate = True
    yield
    HUEY.immediate = before


def test_a_large_list_is_read_by_the_worker_as_a_job_and_only_once(world, tmp_path, to_the_worker):
    path = write_list(tmp_path / "list.xlsx", standard_rows())

    with path.open("rb") as stream:
        vlist = verification_list_start(
            size=path.stat().st_size,
            street=world.street,
            stream=stream,
            original_name="list.xlsx",
            by=world.users["alice"],
        )

    vlist.refresh_from_db()
    assert vlist.status == VerificationList.Status.READY and vlist.rows_total == 8
    assert vlist.job.kind == "verification.import" and vlist.job.status == Job.Status.DONE
    assert vlist.job.counts == {"rows": 8, "matched": 5, "unmatched": 2, "rejected": 1}
    # a second run of the same job (its worker thought dead) reads nothing again
    verification_list_job(vlist.job, lambda done, total: None)
    assert VerificationRow.objects.filter(list=vlist).count() == 8
    assert not (
        VerificationRow.objects.values("list", "row_number").annotate(n=Count("pk")).filter(n__gt=1)
    )


def test_the_api_answers_created_for_a_list_queued_to_the_worker(world, tmp_path, to_the_worker):
    path = write_list(tmp_path / "list.xlsx", standard_rows())
    api = APIClient()
    api.force_authenticate(world.users["alice"])

    with path.open("rb") as stream:
        answer = api.post(
            "/api/command/verification-lists/",
            {"file": stream, "street": world.street.pk},
            format="multipart",
        )

    assert answer.status_code == 201, answer.content
    assert VerificationList.objects.get().job.status == Job.Status.DONE


def test_a_list_read_by_the_worker_keeps_the_uploads_origin(client, world, tmp_path, to_the_worker):
    client.force_login(world.users["alice"])
    path = write_list(tmp_path / "list.xlsx", standard_rows())

    with path.open("rb") as stream:
        client.post(
            reverse("command:verification_upload"),
            {"file": stream, "street": world.street.pk},
            REMOTE_ADDR="203.0.113.9",
            HTTP_USER_AGENT="Firefox/140",
        )

    vlist = VerificationList.objects.get()
    assert vlist.status == VerificationList.Status.READY
    assert vlist.job.origin == Origin(ip="203.0.113.9", agent="Firefox/140")
    entry = AuditEntry.objects.get(action="import", target_id=str(vlist.pk))
    assert (entry.ip, entry.user_agent) == ("203.0.113.9", "Firefox/140")
