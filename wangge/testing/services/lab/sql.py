"""The rules of a lab import as set-based SQL over the staged rows (works on PostgreSQL and SQLite).

lab_subject  whom each row is about: by ID number when the row has one (persons of the matching
             document types, then key-group workers who live elsewhere), else by phone + name
             (persons and such workers); more than one candidate is "ambiguous".
lab_keyed    for rows that fit no one: the same row stored before (in the resolution list), else
             the latest staff decision about the same identity ("this is 张三" / "not ours").
lab_final    the stored result of the same subject, sample time and tube; the occurrences of each
             sample in file order; and what each row counts as:
             new → matched / unmatched; equal to what precedes it → duplicate; different → a lab
             correction, counted by the stored row's state (a result or a resolved row: matched;
             a row still waiting: unmatched; a row that is not ours: duplicate).
"""

from collections.abc import Sequence
from typing import Any

from django.db import connection
from django.db.models import Model

from wangge.people.models import Person
from wangge.regions.models import Community, Grid, Household
from wangge.testing.models import KeyGroup, KeyGroupMember, LabResult, UnmatchedResult
from wangge.testing.services.lab.rows import OTHER_TYPES, RESIDENT_TYPES
from wangge.testing.services.lab.stage import execute


def table(model: type[Model]) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def _in(values: Sequence[str]) -> str:
    return "(" + ", ".join(f"'{value}'" for value in values) + ")"


def _place(row: str) -> str:
    """Joins from a row with a household_id to its grid and street (hh.grid_id, cc.street_id)."""
    return (
        f"LEFT JOIN {table(Household)} hh ON hh.id = {row}.household_id "
        f"LEFT JOIN {table(Grid)} gg ON gg.id = hh.grid_id "
        f"LEFT JOIN {table(Community)} cc ON cc.id = gg.community_id"
    )


def _persons_by_id(types: Sequence[str], resident: int) -> str:
    return (
        f"SELECT p.id_number_hash AS h, COUNT(*) AS hits, MIN(p.id) AS person_id, "
        f"MIN(p.household_id) AS household_id "
        f"FROM {table(Person)} p "
        f"WHERE p.id_type IN {_in(types)} AND p.id_number_hash IN "
        f"(SELECT id_hash FROM lab_stage WHERE resident = {resident} AND id_hash <> '') "
        f"GROUP BY p.id_number_hash"
    )


def _workers_by_id() -> str:
    return (
        f"SELECT k.id_number_hash AS h, MIN(g.street_id) AS street_id "
        f"FROM {table(KeyGroupMember)} k JOIN {table(KeyGroup)} g ON g.id = k.group_id "
        f"WHERE k.person_id IS NULL AND k.id_number_hash IN "
        f"(SELECT id_hash FROM lab_stage WHERE id_hash <> '') GROUP BY k.id_number_hash"
    )


def _by_phone() -> str:
    phones = "(SELECT phone_hash FROM lab_stage WHERE id_hash = '')"
    return (
        f"SELECT x.phone_hash, x.name, COUNT(*) AS hits, MIN(x.person_id) AS person_id, "
        f"MIN(x.household_id) AS household_id, MIN(x.member_hash) AS member_hash, "
        f"MIN(x.street_id) AS street_id FROM ("
        f"SELECT p.phone_hash, REPLACE(p.name, ' ', '') AS name, p.id AS person_id, "
        f"p.household_id AS household_id, CAST(NULL AS TEXT) AS member_hash, "
        f"CAST(NULL AS BIGINT) AS street_id "
        f"FROM {table(Person)} p WHERE p.phone_hash IN {phones} "
        f"UNION ALL "
        f"SELECT k.phone_hash, REPLACE(k.name, ' ', ''), CAST(NULL AS BIGINT), "
        f"CAST(NULL AS BIGINT), k.id_number_hash, MIN(g.street_id) "
        f"FROM {table(KeyGroupMember)} k JOIN {table(KeyGroup)} g ON g.id = k.group_id "
        f"WHERE k.person_id IS NULL AND k.phone_hash IN {phones} "
        f"GROUP BY k.phone_hash, REPLACE(k.name, ' ', ''), k.id_number_hash"
        f") x GROUP BY x.phone_hash, x.name"
    )


def _analyze(name: str) -> None:
    """Temporary tables get no statistics on their own; the joins that follow need them."""
    if connection.vendor == "postgresql":
        execute(f"ANALYZE {name}")


def build_subjects() -> None:
    id_hits = "COALESCE(pr.hits, po.hits, 0)"
    execute(
        "CREATE TEMPORARY TABLE lab_subject AS "
        "SELECT m.*, CASE WHEN m.m_person IS NOT NULL OR m.m_subject <> '' THEN '' "
        "WHEN m.hits > 1 THEN 'ambiguous' WHEN m.id_hash <> '' THEN 'unknown_id' "
        "ELSE 'no_match' END AS reason FROM ("
        "SELECT s.*, "
        f"CASE WHEN s.id_hash <> '' THEN {id_hits} ELSE COALESCE(ph.hits, 0) END AS hits, "
        f"CASE WHEN s.id_hash <> '' THEN (CASE WHEN {id_hits} = 1 "
        "THEN COALESCE(pr.person_id, po.person_id) END) "
        "ELSE (CASE WHEN ph.hits = 1 THEN ph.person_id END) END AS m_person, "
        f"CASE WHEN s.id_hash <> '' THEN (CASE WHEN {id_hits} = 1 "
        "THEN COALESCE(pr.household_id, po.household_id) END) "
        "ELSE (CASE WHEN ph.hits = 1 THEN ph.household_id END) END AS m_household, "
        f"CASE WHEN s.id_hash <> '' THEN (CASE WHEN {id_hits} = 0 AND w.h IS NOT NULL "
        "THEN w.h ELSE '' END) "
        "ELSE (CASE WHEN ph.hits = 1 AND ph.person_id IS NULL THEN ph.member_hash ELSE '' END) "
        "END AS m_subject, "
        f"CASE WHEN s.id_hash <> '' THEN (CASE WHEN {id_hits} = 0 THEN w.street_id END) "
        "ELSE (CASE WHEN ph.hits = 1 AND ph.person_id IS NULL THEN ph.street_id END) "
        "END AS m_street "
        "FROM lab_stage s "
        f"LEFT JOIN ({_persons_by_id(RESIDENT_TYPES, 1)}) pr ON s.resident = 1 AND pr.h = s.id_hash "
        f"LEFT JOIN ({_persons_by_id(OTHER_TYPES, 0)}) po ON s.resident = 0 AND po.h = s.id_hash "
        f"LEFT JOIN ({_workers_by_id()}) w ON w.h = s.id_hash "
        f"LEFT JOIN ({_by_phone()}) ph ON s.id_hash = '' AND ph.phone_hash = s.phone_hash "
        "AND ph.name = s.name"
        ") m"
    )
    _analyze("lab_subject")


def _decisions() -> str:
    return (
        "SELECT z.identity_key, z.status, z.person_id, p.household_id FROM ("
        "SELECT identity_key, status, resolved_person_id AS person_id, ROW_NUMBER() OVER "
        "(PARTITION BY identity_key ORDER BY decided_at DESC, id DESC) AS n "
        f"FROM {table(UnmatchedResult)} WHERE status <> 'open' AND identity_key IN "
        "(SELECT identity_key FROM lab_subject WHERE reason <> '')"
        f") z LEFT JOIN {table(Person)} p ON p.id = z.person_id "
        "WHERE z.n = 1 AND (z.status = 'not_ours' OR p.id IS NOT NULL)"
    )


def build_keyed() -> None:
    """Final subject of each row, and for persons their household's grid and street."""
    decided = "(s.reason <> '' AND u.id IS NULL AND d.status = 'resolved')"
    execute(
        "CREATE TEMPORARY TABLE lab_keyed AS SELECT v.*, "
        "hh.grid_id AS grid_id, COALESCE(cc.street_id, v.m_street) AS street_id, "
        "v.kind || '|' || COALESCE(CAST(v.person_id AS TEXT), '') || '|' || v.subject_hash || '|' "
        "|| (CASE WHEN v.kind = 'unmatched' THEN v.identity_key ELSE '' END) || '|' "
        "|| CAST(v.sampled_at AS TEXT) || '|' || v.tube AS sample_key FROM ("
        "SELECT s.*, u.id AS u_id, u.result AS u_result, u.status AS u_status, "
        "u.result_record_id AS u_record, "
        f"CASE WHEN {decided} THEN d.person_id ELSE s.m_person END AS person_id, "
        f"CASE WHEN {decided} THEN d.household_id ELSE s.m_household END AS household_id, "
        f"CASE WHEN {decided} THEN '' ELSE s.m_subject END AS subject_hash, "
        f"CASE WHEN s.reason = '' OR {decided} THEN 'result' ELSE 'unmatched' END AS kind, "
        "CASE WHEN d.status = 'not_ours' THEN 'not_ours' ELSE 'open' END AS new_status "
        "FROM lab_subject s "
        f"LEFT JOIN {table(UnmatchedResult)} u ON s.reason <> '' "
        "AND u.identity_key = s.identity_key AND u.sampled_at = s.sampled_at "
        "AND u.tube_code = s.tube "
        f"LEFT JOIN ({_decisions()}) d ON s.reason <> '' AND d.identity_key = s.identity_key"
        f") v {_place('v')}"
    )
    _analyze("lab_keyed")


def build_final(first: Any, last: Any) -> None:
    """lab_final: stored results joined (only those sampled within the file's time span, `first`
    to `last`), the occurrences of each sample in file order (windows only over samples that occur
    more than once), and how each row is counted."""
    stored = (
        f"(SELECT id, person_id, subject_hash, sampled_at, tube_code, result "
        f"FROM {table(LabResult)} WHERE sampled_at >= %s AND sampled_at <= %s)"
    )
    repeated = (
        "SELECT k.line, ROW_NUMBER() OVER w AS seq, LAG(k.result) OVER w AS prev_result, "
        "FIRST_VALUE(k.result) OVER (PARTITION BY k.sample_key ORDER BY k.line DESC) "
        "AS final_result FROM lab_keyed k WHERE k.sample_key IN (SELECT sample_key FROM lab_keyed "
        "GROUP BY sample_key HAVING COUNT(*) > 1) "
        "WINDOW w AS (PARTITION BY k.sample_key ORDER BY k.line)"
    )
    execute(
        "CREATE TEMPORARY TABLE lab_final AS SELECT y.*, "
        "CASE WHEN y.prior IS NULL THEN 'new' WHEN y.prior = y.result THEN 'duplicate' "
        "ELSE 'correction' END AS outcome FROM ("
        "SELECT x.*, CASE WHEN x.seq = 1 THEN x.stored_result ELSE x.prev_result END AS prior, "
        "CASE WHEN x.kind = 'result' THEN 'result' ELSE COALESCE(x.u_status, x.new_status) END "
        "AS key_status FROM ("
        "SELECT k.*, COALESCE(r1.id, r2.id) AS r_id, "
        "COALESCE(r1.result, r2.result, k.u_result) AS stored_result, "
        "COALESCE(w.seq, 1) AS seq, w.prev_result AS prev_result, "
        "COALESCE(w.final_result, k.result) AS final_result "
        "FROM lab_keyed k "
        f"LEFT JOIN ({repeated}) w ON w.line = k.line "
        f"LEFT JOIN {stored} r1 ON k.kind = 'result' AND k.person_id IS NOT NULL "
        "AND r1.person_id = k.person_id AND r1.sampled_at = k.sampled_at AND r1.tube_code = k.tube "
        f"LEFT JOIN {stored} r2 ON k.kind = 'result' AND k.person_id IS NULL "
        "AND r2.person_id IS NULL AND r2.subject_hash = k.subject_hash "
        "AND r2.sampled_at = k.sampled_at AND r2.tube_code = k.tube"
        ") x) y",
        [first, last, first, last],
    )
    _analyze("lab_final")


COUNTED = (
    "CASE WHEN outcome = 'new' THEN (CASE WHEN kind = 'result' THEN 'matched' ELSE 'unmatched' END) "
    "WHEN outcome = 'duplicate' THEN 'duplicates' "
    "WHEN key_status = 'open' THEN 'unmatched' WHEN key_status = 'not_ours' THEN 'duplicates' "
    "ELSE 'matched' END"
)
