"""The teams\x27 reads beyond a filter, one module per subject."""
