"""The covering indexes that keep per-street reads through person → household → grid index-only
on PostgreSQL (docs/performance.md, "A district on PostgreSQL")."""

import pytest
from django.db import connection

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="INCLUDE is PostgreSQL's"),
]


@pytest.mark.parametrize(
    ("table", "name", "definition"),
    [
        ("people_person", "person_id_household_cover", "(id) INCLUDE (household_id)"),
        ("regions_household", "household_id_grid_cover", "(id) INCLUDE (grid_id)"),
    ],
)
def test_the_area_hops_have_covering_indexes(table: str, name: str, definition: str) -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexdef FROM pg_indexes WHERE tablename = %s AND indexname = %s", [table, name]
        )
        row = cursor.fetchone()
    assert row is not None and row[0].endswith(f"USING btree {definition}")
