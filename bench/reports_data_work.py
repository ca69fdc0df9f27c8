"""The day's work in the daily-report benchmark's district (bench/reports_data.py says the
volumes): gates and scans, door sensors and their alerts, venues and cards, tasks and events,
residents' requests, supply places and their stock, notices and their recipients. Set-based
INSERT … SELECT, like the register."""

from datetime import timedelta

from reports_data import DAY, HISTORY_DAYS, PERSONS, SCAN_DAYS, SCANS_A_DAY, insert, local

FIRST = f"date '{DAY - timedelta(days=HISTORY_DAYS - 1)}'"
STREET_GRIDS = (
    "(SELECT c.street_id, array_agg(g.id ORDER BY g.id) AS ids FROM regions_grid g "
    "JOIN regions_community c ON c.id = g.community_id GROUP BY c.street_id)"
)
STREET_COMMUNITIES = (
    "(SELECT street_id, array_agg(id ORDER BY id) AS ids FROM regions_community GROUP BY street_id)"
)


def gates_and_scans() -> None:
    from wangge.checkpoints.models import Checkpoint, Scan

    insert(
        Checkpoint,
        {
            "name": "co.name || '大门'",
            "kind": "'compound_gate'",
            "opens_at": "time '00:00'",
            "closes_at": "time '23:59'",
            "code_hash": "'bench-gate-' || co.id",
            "community_id": "co.community_id",
            "compound_id": "co.id",
            "grid_id": "(SELECT min(b.grid_id) FROM regions_building b WHERE b.compound_id = co.id)",
        },
        "FROM regions_compound co",
    )
    first = DAY - timedelta(days=SCAN_DAYS - 1)
    insert(
        Scan,
        {
            "client_id": "'s' || i",
            "direction": "CASE WHEN mod(i, 2) = 0 THEN 'in' ELSE 'out' END",
            "method": "'code'",
            "code_colour": "'green'",
            "verdict": "CASE WHEN mod(i, 250) = 0 THEN 'deny' ELSE 'pass' END",
            "scanned_at": local(
                f"date '{first}' + (i / {SCANS_A_DAY})::int", "21600 + mod(i * 37, 57600)"
            ),
            "received_at": local(
                f"date '{first}' + (i / {SCANS_A_DAY})::int", "21600 + mod(i * 37, 57600)"
            ),
            "checkpoint_id": "cp.ids[1 + mod(i * 7, cardinality(cp.ids))]",
            "person_id": f"1 + mod(i * 7919, {PERSONS})",
        },
        f"FROM (SELECT array_agg(id ORDER BY id) AS ids FROM checkpoints_checkpoint) cp "
        f"CROSS JOIN generate_series(0::bigint, {SCANS_A_DAY * SCAN_DAYS - 1}) AS i",
    )


def devices() -> None:
    """A door sensor on one home isolation in three; an alert on every other day of its measure."""
    from wangge.devices.models import Device, DeviceAlert

    insert(
        Device,
        {
            "kind": "'door_sensor'",
            "vendor": "'基准'",
            "serial": "'bench-' || m.id",
            "registered_at": "m.created_at",
            "household_id": "p.household_id",
            "measure_id": "m.id",
        },
        "FROM measures_personmeasure m JOIN people_person p ON p.id = m.person_id "
        "JOIN measures_measuretype t ON t.id = m.measure_type_id "
        "WHERE t.category = 'home_isolation' AND mod(m.id, 3) = 0",
    )
    insert(
        DeviceAlert,
        {
            "kind": "'intrusion'",
            "raised_at": local("d", "36000 + mod(v.id * 17, 30000)"),
            "event_count": "1",
            "device_id": "v.id",
            "household_id": "v.household_id",
            "measure_id": "v.measure_id",
        },
        "FROM devices_device v JOIN measures_personmeasure m ON m.id = v.measure_id "
        'CROSS JOIN LATERAL generate_series(m.start, least(m."end" - 1, %(day)s), '
        "interval '1 day') AS d WHERE mod(v.id + (d::date - m.start), 2) = 0",
        {"day": DAY},
    )


def venues() -> None:
    """Five venues a grid; a yellow card on one in 20 (half closed after 3 days), red on one in 100."""
    from wangge.venues.models import Card, Venue, VenueKind

    kind = VenueKind.objects.order_by("pk").values_list("pk", flat=True).first()
    insert(
        Venue,
        {
            "name": "g.id || '号网格第' || k || '店'",
            "code_hash": "'bench-venue-' || g.id || '-' || k",
            "grid_id": "g.id",
            "kind_id": str(kind),
        },
        "FROM regions_grid g CROSS JOIN generate_series(1, 5) AS k",
    )
    for colour, every, back, closed in (("yellow", 20, 14, 40), ("red", 100, 10, 300)):
        issued = local(f"date '{DAY}' - mod(v.id / {every}, {back})::int", "36000")
        insert(
            Card,
            {
                "colour": f"'{colour}'",
                "issued_at": issued,
                "deadline": f"date '{DAY}' - mod(v.id / {every}, {back})::int + 7",
                "closed_at": f"CASE WHEN mod(v.id, {closed}) = 0 THEN {issued} "
                "+ interval '3 days' END",
                "venue_id": "v.id",
            },
            f"FROM venues_venue v WHERE mod(v.id, {every}) = 0",
        )


def command() -> None:
    """20 tasks a street a day, each to one community's 12 grids (15 % completed late or not at
    all); 30 events a street a day (90 % responded in 40 minutes, 70 % resolved the next day)."""
    from wangge.command.models import Event, EventKind, Task, TaskAssignment, TaskKind

    issued = local(f"{FIRST} + d", "32400 + k * 600")
    insert(
        Task,
        {
            "title": "'基准任务' || d || '-' || k",
            "priority": "'normal'",
            "direction": "'down'",
            "issued_at": issued,
            "due_at": f"{issued} + interval '2 days'",
            "status": "'open'",
            "street_id": "s.id",
            "kind_id": str(TaskKind.objects.order_by("pk").values_list("pk", flat=True)[0]),
        },
        f"FROM regions_street s CROSS JOIN generate_series(0, {HISTORY_DAYS - 1}) AS d "
        "CROSS JOIN generate_series(0, 19) AS k",
    )
    done = "mod(t.id * 12 + g.id, 100) < 85"
    insert(
        TaskAssignment,
        {
            "state": f"CASE WHEN {done} THEN 'completed' ELSE 'in_progress' END",
            "ack_due_at": "t.issued_at + interval '1 hour'",
            "start_due_at": "t.issued_at + interval '2 hours'",
            "feedback_due_at": "t.due_at",
            "due_at": "t.due_at",
            "completed_at": f"CASE WHEN {done} THEN t.due_at - interval '2 hours' END",
            "grid_id": "g.id",
            "task_id": "t.id",
        },
        f"FROM command_task t JOIN {STREET_COMMUNITIES} cs ON cs.street_id = t.street_id "
        "JOIN regions_grid g ON g.community_id = cs.ids[1 + mod(t.id, cardinality(cs.ids))]",
    )
    raised = local(f"{FIRST} + d", "28800 + k * 1500")
    responded, resolved = "mod(k * 7 + d, 10) < 9", "mod(k * 7 + d, 10) < 7"
    insert(
        Event,
        {
            "title": "'基准事件' || d || '-' || k",
            "status": f"CASE WHEN {resolved} THEN 'resolved' WHEN {responded} THEN 'responded' "
            "ELSE 'open' END",
            "raised_at": raised,
            "responded_at": f"CASE WHEN {responded} THEN {raised} + interval '40 minutes' END",
            "resolved_at": f"CASE WHEN {resolved} THEN {raised} + interval '1 day' END",
            "street_id": "sg.street_id",
            "grid_id": "g.id",
            "community_id": "g.community_id",
            "owner_grid_id": "g.id",
            "kind_id": str(EventKind.objects.order_by("pk").values_list("pk", flat=True)[0]),
        },
        f"FROM {STREET_GRIDS} sg CROSS JOIN generate_series(0, {HISTORY_DAYS - 1}) AS d "
        "CROSS JOIN generate_series(0, 29) AS k "
        "JOIN regions_grid g ON g.id = sg.ids[1 + mod(d * 31 + k * 7, cardinality(sg.ids))]",
    )


def requests() -> None:
    """One person in 120 makes a request over the 21 days; 80 % are done the next day."""
    from wangge.residents.models import HelpRequest

    created = local(f"{FIRST} + mod(p.id / 120, {HISTORY_DAYS})::int", "36000")
    done = "mod(p.id / 120, 5) <> 0"
    insert(
        HelpRequest,
        {
            "kind": "'medicine'",
            "status": f"CASE WHEN {done} THEN 'done' ELSE 'submitted' END",
            "created_at": created,
            "closed_at": f"CASE WHEN {done} THEN {created} + interval '1 day' END",
            "level": "'grid'",
            "grid_id": "h.grid_id",
            "household_id": "h.id",
            "person_id": "p.id",
        },
        "FROM people_person p JOIN regions_household h ON h.id = p.household_id "
        "WHERE mod(p.id, 120) = 0",
    )


def supplies() -> None:
    """A street warehouse and a store a community, 15 items a street, a line of 100 for each item
    at each place and one batch of 0–299 units (some expired)."""
    from wangge.supplies.models import Batch, Item, Place, StockThreshold

    insert(
        Place,
        {"name": "'街道仓库'", "kind": "'street_warehouse'", "active": "true", "street_id": "s.id"},
        "FROM regions_street s",
    )
    insert(
        Place,
        {
            "name": "c.name || '物资点'",
            "kind": "'community_store'",
            "active": "true",
            "street_id": "c.street_id",
            "community_id": "c.id",
        },
        "FROM regions_community c",
    )
    insert(
        Item,
        {
            "name": "'物资' || k",
            "category": "'protection'",
            "unit": "'个'",
            "pack_size": "1",
            "has_expiry": "mod(k, 3) = 0",
            "picking": "'warn'",
            "active": "true",
            "street_id": "s.id",
        },
        "FROM regions_street s CROSS JOIN generate_series(1, 15) AS k",
    )
    pairs = "FROM supplies_place p JOIN supplies_item i ON i.street_id = p.street_id"
    insert(StockThreshold, {"minimum": "100", "item_id": "i.id", "place_id": "p.id"}, pairs)
    insert(
        Batch,
        {
            "expiry": f"CASE WHEN i.has_expiry THEN date '{DAY}' + mod(p.id + i.id, 60)::int - 20 END",
            "source": "'purchase'",
            "received_at": local(f"{FIRST}", "36000"),
            "quantity": "mod(p.id * 31 + i.id * 7, 300)",
            "item_id": "i.id",
            "place_id": "p.id",
        },
        pairs,
    )


def notices() -> None:
    """A notice a street a day to one community's households; 60 % acknowledge it that day."""
    from wangge.notify.models import Message, Recipient

    insert(
        Message,
        {
            "kind": "'notice'",
            "title": "'基准通知' || d",
            "channels": "'[]'::jsonb",
            "audience_kind": "'community'",
            "status": "'sent'",
            "ack": "true",
            "created_at": local(f"date '{DAY}' - d", "32400"),
            "street_id": "cs.street_id",
            "community_id": "cs.ids[1 + mod(d, cardinality(cs.ids))]",
        },
        f"FROM {STREET_COMMUNITIES} cs CROSS JOIN generate_series(0, {SCAN_DAYS - 1}) AS d",
    )
    insert(
        Recipient,
        {
            "acknowledged_at": "CASE WHEN mod(h.id + m.id, 10) < 6 THEN m.created_at "
            "+ make_interval(secs => mod(h.id * 7, 40000)) END",
            "household_id": "h.id",
            "message_id": "m.id",
        },
        "FROM notify_message m JOIN regions_grid g ON g.community_id = m.community_id "
        "JOIN regions_household h ON h.grid_id = g.id",
    )
