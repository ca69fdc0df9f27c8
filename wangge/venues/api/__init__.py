"""The venues capability's API; one module per subject."""
