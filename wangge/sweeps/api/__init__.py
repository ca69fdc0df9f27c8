"""The sweeps over the API, one module per subject."""
