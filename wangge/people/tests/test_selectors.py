from wangge.people.models import Person


def found(world, text):
    return sorted(p.name for p in Person.objects.restrict(world.users["alice"]).search(text))


def test_id_tail_ending_in_x_is_a_tail_search(world):
    # given a person whose ID ends in X
    person = world.persons["li_si"]
    person.set_id_number("11010519491231002X")
    person.save()

    # then "002x" finds them by the tail, not by name
    assert found(world, "002x") == ["李四"]


def test_pinyin_prefix_is_a_prefix_not_a_substring(world):
    assert found(world, "zs") == ["张三"]
    assert found(world, "zhan") == ["张三"]
    assert found(world, "han") == []
    assert found(world, "z") == ["张三", "赵六"]
