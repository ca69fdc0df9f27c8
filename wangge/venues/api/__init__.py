"""The venues' REST API, one module per subject."""
