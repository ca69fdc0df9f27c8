"""The teams\x27 pages, one module per subject."""
