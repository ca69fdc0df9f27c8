"""The sweeps' pages."""
