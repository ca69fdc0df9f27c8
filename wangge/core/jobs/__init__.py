"""One lifecycle for every import and long job: a Job record in the database, claimed under a
lease, kept alive by a heartbeat, given to another worker by the reaper when the lease expires
(docs/adr/0012-job-lifecycle.md)."""
