"""The teams\x27 API, one module per subject."""
