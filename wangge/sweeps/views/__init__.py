"""The sweeps' pages, one module per subject."""
