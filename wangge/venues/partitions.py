"""The venue visit table, partitioned by day on PostgreSQL (`core.partitions`); no row points
at a visit."""

from wangge.core.partitions import Partitioned

VISITS = Partitioned("venues_visit")
