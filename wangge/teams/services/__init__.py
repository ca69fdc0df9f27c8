"""People power's writes, one module per subject."""
