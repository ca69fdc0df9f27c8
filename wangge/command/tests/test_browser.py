"""A grid worker on a phone: the board counts down, the task is acknowledged and started from the
page, and a verification row is answered in place (htmx). Debian's chromium through Playwright
against pytest-django's live server, as in people/tests/test_browser.py."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from conftest import ARTIFACTS, sign_in
from wangge.command.models import TaskAssignment, VerificationRow
from wangge.command.services.tasks import task_issue
from wangge.command.services.verification import verification_list_import
from wangge.command.tests.lists import standard_rows, write_list

pytestmark = pytest.mark.browser


def test_grid_worker_takes_a_1510_task_and_answers_a_row_on_a_phone(world, kinds, phone, tmp_path):
    # given a 1510 task for grid A and a verification list
    task = task_issue(
        by=world.users["alice"], kind=kinds["1510"], title="排查返乡人员", assignees=[world.grid_a]
    )
    path = write_list(tmp_path / "list.xlsx", standard_rows())
    with path.open("rb") as stream:
        verification_list_import(street=world.street, stream=stream, original_name="list.xlsx")

    # when gavin opens his board
    sign_in(phone, "gavin")
    phone.goto(reverse("command:board") + "?mine=1")
    countdown = phone.locator("[data-seconds-left]").first
    first = countdown.inner_text()
    # then the countdown ticks between polls
    expect(countdown).not_to_have_text(first, timeout=5000)
    phone.screenshot(path=ARTIFACTS / "command-board-390.png", full_page=True)

    # and he acknowledges and starts from the task page
    phone.locator("[data-testid=board-item]").first.click()
    phone.locator("[data-testid=action-acknowledge]").click()
    phone.locator("[data-testid=action-start]").click()
    expect(phone.locator("[data-testid=assignment-state]")).to_have_text("处置中")
    assert TaskAssignment.objects.get(task=task).state == TaskAssignment.State.IN_PROGRESS

    # and answers a verification row in place
    phone.goto(reverse("command:my_rows"))
    phone.locator("[data-testid=answer-row]").first.click()
    form = phone.locator("[data-testid=answer-form]")
    form.locator("select[name=result]").select_option("controlled")
    form.locator("input[name=note]").fill("已居家健康监测")
    form.locator("button[type=submit]").click()
    expect(phone.locator("[data-testid=row]").first).to_contain_text("在辖区已落实管控")
    phone.screenshot(path=ARTIFACTS / "command-rows-390.png", full_page=True)
    assert (
        VerificationRow.objects.filter(
            result="controlled", answered_by=world.users["gavin"]
        ).count()
        == 1
    )
