"""The sweeps' reads beyond a filter, one module per subject."""
