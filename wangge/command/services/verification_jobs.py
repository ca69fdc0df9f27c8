"""A verification list as a job (core.jobs): the upload page's and the API's import, the command
line's, and the list's format as an Importer, run by the worker for a large file.

A small upload is read at once in the upload's transaction (verification.verification_list_import);
a larger one is stored, then read by the worker; the command line's runs as a job in its own
process whatever the file's size.
"""

from typing import Any, Unpack

from django.core.exceptions import ValidationError
from django.db import transaction

from wangge.command.models import VerificationList
from wangge.command.services.verification import (
    ListPlan,
    ListUpload,
    list_parse,
    list_plan,
    list_write,
    verification_list_create,
    verification_list_import,
)
from wangge.core.jobs.importer import register_importer
from wangge.core.jobs.models import Job
from wangge.core.jobs.runner import JobFailed, job_start
from wangge.core.jobs.services import inline, job_create
from wangge.core.origin import Origin


def verification_list_start(*, size: int, **upload: Unpack[ListUpload]) -> VerificationList:
    """The upload page's and the API's import: a small file (settings.WANGGE["JOB_INLINE_MAX"]
    ["verification.import"] bytes) at once, as verification_list_import; a larger one stored, then
    read by the worker as a job."""
    if inline("verification.import", size):
        return verification_list_import(**upload)
    with transaction.atomic():
        vlist = verification_list_create(**upload)
        job = job_create(
            kind="verification.import",
            owner=vlist.created_by,
            total=size,
            origin=upload.get("origin", Origin.SYSTEM),
        )
        VerificationList.objects.filter(pk=vlist.pk).update(job=job)
    job_start(job, size=size)
    return vlist


def verification_list_run(*, command: str, **upload: Unpack[ListUpload]) -> VerificationList:
    """The command line's import (`command` names it): the list and its job, run in this process
    whatever the file's size, in one transaction, so the list, its job and its rows land together,
    or nothing does. A file that cannot be read raises ValidationError with the reason."""
    with transaction.atomic():
        vlist = verification_list_create(**upload)
        size = vlist.file.size
        job = job_create(
            kind="verification.import",
            owner=vlist.created_by,
            total=size,
            origin=upload.get("origin", Origin.SYSTEM),
            command=command,
        )
        VerificationList.objects.filter(pk=vlist.pk).update(job=job)
        job_start(job, size=size, here=True)
        vlist.refresh_from_db()
        if vlist.status == VerificationList.Status.FAILED:
            raise ValidationError(vlist.message, code="unreadable")
    return vlist


class ListImporter:
    """The verification list's format, run as a job by core.jobs.importer."""

    def parse(self, job: Job) -> ListPlan:
        return list_parse(VerificationList.objects.get(job=job))

    def plan(self, job: Job, rows: ListPlan) -> ListPlan:
        return list_plan(rows)

    def write(self, job: Job, plan: ListPlan) -> dict[str, Any]:
        vlist = list_write(plan)
        if vlist.status == VerificationList.Status.FAILED:
            raise JobFailed(vlist.message)
        return vlist.counts


verification_list_job = register_importer("verification.import", ListImporter())
