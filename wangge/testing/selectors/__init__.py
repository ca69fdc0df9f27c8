"""Reads of the testing capability. The round reads are re-exported here; coverage, overdue key
groups, vaccination coverage and ages are their own modules (selectors.coverage, …)."""

from wangge.testing.selectors.rounds import (
    RoundRouter,
    excluded_marks,
    round_grid_ids,
    round_target,
    tested,
    with_small_grids,
)

__all__ = [
    "RoundRouter",
    "excluded_marks",
    "round_grid_ids",
    "round_target",
    "tested",
    "with_small_grids",
]
