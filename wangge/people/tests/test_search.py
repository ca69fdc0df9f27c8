"""The search box: what a Chinese user types, always inside the user's scope."""

import pytest
from django.urls import reverse

from conftest import _person


def search(client, user, query: str) -> list[str]:
    client.force_login(user)
    response = client.get(reverse("people:search"), {"q": query})
    assert response.status_code == 200
    return [person.name for person in response.context["results"]]


@pytest.mark.parametrize("query", ["zs", "ZS", "zhangsan", "zhang", "张三", "张"])
def test_grid_worker_finds_by_name_and_pinyin(client, world, query):
    assert search(client, world.users["gavin"], query) == ["张三"]


def test_finds_by_id_tail_and_phone_tail(client, world):
    zhang = world.persons["zhang_san"]
    gavin = world.users["gavin"]

    assert search(client, gavin, zhang.id_number[-4:]) == ["张三"]
    assert search(client, gavin, zhang.id_number[-6:]) == ["张三"]
    assert search(client, gavin, "1111") == ["张三"]


def test_finds_by_address(client, world):
    assert search(client, world.users["gavin"], "1幢1单元101") == ["张三"]
    assert sorted(search(client, world.users["alice"], "1幢1单元101")) == ["张三", "赵六"]


def test_grid_worker_finds_nothing_of_the_next_grid(client, world):
    gavin = world.users["gavin"]
    wang = world.persons["wang_wu"]

    assert search(client, gavin, "ww") == []
    assert search(client, gavin, "王五") == []
    assert search(client, gavin, wang.id_number[-6:]) == []
    assert search(client, gavin, "3333") == []
    assert search(client, world.users["bella"], "ww") == ["王五"]


def test_community_worker_finds_nothing_of_the_next_community(client, world):
    carol = world.users["carol"]

    assert search(client, carol, "zl") == []
    assert search(client, carol, "赵六") == []
    assert search(client, carol, "4444") == []
    assert sorted(search(client, carol, "w")) == ["王五"]


def test_results_show_masked_id_address_and_grid(client, world):
    client.force_login(world.users["gavin"])

    response = client.get(reverse("people:search"), {"q": "zs"})

    zhang = world.persons["zhang_san"]
    assert zhang.id_number_masked in response.text
    assert zhang.id_number not in response.text
    assert "阳光花园1幢1单元101室" in response.text
    assert "第一网格" in response.text


def test_at_most_fifty_results_with_a_note(client, world):
    for serial in range(100, 152):
        _person(world.households["a"], f"张{serial}", serial)
    client.force_login(world.users["gavin"])

    response = client.get(reverse("people:search"), {"q": "张"})

    assert len(response.context["results"]) == 50
    assert response.context["more"] is True
    assert 'data-testid="more-results"' in response.text


def test_fifty_results_exactly_have_no_note(client, world):
    for serial in range(100, 149):
        _person(world.households["a"], f"张{serial}", serial)
    client.force_login(world.users["gavin"])

    response = client.get(reverse("people:search"), {"q": "张"})

    assert len(response.context["results"]) == 50
    assert response.context["more"] is False


def test_empty_query_shows_the_hint(client, world):
    client.force_login(world.users["gavin"])

    response = client.get(reverse("people:search"))

    assert response.context["results"] == []
    assert "zhangsan" in response.text


def test_checkpoint_staff_cannot_search(client, world):
    client.force_login(world.users["kim"])

    assert client.get(reverse("people:search"), {"q": "zs"}).status_code == 403


def test_doctor_finds_only_her_assigned_person(client, world):
    assert search(client, world.users["dora"], "zl") == ["赵六"]
    assert search(client, world.users["dora"], "zs") == []


def test_finds_by_the_whole_id_number_and_the_whole_phone(client, world):
    zhang = world.persons["zhang_san"]
    gavin = world.users["gavin"]

    assert search(client, gavin, zhang.id_number) == ["张三"]
    assert search(client, gavin, "13800001111") == ["张三"]
    assert search(client, gavin, "138-0000-1111") == ["张三"]


def test_finds_by_five_or_six_digit_phone_tails(client, world):
    gavin = world.users["gavin"]

    assert search(client, gavin, "01111") == ["张三"]
    assert search(client, gavin, "001111") == ["张三"]
    assert search(client, gavin, "991111") == []


def test_finds_by_compound_name(client, world):
    # 李四 lives in grid A's small grid A1, which Gavin's grid holds
    assert sorted(search(client, world.users["gavin"], "阳光花园")) == ["张三", "李四"]
    assert search(client, world.users["alice"], "江景苑") == ["赵六"]


def test_grid_worker_finds_nothing_of_the_next_grid_by_id_phone_tail_or_compound(client, world):
    bella = world.users["bella"]
    zhang = world.persons["zhang_san"]

    assert search(client, bella, zhang.id_number) == []
    assert search(client, bella, "13800001111") == []
    assert search(client, bella, "001111") == []
    assert "张三" not in search(client, bella, "阳光花园")


def test_finds_by_the_whole_second_phone(client, world):
    # given 张三 with a second phone kept from a cell with two numbers
    zhang = world.persons["zhang_san"]
    zhang.set_second_phone("13987654321")
    zhang.save()

    assert search(client, world.users["gavin"], "139-8765-4321") == ["张三"]
    assert search(client, world.users["bella"], "13987654321") == []
