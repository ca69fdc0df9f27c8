"""The residents' reports and notices of the demo street: check-ins by residents, arrival reports
(some 代办), self-tests with one positive and its event, six notices with read receipts, and the
demo login's household with some of each."""

from wangge.accounts.models import RoleAssignment
from wangge.command.models import Event
from wangge.demo.outbreak.residents import demo_household, demo_resident
from wangge.measures.models import ArrivalReport, CheckIn
from wangge.residents.models import ArrivalFiling, CheckInFiling, Notice, NoticeRead, SelfTest
from wangge.residents.report_selectors import notices_for


def test_residents_reported_checked_in_and_read_notices(street_db):
    assert CheckIn.objects.filter(source=CheckIn.Source.RESIDENT).count() >= 5
    assert CheckInFiling.objects.count() >= 5
    assert 15 <= ArrivalFiling.objects.count() <= 20
    assert ArrivalReport.objects.filter(source=ArrivalReport.Source.RESIDENT).count() >= 15
    assert SelfTest.objects.count() == 15
    positive = SelfTest.objects.get(result=SelfTest.Result.POSITIVE)
    assert positive.event == Event.objects.get(kind__code="self_test_positive")
    assert sorted(Notice.objects.values_list("level", flat=True)) == sorted(
        ["street", "community", "grid", "compound", "street", "grid"]
    )
    urgent = Notice.objects.get(urgent=True)
    assert urgent.message is not None
    assert NoticeRead.objects.values("household").distinct().count() >= 20


def test_the_demo_login_household_has_reports_and_unread_notices(street_db):
    grid = RoleAssignment.objects.get(user__username="demo-grid", grid__isnull=False).grid
    household = demo_household(grid)
    assert household is not None
    assert CheckInFiling.objects.filter(person__household=household).exists()
    assert SelfTest.objects.filter(person__household=household).exists()
    assert ArrivalFiling.objects.filter(person__household=household).exists()
    notices = notices_for(demo_resident(grid))
    assert notices.filter(is_read=True).exists() and notices.filter(is_read=False).exists()
