"""The venues' pages, one module per subject."""
