"""The venues capability's pages; one module per subject."""
