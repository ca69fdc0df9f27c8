"""The deadline sweep's overdue verification rows: who hears of them, how many, and only once."""

from datetime import UTC, datetime, timedelta

import time_machine

from conftest import make_id_number
from wangge.command.models import VerificationRow
from wangge.command.services.escalation import deadline_sweep
from wangge.command.services.verification import (
    verification_list_import,
    verification_row_answer,
)
from wangge.command.tests.lists import write_list

T0 = datetime(2026, 3, 2, 2, 0, tzinfo=UTC)
DEADLINE = T0 + timedelta(days=1)
TITLE = "第12批"


def overdue_alerts(alerts, user) -> list[str]:
    return [text for text in alerts(user) if "逾期" in text]


def import_list(world, tmp_path):
    """Two rows for 张三 (grid A: Gavin), one for 王五 (grid B: Bella), one nobody registered (the
    street's tracers: Tracy) and one that cannot be checked; Alice imports it."""
    rows = [
        [1, "张三", make_id_number(1), "", "", "密接", "省专班", ""],
        [2, "张三", make_id_number(1), "", "", "密接", "省专班", ""],
        [3, "王五", make_id_number(3), "", "", "密接", "省专班", ""],
        [4, "孙八", make_id_number(8), "", "", "密接", "省专班", ""],
        [5, "", "", "", "", "原因不详", "省专班", ""],
    ]
    path = write_list(tmp_path / "list.xlsx", rows)
    with time_machine.travel(T0, tick=False), path.open("rb") as stream:
        vlist = verification_list_import(
            street=world.street,
            stream=stream,
            original_name="list.xlsx",
            by=world.users["alice"],
            deadline=DEADLINE,
            title=TITLE,
        )
    return {row.row_number: row for row in vlist.rows.all()}


def test_rows_not_answered_by_the_deadline_alert_their_assignees_the_pool_and_the_importer(
    world, tmp_path, alerts
):
    # given the list, and one of Gavin's two rows answered in time
    rows = import_list(world, tmp_path)
    gavin, bella = world.users["gavin"], world.users["bella"]
    tracy, alice = world.users["tracy"], world.users["alice"]
    assert (rows[3].assignee, rows[5].assignee, rows[6].pool) == (gavin, bella, "tracers")
    with time_machine.travel(T0 + timedelta(hours=1), tick=False):
        verification_row_answer(row=rows[3], by=gavin, result=VerificationRow.Result.LEFT)

    # when the sweep runs a minute before the deadline, nobody hears of anything
    with time_machine.travel(DEADLINE - timedelta(minutes=1), tick=False):
        assert deadline_sweep()["overdue_rows"] == 0
    assert all(overdue_alerts(alerts, user) == [] for user in (gavin, bella, tracy, alice))

    # when it runs a minute after: each hears of their own open rows, the importer of all of them
    with time_machine.travel(DEADLINE + timedelta(minutes=1), tick=False):
        assert deadline_sweep()["overdue_rows"] == 3

    assert overdue_alerts(alerts, gavin) == [f"协查名单《{TITLE}》有1条逾期未反馈"]
    assert overdue_alerts(alerts, bella) == [f"协查名单《{TITLE}》有1条逾期未反馈"]
    assert overdue_alerts(alerts, tracy) == [f"协查名单《{TITLE}》有1条逾期未反馈"]
    assert overdue_alerts(alerts, alice) == [f"协查名单《{TITLE}》有3条逾期未反馈"]
    overdue = VerificationRow.objects.filter(overdue_alerted_at__isnull=False)
    assert sorted(overdue.values_list("row_number", flat=True)) == [4, 5, 6]


def test_an_overdue_row_is_alerted_once_however_often_the_sweep_runs(world, tmp_path, alerts):
    import_list(world, tmp_path)
    with time_machine.travel(DEADLINE + timedelta(minutes=1), tick=False):
        first = deadline_sweep()
        second = deadline_sweep()
    with time_machine.travel(DEADLINE + timedelta(hours=5), tick=False):
        later = deadline_sweep()

    assert (first["overdue_rows"], second["overdue_rows"], later["overdue_rows"]) == (4, 0, 0)
    assert overdue_alerts(alerts, world.users["gavin"]) == [f"协查名单《{TITLE}》有2条逾期未反馈"]
    assert len(overdue_alerts(alerts, world.users["alice"])) == 1


def test_an_overdue_row_answered_before_the_sweep_alerts_nobody(world, tmp_path, alerts):
    rows = import_list(world, tmp_path)
    with time_machine.travel(DEADLINE + timedelta(minutes=5), tick=False):
        verification_row_answer(
            row=rows[5], by=world.users["bella"], result=VerificationRow.Result.NOT_FOUND
        )
        deadline_sweep()

    assert overdue_alerts(alerts, world.users["bella"]) == []
    assert overdue_alerts(alerts, world.users["alice"]) == [f"协查名单《{TITLE}》有3条逾期未反馈"]
