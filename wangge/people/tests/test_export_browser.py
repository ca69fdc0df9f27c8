"""Carol exports the roster in a browser: she states a purpose, lands on the job's page, and
downloads the watermarked workbook from it. Screenshots land in test-artifacts/ (git-ignored)."""

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from conftest import ARTIFACTS, sign_in
from wangge.core.jobs.models import Job

pytestmark = pytest.mark.browser


def test_an_export_is_downloaded_from_its_job_page(world, phone, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    sign_in(phone, "carol")
    phone.goto(reverse("imports:export"))
    phone.select_option("select[name=reason]", "visits")
    phone.locator("form button[type=submit], form button:not([type])").last.click()

    job = Job.objects.get(kind="people.roster")
    phone.wait_for_url(f"**{reverse('core:job', args=[job.pk])}")
    phone.screenshot(path=ARTIFACTS / "export-job-page.png", full_page=True)
    with phone.expect_download() as waiting:
        phone.locator("[data-testid=download]").click()
    saved = tmp_path / "export.xlsx"
    waiting.value.save_as(saved)

    first = load_workbook(saved).active["A1"].value
    assert "carol（Carol）" in first and "入户走访核实" in first
