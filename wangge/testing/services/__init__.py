"""Every write of the testing capability: one transaction each, audited. Rounds, sites, marks and
the resolution list are re-exported here; key groups, vaccination, pooling and the untested export
are their own modules (services.keygroups, …), lab files are imported by services.lab."""

from wangge.testing.services.rounds import (
    round_create,
    round_mark,
    round_mark_clear,
    site_add,
    unmatched_dismiss,
    unmatched_resolve,
)

__all__ = [
    "round_create",
    "round_mark",
    "round_mark_clear",
    "site_add",
    "unmatched_dismiss",
    "unmatched_resolve",
]
