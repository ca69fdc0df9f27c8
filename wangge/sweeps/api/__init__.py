"""The sweeps over the API."""
