"""Reads of the sweeps beyond a filter."""
