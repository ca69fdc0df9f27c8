"""Does an SQL statement read per-street tables only within one street? (docs/scale-out.md)

The tables a district would distribute on the street with Citus are those whose rows belong to one
street through a path of foreign keys: the street path of their scoped manager (`.restrict()`
filters by it), or `EXTRA_PATHS`; the area tree down to the building and the checkpoints' furniture
are reference tables (`REFERENCE`), copied to every node.

A statement is split into its SELECTs (each subquery on its own), and each SELECT that names a
per-street table is judged by the top-level AND terms of its WHERE (a term under OR or NOT does not
keep anything to the street by itself):

- "street": a term puts the street column at the end of one of its tables' paths (or the street's
  own id) equal to the street (`= 7`, `IN (7)`), with every table of the path joined on its foreign
  key; or puts a key of the path, or of a per-street table, IN a subquery judged "street" (the
  semi-join `.restrict()` writes); or ties a correlated subquery to its outer row by a key; or is
  an OR of such terms (a scan reaches the street by its gate or by the scanned person's home);
- "own": the best term is the reading user's own rows (a foreign key to the user equal to them),
  alone or ORed with street terms: staff serve on measures and shifts in other streets, so these
  reads cross streets, and docs/scale-out.md counts them among the cross-street queries;
- "none": the SELECT misses the street.

INSERTs carry the street in the row and are not judged.
"""

import re
from dataclasses import dataclass, field

from django.apps import apps
from django.db.models import Model

from wangge.core.scoping import ScopedQuerySet

REFERENCE = frozenset(
    {
        "regions.street",
        "regions.community",
        "regions.grid",
        "regions.compound",
        "regions.building",
        "checkpoints.checkpoint",
        "checkpoints.doorcontroller",
    }
)
# Per-street tables whose managers have no street path: a scan reaches the street by its gate
# (the path a district distributes it by) and by the scanned person's home.
EXTRA_PATHS = {
    "checkpoints.scan": ("checkpoint__community__street", "household__grid__community__street")
}

Hop = tuple[str, str]  # (table, column): the table's foreign key one step up towards the street


def _hops(model: type[Model], path: str) -> list[Hop]:
    hops = []
    for name in path.split("__"):
        field_ = model._meta.get_field(name)
        hops.append((model._meta.db_table, str(field_.column)))
        model = field_.related_model  # type: ignore[assignment]
    return hops


def street_ways() -> dict[str, list[list[Hop]]]:
    """Every table with a way up to the street, reference tables included, and its ways (hops)."""
    paths: dict[str, list[list[Hop]]] = {}
    for model in apps.get_models():
        label = model._meta.label_lower
        queryset = model._default_manager.get_queryset()
        ways = EXTRA_PATHS.get(label) or (
            (queryset.street_path,) if isinstance(queryset, ScopedQuerySet) else ()
        )
        if any(ways):
            paths[model._meta.db_table] = [_hops(model, way) for way in ways]
    return paths


def per_street_tables() -> set[str]:
    """The tables a district distributes on the street: those with a way up to it, less REFERENCE."""
    reference = {apps.get_model(label)._meta.db_table for label in REFERENCE}
    return set(street_ways()) - reference


@dataclass
class Select:
    """One SELECT of a statement: its own text, each subquery replaced by `(#n)`."""

    text: str = ""
    subqueries: list["Select"] = field(default_factory=list)

    def all(self) -> list["Select"]:
        return [self, *(inner for sub in self.subqueries for inner in sub.all())]


def parse(sql: str) -> Select:
    """Split a statement into its SELECTs (string literals and quoted names are kept whole)."""
    root = Select()
    stack: list[tuple[Select, list[str], int]] = [(root, [], 0)]  # select, text, open parens
    i = 0
    while i < len(sql):
        char = sql[i]
        select, text, depth = stack[-1]
        if char in "'\"":
            end = i + 1
            while end < len(sql) and not (sql[end] == char and sql[end + 1 : end + 2] != char):
                end += 2 if sql[end] == char else 1
            text.append(sql[i : end + 1])
            i = end + 1
            continue
        if char == "(" and re.match(r"\(\s*SELECT\b", sql[i:]):
            sub = Select()
            text.append(f"(#{len(select.subqueries)})")
            select.subqueries.append(sub)
            stack.append((sub, [], 0))
            i += 1
            continue
        if char == ")" and depth == 0 and len(stack) > 1:
            sub, sub_text, _ = stack.pop()
            sub.text = "".join(sub_text)
            i += 1
            continue
        if char in "()":
            stack[-1] = (select, text, depth + (1 if char == "(" else -1))
        text.append(char)
        i += 1
    root.text = "".join(stack[0][1])
    return root


_TABLE = re.compile(r'\b(?:FROM|JOIN|UPDATE)\s+"(\w+)"(?:\s+(?:AS\s+)?(?!ON\b|WHERE\b)([A-Z]\d+))?')
_END_OF_WHERE = re.compile(r"\b(?:ORDER BY|GROUP BY|HAVING|LIMIT|OFFSET|FOR UPDATE|RETURNING)\b")


def _references(select: Select) -> dict[str, set[str]]:
    """table → the names the SELECT uses for it (`"people_person"`, or an alias such as `T4`)."""
    names: dict[str, set[str]] = {}
    for table, alias in _TABLE.findall(select.text):
        names.setdefault(table, set()).add(alias or f'"{table}"')
    return names


def _top_level(text: str, separator: str) -> list[str]:
    """`text` split at the `separator` words outside parentheses."""
    parts, depth, start = [], 0, 0
    for match in re.finditer(rf"\(|\)|\b(?:{separator})\b", text):
        token = match.group()
        if token in "()":
            depth += 1 if token == "(" else -1
        elif depth == 0:
            parts.append(text[start : match.start()])
            start = match.end()
    parts.append(text[start:])
    return [part.strip() for part in parts]


def _closing(text: str) -> int:
    """Where the parenthesis that opens `text` closes."""
    depth = 0
    for position, char in enumerate(text):
        depth += {"(": 1, ")": -1}.get(char, 0)
        if depth == 0:
            return position
    return len(text)


def _unwrapped(text: str) -> str:
    """`text` without the parentheses around all of it."""
    while text.startswith("(") and _closing(text) == len(text) - 1:
        text = text[1:-1].strip()
    return text


def conjuncts(select: Select) -> list[str]:
    """The top-level AND terms of the SELECT's WHERE clause (not a FILTER (WHERE …) of an
    aggregate: only a WHERE outside parentheses)."""
    clauses = _top_level(select.text, "WHERE")
    if len(clauses) < 2:
        return []
    where = _END_OF_WHERE.split(clauses[1], maxsplit=1)[0]
    terms, pending = [], [where.strip()]
    while pending:
        term = _unwrapped(pending.pop())
        parts = _top_level(term, "AND")
        if len(parts) > 1:
            pending.extend(parts)
        else:
            terms.append(term)
    return terms


def _column(names: set[str], column: str) -> str:
    return "(?:" + "|".join(re.escape(name) for name in sorted(names)) + rf')\."{column}"'


def _equals(value: int) -> str:
    return rf"\s*(?:=\s*{value}|IN\s*\(\s*{value}\s*\))"


@dataclass
class Reader:
    """Who reads: the street the statements must stay in, the user whose own rows they may add."""

    street_id: int
    user_id: int
    per_street: set[str]
    ways: dict[str, list[list[Hop]]]
    user_columns: set[Hop]  # (table, column) of every foreign key to the user model


def user_columns() -> set[Hop]:
    from django.contrib.auth import get_user_model

    user = get_user_model()
    return {
        (model._meta.db_table, str(field_.column))
        for model in apps.get_models()
        for field_ in model._meta.get_fields()
        if field_.concrete and field_.is_relation and field_.related_model is user
    }


def _street_term(select: Select, term: str, hops: list[Hop], reader: Reader) -> bool:
    """True when `term` keeps hops[0]'s table to the street: the path's street column (or the
    street's id) equal to the street, or a key of the path IN a subquery that is so kept."""
    names = _references(select)
    for index, (table, column) in enumerate(hops):
        if table not in names:
            return False
        own = _column(names[table], column)
        if index == len(hops) - 1:
            street = names.get("regions_street")
            return bool(
                re.fullmatch(own + _equals(reader.street_id), term)
                or (
                    street and re.fullmatch(_column(street, "id") + _equals(reader.street_id), term)
                )
            )
        semi = re.fullmatch(own + r"\s*IN\s*\(#(\d+)\)", term)
        if semi:
            inner = select.subqueries[int(semi.group(1))]
            return any(_street_term(inner, t, hops[index + 1 :], reader) for t in conjuncts(inner))
        target = hops[index + 1][0]
        if target not in names or not re.search(
            own + r"\s*=\s*" + _column(names[target], "id"), select.text
        ):
            return False
    return False


def _own_term(select: Select, term: str, reader: Reader) -> bool:
    """True when `term` names the reading user's own rows (a foreign key to them equal to them)."""
    names = _references(select)
    return any(
        re.fullmatch(_column(names[table], column) + _equals(reader.user_id), term)
        for table, column in reader.user_columns
        if table in names
    )


def _street_anywhere(select: Select, term: str, tables: list[str], reader: Reader) -> bool:
    return any(
        _street_term(select, term, hops, reader) for table in tables for hops in reader.ways[table]
    )


def _term_kind(select: Select, term: str, tables: list[str], reader: Reader) -> str:
    """The kind of one WHERE term of `select`, whose tables with a way to the street are `tables`."""
    names = _references(select)
    if _street_anywhere(select, term, tables, reader):
        return "street"
    if tables:
        keys = "|".join(_column(names[table], r"\w+") for table in tables)
        outer = re.fullmatch(rf'(?:{keys})\s*=\s*\("(\w+)"\."id"\)', term)
        if outer and outer.group(1) not in names:
            return "street"
        semi = re.fullmatch(rf"(?:{keys})\s*IN\s*\(#(\d+)\)", term)
        if semi:
            return kind(select.subqueries[int(semi.group(1))], reader)
    if _own_term(select, term, reader):
        return "own"
    branches = [_unwrapped(branch) for branch in _top_level(term, "OR")]
    if len(branches) == 1:
        return "none"
    kinds = {_term_kind(select, branch, tables, reader) for branch in branches}
    return "none" if "none" in kinds else "own" if "own" in kinds else "street"


def kind(select: Select, reader: Reader) -> str:
    """How one SELECT stays in the street, by the top-level AND terms of its WHERE: "street" when
    one of them is a street term of one of its tables' ways, a key of a per-street table IN a
    subquery that stays in the street, a correlated subquery's key equal to its outer row's, or an
    OR of such terms; "own" when the best is the user's own rows (a foreign key to them), or an OR
    of those and street terms (staff serve on measures and shifts in other streets: these cross
    streets); else "none"."""
    tables = [table for table in _references(select) if table in reader.ways]
    kinds = {_term_kind(select, term, tables, reader) for term in conjuncts(select)}
    return "street" if "street" in kinds else "own" if "own" in kinds else "none"


def statement_kinds(sql: str, reader: Reader) -> list[tuple[str, set[str]]]:
    """(kind, its per-street tables) of each SELECT of the statement that reads per-street tables.
    INSERTs carry the street in the row and are not checked."""
    if sql.lstrip().upper().startswith("INSERT"):
        return []
    found = []
    for select in parse(sql).all():
        tables = {table for table in _references(select) if table in reader.per_street}
        if tables:
            found.append((kind(select, reader), tables))
    return found
