"""The residents' own channel (小区码): residents sign in with their phone, see only their own
household, and register, report, check in, ask for help and read notices (docs/residents.md)."""
