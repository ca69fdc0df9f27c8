"""People power over the API, one module per subject."""
