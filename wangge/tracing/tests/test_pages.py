"""The tracing pages, for the personas of `fuller_world`: Li Si's case named Wang Wu (grid B) and
was traced by Tracy; here Zhang San (grid A) is added as a second-hop candidate through Wang Wu.
Alice commands, Tracy traces, Gavin works grid A, Bella grid B."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from wangge.command.models import VerificationList
from wangge.measures.models import Case
from wangge.tracing.models import Candidate, CandidateStatus, NamedContact, Path, Trace
from wangge.tracing.tests.test_decisions import _rules
from wangge.venues.models import Venue, Visit

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def traced(fuller_world):
    world = fuller_world
    case = Case.objects.get(person=world.persons["li_si"])
    now = timezone.now()
    zhang = Candidate.objects.create(
        case=case,
        person=world.persons["zhang_san"],
        path=Path.SECOND_HOP,
        hop=2,
        evidence=[
            {
                "kind": "venue",
                "place_id": 1,
                "place": "老街面馆",
                "case_at": now.isoformat(),
                "person_at": (now + timedelta(minutes=12)).isoformat(),
                "minutes": 12,
                "through": world.persons["wang_wu"].pk,
            }
        ],
        found_at=now,
        traced_at=now,
    )
    wang = Candidate.objects.get(case=case, person=world.persons["wang_wu"])
    return world, case, {"zhang_san": zhang, "wang_wu": wang}


def _get(client, user, name, *args, **params):
    client.force_login(user)
    return client.get(reverse(name, args=args), params)


def test_each_page_renders_for_the_commander_the_tracer_and_grid_workers(client, traced):
    world, case, _cands = traced
    for key in ("alice", "tracy", "gavin", "bella"):
        user = world.users[key]
        for name, args in [
            ("tracing:cases", ()),
            ("tracing:case", (case.pk,)),
            ("tracing:case_graph", (case.pk,)),
            ("tracing:candidates", ()),
        ]:
            assert _get(client, user, name, *args).status_code == 200, (key, name)
    noodles = Venue.objects.get(name="老街面馆")
    Visit.objects.create(venue=noodles, person=world.persons["li_si"], at=timezone.now())
    page = _get(client, world.users["tracy"], "tracing:case", case.pk).content.decode()
    assert "李四" in page and "王五" in page and "经 王五" in page and "相差12分钟" in page
    assert 'data-testid="run-form"' in page
    assert 'id="timeline-data"' in page and "<td>老街面馆</td>" in page  # the case's own visit
    bella_page = _get(client, world.users["bella"], "tracing:case", case.pk).content.decode()
    assert 'data-testid="timeline"' not in bella_page
    cases = _get(client, world.users["alice"], "measures:cases").content.decode()
    assert reverse("tracing:case", args=[case.pk]) in cases


def test_a_grid_worker_never_sees_another_grids_candidate(client, traced):
    world, case, cands = traced
    bella, gavin = world.users["bella"], world.users["gavin"]

    worklist = _get(client, bella, "tracing:candidates").content.decode()
    page = _get(client, bella, "tracing:case", case.pk).content.decode()
    graph = _get(client, bella, "tracing:case_graph", case.pk).json()

    assert "王五" in worklist and "张三" not in worklist
    assert "王五" in page and "张三" not in page
    assert "李四" not in page  # Bella does not see the case's person: the case has no name
    names = {node["name"] for node in graph["nodes"]}
    assert "王五" in names and "张三" not in names and "李四" not in names
    assert "张三" in _get(client, gavin, "tracing:case", case.pk).content.decode()
    gavin_graph = _get(client, gavin, "tracing:case_graph", case.pk).json()
    assert "王五" not in {node["name"] for node in gavin_graph["nodes"]}
    assert _get(client, world.users["dora"], "tracing:case", case.pk).status_code == 404
    client.force_login(bella)
    other = reverse("tracing:candidate_dismiss", args=[cands["zhang_san"].pk])
    assert client.post(other, {"reason": "x"}).status_code == 404


def test_confirm_dismiss_and_reopen_through_the_page(client, traced):
    world, case, cands = traced
    _rules("今日方案", timezone.localdate() - timedelta(days=1))
    client.force_login(world.users["carol"])
    confirm = reverse("tracing:candidate_confirm", args=[cands["wang_wu"].pk])
    dismiss = reverse("tracing:candidate_dismiss", args=[cands["zhang_san"].pk])
    reopen = reverse("tracing:candidate_reopen", args=[cands["zhang_san"].pk])

    row = client.post(confirm, **HTMX).content.decode()
    refused = client.post(dismiss, {"reason": " "}, **HTMX).content.decode()
    client.post(dismiss, {"reason": "不在同一时段"}, **HTMX)
    dismissed = Candidate.objects.get(pk=cands["zhang_san"].pk).status
    client.post(reopen, {"next": "https://evil.example/"})

    assert 'data-status="confirmed"' in row
    assert "请填写排除理由" in refused
    assert dismissed == CandidateStatus.DISMISSED
    assert Candidate.objects.get(pk=cands["zhang_san"].pk).status == CandidateStatus.PENDING
    client.force_login(world.users["tracy"])
    sent = client.post(reverse("tracing:case_list", args=[case.pk]))
    assert sent.url == reverse(
        "command:verification_detail", args=[VerificationList.objects.get().pk]
    )


def test_running_the_trace_is_refused_for_a_grid_worker(client, traced):
    world, case, _cands = traced
    url = reverse("tracing:case_run", args=[case.pk])
    client.force_login(world.users["gavin"])

    page = client.post(url, {"window_minutes": 30, "hops": 1}, follow=True).content.decode()

    assert "无权对该病例进行流调" in page and 'data-testid="run-form"' not in page
    assert Trace.objects.filter(case=case).count() == 1
    client.force_login(world.users["tracy"])
    client.post(url, {"window_minutes": 30, "hops": 1})
    assert Trace.objects.filter(case=case).first().hops == 1


def test_a_tracer_names_a_contact_picked_by_search(client, traced):
    world, case, _cands = traced
    zhao = world.persons["zhao_liu"]
    client.force_login(world.users["tracy"])

    found = client.get(reverse("tracing:case_people", args=[case.pk]), {"q": "赵六"})
    client.post(reverse("tracing:case_named", args=[case.pk]), {"person": zhao.pk, "note": "同事"})

    assert f'value="{zhao.pk}"' in found.content.decode()
    assert NamedContact.objects.filter(case=case, person=zhao, note="同事").exists()
