"""The measures capability over the REST API; every list is scoped like the UI (docs/api.md)."""
