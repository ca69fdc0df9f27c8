"""Reads of the venues capability beyond a filter; one module per subject."""
