"""The demo street's supplies (seeded once for the package, see conftest.py): a month's ledger
that balances batch by batch, donations, batches expiring soon and one expired on the shelf, places
below their line, needs in every status, and a dashboard with something for the demo staff."""

from itertools import groupby

from django.db.models import Sum
from django.urls import reverse
from django.utils import timezone

from wangge.accounts.models import User
from wangge.supplies.models import (
    Batch,
    CountStatus,
    Donation,
    Handover,
    MoveKind,
    Need,
    NeedStatus,
    StockCount,
    StockMove,
)
from wangge.supplies.selectors.overview import overview


def test_every_batch_s_ledger_runs_to_its_quantity(street_db):
    sums = dict(StockMove.objects.values_list("batch").annotate(total=Sum("change")).order_by())
    batches = dict(Batch.objects.values_list("pk", "quantity"))
    assert sums == batches and len(batches) > 50
    moves = StockMove.objects.order_by("batch", "at", "pk").values_list(
        "batch", "change", "balance"
    )
    for _batch, rows in groupby(moves, key=lambda row: row[0]):
        running = 0
        for _, change, balance in rows:
            running += change
            assert running == balance >= 0
    kinds = set(StockMove.objects.values_list("kind", flat=True))
    assert kinds == set(MoveKind.values) - {MoveKind.ADJUST}
    reversal = StockMove.objects.get(kind=MoveKind.REVERSAL, reverses__change__lt=0)
    assert reversal.change == -reversal.reverses.change
    outs = StockMove.objects.filter(kind=MoveKind.TRANSFER_OUT)
    assert not outs.filter(counterpart__isnull=True).exists()
    assert {d.public for d in Donation.objects.all()} == {True, False}


def test_needs_in_every_status_issue_what_they_name(street_db):
    needs = Need.objects.all()
    assert set(needs.values_list("status", flat=True)) == set(NeedStatus.values)
    delivered = needs.filter(status=NeedStatus.DELIVERED)
    assert set(delivered.values_list("handover", flat=True)) == set(Handover.values)
    assert needs.filter(status__in=["submitted", "approved"], due_at__lt=timezone.now()).exists()
    for need in needs.exclude(picked_at=None):
        assert need.created_at <= need.approved_at <= need.picked_at <= timezone.now()
        issued = -sum(m.change for m in need.moves.all())
        assert issued == sum(line.picked for line in need.lines.all()) > 0
        assert {m.at for m in need.moves.all()} == {need.picked_at}


def test_the_demo_staff_see_their_stock_and_needs(street_db, client):
    commander = User.objects.get(username="demo-commander")
    seen = overview(commander)
    assert seen.low and seen.expiring
    assert any(b.expiry < seen.today for b in seen.expiring)
    assert {row.place.kind for row in seen.rows} >= {"street_warehouse", "agreement"}
    community = overview(User.objects.get(username="demo-community"))
    assert community.rows and {r.place.community_id for r in community.rows} == {
        community.rows[0].place.community_id
    }
    assert any(row.below for row in community.rows)
    grid = overview(User.objects.get(username="demo-grid"))
    assert sum(row["count"] for row in grid.needs) > 0
    client.force_login(commander)
    page = client.get(reverse("supplies:dashboard"))
    assert page.status_code == 200 and "街道物资仓库" in page.content.decode()


def test_a_count_waits_for_the_commanders_approval(street_db):
    count = StockCount.objects.get(status=CountStatus.SUBMITTED)
    assert count.by.username == "demo-community"
    assert [line.difference for line in count.lines.all() if line.difference] == [-2]
