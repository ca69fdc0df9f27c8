"""People power's forms, one module per subject."""
