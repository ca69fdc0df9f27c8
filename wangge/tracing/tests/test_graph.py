"""The contact graph (pure): persons as nodes up to the threshold, one node per (hop, place) above
it, one aggregate expanded on request with a cap, second-hop links through the first-hop person."""

from wangge.tracing.graph import Row, contact_graph, group_key


def _row(pk: int, hop: int = 1, place: str = "东门", through: int | None = None) -> Row:
    piece = {"kind": "checkpoint", "place_id": 1, "place": place, "minutes": 3}
    if through:
        piece["through"] = through
    path = "co_located" if hop == 1 else "second_hop"
    return Row(pk, 1000 + pk, f"人{pk}", hop, path, "pending", [piece])


def test_a_small_graph_links_the_case_to_first_hops_and_those_to_their_second_hops():
    rows = [
        Row(1, 1001, "甲", 1, "co_resident", "pending", [{"kind": "household"}]),
        _row(2, hop=2, through=1001),
        _row(3, hop=2, through=9999),  # reached through a person the user does not see
    ]

    graph = contact_graph("李四", rows)

    assert not graph["aggregated"]
    assert {n["id"] for n in graph["nodes"]} == {"case", "c1", "c2", "c3", "hidden"}
    links = {(link["source"], link["target"]): link["kinds"] for link in graph["links"]}
    assert links == {
        ("case", "c1"): ["household"],
        ("c1", "c2"): ["checkpoint"],
        ("hidden", "c3"): ["checkpoint"],
    }


def test_above_the_threshold_candidates_are_grouped_by_hop_and_place():
    rows = [_row(n, place="东门") for n in range(1, 5)] + [
        Row(5, 1005, "乙", 1, "co_resident", "pending", [{"kind": "household"}]),
        _row(6, hop=2, place="东门", through=1001),
    ]

    graph = contact_graph("李四", rows, max_nodes=3)

    assert graph["aggregated"]
    groups = {n["key"]: n["value"] for n in graph["nodes"] if "key" in n}
    assert groups == {"1:东门": 4, "1:同住": 1, "2:东门": 1}
    links = {(link["source"], link["target"]) for link in graph["links"]}
    assert ("case", "group:1:东门") in links
    assert ("group:1:东门", "group:2:东门") in links


def test_an_expanded_group_shows_its_persons_up_to_the_cap_and_counts_the_rest():
    rows = [_row(n) for n in range(1, 8)] + [_row(8, hop=2, through=1001)]

    graph = contact_graph("李四", rows, max_nodes=3, expand="1:东门", cap=5)

    ids = {n["id"] for n in graph["nodes"]}
    assert {"c1", "c2", "c3", "c4", "c5", "more:1:东门", "group:2:东门"} <= ids
    assert "c6" not in ids and "group:1:东门" not in ids
    more = next(n for n in graph["nodes"] if n["id"] == "more:1:东门")
    assert more["name"] == "+2"
    assert graph["expanded"] == "1:东门"
    assert ("c1", "group:2:东门") in {(x["source"], x["target"]) for x in graph["links"]}
    assert group_key(rows[0]) == "1:东门"
