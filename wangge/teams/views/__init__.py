"""People power's pages, one module per subject."""
