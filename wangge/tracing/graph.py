"""The contact graph of a case, as ECharts' graph series reads it (pure: no ORM).

Nodes are the case and the candidates the user may see; links go from the case to each first-hop
candidate (labelled by the kinds of its evidence) and from a first-hop candidate to each
second-hop candidate it reached (the evidence's `through`). A second-hop candidate whose first-hop
person the user may not see hangs from one node standing for those persons, without names.

A graph of more than MAX_NODES candidates is unreadable in a browser (SORMAS' became unusable at a
few thousand contacts), so it is aggregated: one node per (hop, place) — the checkpoint or venue
of the evidence, 同住 for the household, 病例提供 for a named contact — with its count. One
aggregate can be expanded (`expand=<key>`) to its persons, at most EXPAND_CAP of them, the rest
behind one "+N" node; links then run between whatever nodes hold their persons.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext_lazy as _

MAX_NODES = 300
EXPAND_CAP = 200

CASE, HOP1, HOP2, OTHER = 0, 1, 2, 3
CATEGORIES = [_("病例"), _("第一层接触者"), _("第二层接触者（次密接）"), _("其他")]
KIND_LABELS = {
    "household": _("同住"),
    "checkpoint": _("卡点"),
    "venue": _("场所"),
    "named": _("病例提供"),
}
HIDDEN = "hidden"


@dataclass(frozen=True)
class Row:
    """One visible candidate."""

    pk: int
    person_id: int
    name: str
    hop: int
    path: str
    status: str
    evidence: list[dict] = field(default_factory=list)


def place_of(row: Row) -> str:
    """Where the candidate was reached: the first piece of evidence of its own path."""
    wanted = {"co_resident": ("household",), "named": ("named",)}.get(
        row.path, ("checkpoint", "venue", "household")
    )
    piece = next((p for p in row.evidence if p.get("kind") in wanted), None)
    piece = piece or (row.evidence[0] if row.evidence else {})
    kind = piece.get("kind", "")
    if kind in ("household", "named"):
        return str(KIND_LABELS[kind])
    return piece.get("place") or str(KIND_LABELS.get(kind, "?"))


def group_key(row: Row) -> str:
    return f"{row.hop}:{place_of(row)}"


def _throughs(row: Row) -> list[int]:
    return sorted({p["through"] for p in row.evidence if p.get("through")})


def _kinds(row: Row) -> list[str]:
    return sorted({p.get("kind", "") for p in row.evidence})


def contact_graph(
    case_name: str,
    rows: list[Row],
    *,
    expand: str = "",
    max_nodes: int = MAX_NODES,
    cap: int = EXPAND_CAP,
) -> dict[str, Any]:
    """The nodes, links and categories of the graph; `aggregated` says whether rows were grouped."""
    nodes: dict[str, dict[str, Any]] = {
        "case": {"id": "case", "name": case_name, "category": CASE, "value": 1}
    }
    node_of: dict[int, str] = {}
    aggregated = len(rows) > max_nodes
    groups: dict[str, list[Row]] = defaultdict(list)
    for row in rows:
        if aggregated:
            groups[group_key(row)].append(row)
        else:
            node_of[row.person_id] = _person_node(nodes, row)
    for key, members in sorted(groups.items()):
        if key == expand:
            for row in members[:cap]:
                node_of[row.person_id] = _person_node(nodes, row)
            if len(members) > cap:
                more = f"more:{key}"
                nodes[more] = {
                    "id": more,
                    "name": f"+{len(members) - cap}",
                    "category": OTHER,
                    "value": len(members) - cap,
                }
                for row in members[cap:]:
                    node_of[row.person_id] = more
            continue
        group = f"group:{key}"
        hop, place = key.split(":", 1)
        nodes[group] = {
            "id": group,
            "name": f"{place}（{len(members)}）",
            "category": HOP1 if hop == "1" else HOP2,
            "value": len(members),
            "key": key,
        }
        for row in members:
            node_of[row.person_id] = group
    links = _links(rows, node_of, nodes)
    return {
        "nodes": list(nodes.values()),
        "links": links,
        "categories": [{"name": str(name)} for name in CATEGORIES],
        "aggregated": aggregated,
        "expanded": expand if aggregated and expand in groups else "",
        "total": len(rows),
    }


def _person_node(nodes: dict[str, dict[str, Any]], row: Row) -> str:
    node = f"c{row.pk}"
    nodes[node] = {
        "id": node,
        "name": row.name,
        "category": HOP1 if row.hop == 1 else HOP2,
        "value": 1,
        "status": row.status,
    }
    return node


def _links(
    rows: list[Row], node_of: dict[int, str], nodes: dict[str, dict[str, Any]]
) -> list[dict[str, Any]]:
    kinds: dict[tuple[str, str], set[str]] = defaultdict(set)
    for row in rows:
        target = node_of[row.person_id]
        if row.hop == 1:
            sources = ["case"]
        else:
            sources = [node_of.get(through, HIDDEN) for through in _throughs(row)] or [HIDDEN]
        for source in sources:
            if source == HIDDEN and HIDDEN not in nodes:
                nodes[HIDDEN] = {
                    "id": HIDDEN,
                    "name": str(_("不在您范围内的第一层接触者")),
                    "category": OTHER,
                    "value": 1,
                }
            if source != target:
                kinds[(source, target)].update(_kinds(row))
    return [
        {
            "source": source,
            "target": target,
            "kinds": sorted(found),
            "label": "、".join(str(KIND_LABELS.get(kind, kind)) for kind in sorted(found)),
        }
        for (source, target), found in sorted(kinds.items())
    ]
