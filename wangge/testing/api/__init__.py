"""The testing REST API: rounds and coverage, results and their import, the resolution list, key
groups, vaccination. Scoped like the UI; writes go through the same services (docs/testing.md)."""
