"""Every write of the sweeps: one transaction each, audited."""
